package dev.keel.cli;

import dev.keel.eval.run.EvalFile;
import dev.keel.eval.run.Evaluation;
import dev.keel.eval.run.Gate;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The gate of {@code keel prompt promote --gate FILE}: the evaluation file is run with its task
 * pinned to the version being promoted, and the label moves only when every check passes.
 */
final class PromptGate {

  private PromptGate() {}

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static boolean passes(Path evalFile, String prompt, int version, String url, String key,
      Path outDir, PrintWriter out) throws IOException {
    EvalFile file = EvalFile.read(evalFile);
    EvalFile.TaskSpec t = file.task();
    if (!prompt.equals(t.prompt())) {
      throw new IllegalArgumentException("the gate " + evalFile + " evaluates prompt '"
          + t.prompt() + "', not '" + prompt + "'");
    }
    EvalFile pinned = new EvalFile(file.name(), file.dataset(), new EvalFile.TaskSpec(t.model(),
        t.prompt(), null, version, t.system(), t.url(), t.answer(), t.contexts()),
        file.scorers(), file.judgeModel(), file.baseline(), file.tolerance(),
        file.maxErrorRate(), file.concurrency(), file.retries());
    Path dir = outDir != null ? outDir : Files.createTempDirectory("keel-gate");
    Gate gate = Evaluation.run(pinned, new Evaluation.Settings(URI.create(url), key, dir, false,
        System.err, null)).gate();
    for (Gate.Check c : gate.checks()) {
      out.println((c.passed() ? "  pass  " : "  FAIL  ") + c.name() + ": " + c.detail());
    }
    if (outDir == null && gate.passed()) {
      // Nothing to look into after a pass; a failed gate keeps its reports for the user.
      deleteTree(dir);
      out.println("gate passed for " + prompt + " v" + version);
    } else {
      out.println("gate " + (gate.passed() ? "passed" : "failed") + " for " + prompt + " v"
          + version + " (reports in " + dir + ")");
    }
    return gate.passed();
  }
}
