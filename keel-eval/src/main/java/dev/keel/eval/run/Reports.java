package dev.keel.eval.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The run's table for the terminal, and its JSON and JUnit XML reports for CI. */
public final class Reports {

  private Reports() {}

  /** The summary table: run facts, one row per scorer, then every check. */
  public static String table(Gate gate) {
    RunInfo info = gate.results().info();
    StringBuilder b = new StringBuilder();
    b.append("run ").append(info.run()).append(": dataset ").append(info.dataset()).append(' ')
        .append(info.datasetVersion()).append(", task ").append(info.task());
    if (info.prompt() != null) {
      b.append(", prompt ").append(info.prompt()).append(" v").append(info.promptVersion());
    }
    if (info.judgeModel() != null) {
      b.append(", judge ").append(info.judgeModel());
    }
    long unknown = gate.results().items().stream().filter(i -> i.costUsd() == null).count();
    int n = gate.results().items().size();
    String cost = unknown == n ? "unknown" : "$" + gate.totalCostUsd().toPlainString()
        + (unknown == 0 ? "" : " (" + unknown + " items unknown)");
    b.append('\n').append(String.format(Locale.ROOT, "items %d, failed %d, cost %s%n", n,
        gate.errors(), cost));
    b.append(String.format(Locale.ROOT, "%n%-28s %8s %10s %8s %8s%n", "scorer", "mean",
        "pass rate", "scored", "n/a"));
    for (Gate.Aggregate a : gate.aggregates()) {
      b.append(String.format(Locale.ROOT, "%-28s %8s %10s %8d %8d%n", a.scorer(),
          Gate.fmt(a.mean()), Gate.fmt(a.passRate()), a.determined(), a.undetermined()));
    }
    b.append('\n');
    for (Gate.Check c : gate.checks()) {
      b.append(c.passed() ? "PASS " : "FAIL ").append(c.name()).append(": ")
          .append(c.detail()).append('\n');
    }
    if (gate.comparison() != null) {
      gate.comparison().caveats().forEach(c -> b.append("note: ").append(c).append('\n'));
    }
    b.append(gate.passed() ? "gate: passed" : "gate: FAILED").append('\n');
    return b.toString();
  }

  /** {@code keel eval compare}'s output: aggregate deltas, then the items that changed. */
  public static String comparison(Comparison c, int maxItems) {
    StringBuilder b = new StringBuilder();
    b.append("A ").append(c.baseline().run()).append(" -> B ").append(c.candidate().run())
        .append(" (dataset ").append(c.candidate().dataset()).append(' ')
        .append(c.candidate().datasetVersion()).append(")\n");
    c.caveats().forEach(n -> b.append("warning: ").append(n).append('\n'));
    b.append(String.format(Locale.ROOT, "%n%-28s %7s %7s %8s %20s %6s%n", "scorer", "A", "B",
        "delta", "95% CI", "n"));
    for (Comparison.ScorerDelta d : c.deltas()) {
      b.append(String.format(Locale.ROOT, "%-28s %7s %7s %8s %20s %6d  %s%n", d.scorer(),
          Gate.fmt(d.meanA()), Gate.fmt(d.meanB()), signed(d.delta()), "[" + signed(d.ciLow())
              + ", " + signed(d.ciHigh()) + "]", d.n(), verdict(d)));
    }
    List<Comparison.ItemDiff> items = c.items();
    b.append(String.format(Locale.ROOT, "%n%d item scores changed%s%n", items.size(),
        items.size() > maxItems ? " (first " + maxItems + " shown)" : ""));
    for (Comparison.ItemDiff d : items.subList(0, Math.min(maxItems, items.size()))) {
      b.append(String.format(Locale.ROOT, "  %-24s %-20s %7s -> %s%n", d.id(), d.scorer(),
          Gate.fmt(d.before()), Gate.fmt(d.after())));
    }
    return b.toString();
  }

  /** Writes {@code report.json} and {@code junit.xml} into {@code dir}. */
  public static void write(Gate gate, Path dir) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("report.json"), RunResults.JSON
          .writerWithDefaultPrettyPrinter().writeValueAsString(json(gate)) + "\n");
      Files.writeString(dir.resolve("junit.xml"), junit(gate));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write reports to " + dir, e);
    }
  }

  static ObjectNode json(Gate gate) {
    ObjectNode n = RunResults.JSON.createObjectNode();
    n.set("run", gate.results().info().toJson());
    n.put("passed", gate.passed()).put("items", gate.results().items().size())
        .put("failedItems", gate.errors());
    long unknownCost = gate.results().items().stream().filter(i -> i.costUsd() == null).count();
    // Unknown is null, never 0: the sum of the known costs only when some are known.
    n.put("costUsd", unknownCost == gate.results().items().size() && unknownCost > 0 ? null
        : gate.totalCostUsd().toPlainString());
    n.put("costUnknownItems", unknownCost);
    ArrayNode scorers = n.putArray("scorers");
    for (Gate.Aggregate a : gate.aggregates()) {
      ObjectNode s = scorers.addObject().put("name", a.scorer())
          .put("determined", a.determined()).put("undetermined", a.undetermined());
      number(s, "mean", a.mean());
      number(s, "passRate", a.passRate());
    }
    ArrayNode checks = n.putArray("checks");
    gate.checks().forEach(c -> checks.addObject().put("name", c.name())
        .put("passed", c.passed()).put("detail", c.detail()));
    if (gate.comparison() != null) {
      ArrayNode deltas = n.putArray("baseline");
      for (Comparison.ScorerDelta d : gate.comparison().deltas()) {
        ObjectNode o = deltas.addObject().put("scorer", d.scorer()).put("n", d.n())
            .put("regression", d.regression()).put("comparable", d.comparable());
        number(o, "meanBaseline", d.meanA());
        number(o, "mean", d.meanB());
        number(o, "delta", d.delta());
        number(o, "ciLow", d.ciLow());
        number(o, "ciHigh", d.ciHigh());
      }
    }
    return n;
  }

  /** One test case per check, so a CI's test view lists what failed and why. */
  static String junit(Gate gate) {
    long failures = gate.checks().stream().filter(c -> !c.passed()).count();
    StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    String suite = "keel-eval." + gate.results().info().run();
    b.append("<testsuite name=\"").append(xml(suite)).append("\" tests=\"")
        .append(gate.checks().size()).append("\" failures=\"").append(failures)
        .append("\" errors=\"0\" skipped=\"0\">\n");
    for (Gate.Check c : gate.checks()) {
      b.append("  <testcase classname=\"").append(xml(suite)).append("\" name=\"")
          .append(xml(c.name())).append('"');
      if (c.passed()) {
        b.append("/>\n");
      } else {
        b.append(">\n    <failure message=\"").append(xml(c.detail())).append("\"/>\n")
            .append("  </testcase>\n");
      }
    }
    return b.append("</testsuite>\n").toString();
  }

  private static void number(ObjectNode n, String key, double v) {
    if (Double.isNaN(v)) {
      n.putNull(key);
    } else {
      n.put(key, v);
    }
  }

  private static String signed(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%+.3f", v);
  }

  private static String verdict(Comparison.ScorerDelta d) {
    if (!d.comparable()) {
      return "not comparable (scorer or judge changed)";
    }
    if (d.regression()) {
      return "REGRESSION";
    }
    return d.n() > 0 && (d.ciLow() > 0 || d.ciHigh() < 0) ? "changed" : "within noise";
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
