package dev.keel.eval.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalFileTest {

  @TempDir
  Path dir;

  @Test
  void read_everyKey_parsedWithPathsRelativeToTheFile() throws Exception {
    Path f = write("full.yaml", """
        name: qa-gate
        dataset: {name: capitals, version: 3}
        task:
          model: gpt-4o
          prompt: {name: qa, version: 2}
        scorers:
          - exact_match
          - name: regex
            options: {pattern: "^[A-Z]"}
            min_mean: 0.8
            min_pass_rate: 0.9
            pass: 1
        judge: {model: gpt-4o-mini}
        baseline: baselines/qa.jsonl
        tolerance: 0.02
        max_error_rate: 0.1
        concurrency: 8
        retries: 3
        """);

    EvalFile e = EvalFile.read(f);

    assertThat(e.name()).isEqualTo("qa-gate");
    assertThat(e.dataset()).isEqualTo(new EvalFile.DatasetRef(null, "capitals", 3));
    assertThat(e.task().promptVersion()).isEqualTo(2);
    assertThat(e.task().promptLabel()).isNull();
    assertThat(e.scorers()).hasSize(2);
    assertThat(e.scorers().get(0).pass()).isEqualTo(0.5);
    assertThat(e.scorers().get(1).options()).containsEntry("pattern", "^[A-Z]");
    assertThat(e.scorers().get(1).minPassRate()).isEqualTo(0.9);
    assertThat(e.judgeModel()).isEqualTo("gpt-4o-mini");
    assertThat(e.baseline().file()).isEqualTo(dir.toAbsolutePath()
        .resolve("baselines/qa.jsonl"));
    assertThat(e.tolerance()).isEqualTo(0.02);
    assertThat(e.maxErrorRate()).isEqualTo(0.1);
    assertThat(e.concurrency()).isEqualTo(8);
    assertThat(e.retries()).isEqualTo(3);
  }

  @Test
  void read_minimalFile_takesDefaults() throws Exception {
    Path f = write("min.yaml", """
        dataset: data/qa.jsonl
        task: {model: gpt-4o, prompt: qa}
        scorers: [contains]
        """);

    EvalFile e = EvalFile.read(f);

    assertThat(e.name()).isEqualTo("min");
    assertThat(e.dataset().file()).isEqualTo(dir.toAbsolutePath().resolve("data/qa.jsonl"));
    assertThat(e.task().promptLabel()).isEqualTo("production");
    assertThat(e.baseline()).isNull();
    assertThat(e.tolerance()).isZero();
    assertThat(e.maxErrorRate()).isZero();
    assertThat(e.concurrency()).isEqualTo(4);
    assertThat(e.retries()).isEqualTo(2);
  }

  @Test
  void read_httpTask_withAnswerPointer() throws Exception {
    Path f = write("http.yaml", """
        dataset: qa.jsonl
        task: {url: "http://127.0.0.1:9/answer", answer: "$.choices[0].text"}
        scorers: [contains]
        """);

    EvalFile e = EvalFile.read(f);

    assertThat(e.task().url()).isEqualTo("http://127.0.0.1:9/answer");
    assertThat(HttpTask.pointer(e.task().answer())).isEqualTo("/choices/0/text");
  }

  @Test
  void read_badFiles_oneLineNamingTheKey() throws Exception {
    assertThatThrownBy(() -> EvalFile.read(write("a.yaml", "dataset: x.jsonl\ntask: {model: m"
        + ", url: http://x}\nscorers: [contains]\n")))
        .hasMessage("a.yaml: task needs exactly one of model or url");
    assertThatThrownBy(() -> EvalFile.read(write("b.yaml", "dataset: x.jsonl\ntask: {model: "
        + "m}\nscorers: [contains]\nconcurrency: 0\n")))
        .hasMessage("b.yaml: concurrency must be 1 to 256: 0");
    assertThatThrownBy(() -> EvalFile.read(write("c.yaml", "dataset: x.jsonl\ntask: {model: "
        + "m}\nscorers: [{name: regex, min_mean: high}]\n")))
        .hasMessage("c.yaml: min_mean must be a number: \"high\"");
    assertThatThrownBy(() -> EvalFile.read(write("d.yaml", "datasets: x.jsonl\n")))
        .hasMessageStartingWith("d.yaml: unknown key datasets; allowed: [baseline,");
    assertThatThrownBy(() -> EvalFile.read(write("e.yaml", "- just\n- a list\n")))
        .hasMessageEndingWith("e.yaml must be a YAML mapping");
    assertThatThrownBy(() -> EvalFile.read(write("f.yaml", "dataset: x.jsonl\ntask: {model: "
        + "m, prompt: {name: p, label: l, version: 1}}\nscorers: [contains]\n")))
        .hasMessage("f.yaml: task.prompt takes a label or a version, not both");
  }

  @Test
  void read_committedExample_fileAndBaselineParse() {
    Path example = Path.of("..", "examples", "eval", "clapnq-qa", "qa.yaml");

    EvalFile e = EvalFile.read(example);
    RunResults baseline = RunResults.read(e.baseline().file());

    assertThat(e.dataset().file()).exists();
    assertThat(dev.keel.eval.dataset.DatasetFiles.read(e.dataset().file())).hasSize(100);
    assertThat(baseline.items()).hasSize(100);
    assertThat(baseline.info().dataset()).isEqualTo("clapnq-qa.jsonl");
    assertThat(baseline.info().scorers().keySet()).containsExactly("exact_match", "rouge_l",
        "reference_guided");
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }
}
