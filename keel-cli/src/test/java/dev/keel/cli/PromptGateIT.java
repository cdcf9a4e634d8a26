package dev.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.server.KeelServer;
import dev.keel.server.ServerSettings;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code keel prompt promote --gate FILE}: the label moves only when the evaluation passes for
 * the version being promoted. The two versions differ by a simulator directive in their system
 * message, so one answers right and one wrong.
 */
class PromptGateIT {

  private static final String KEY = "sk-keel-gatetest0123456789abcdefghijklmnopqrstu";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;
  private KeelServer keel;

  @BeforeEach
  void start() throws Exception {
    keel = KeelServer.start(new ServerSettings("127.0.0.1", 0, tmp.resolve("data"), null, null,
        Map.of("KEEL_MASTER_KEY", KEY)));
    createVersion("Paris");
    createVersion("London");
    var items = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      items.append(JSON.createObjectNode().put("id", "q" + i)
          .put("input", "What is the capital of France? (" + i + ")")
          .put("expected_output", "Paris")).append('\n');
    }
    Files.writeString(tmp.resolve("qa.jsonl"), items);
    Files.writeString(tmp.resolve("gate.yaml"), """
        name: capital-gate
        dataset: qa.jsonl
        task:
          model: gpt-4o
          prompt: {name: capitals}
        scorers:
          - name: exact_match
            options: {trim: true}
            min_mean: 1.0
        """);
  }

  @AfterEach
  void stop() {
    keel.close();
  }

  @Test
  void promote_gatePasses_labelMoves_gateFails_labelStays() throws Exception {
    int good = promote(1);
    String afterGood = production();
    int bad = promote(2);

    assertThat(good).isZero();
    assertThat(afterGood).isEqualTo("1");
    assertThat(bad).isEqualTo(1);
    assertThat(production()).isEqualTo("1");
  }

  private int promote(int version) {
    var out = new StringWriter();
    PrintStream savedErr = System.err;
    System.setErr(new PrintStream(new java.io.ByteArrayOutputStream(), true));
    try {
      return new CommandLine(new KeelCommand()).setOut(new PrintWriter(out))
          .setErr(new PrintWriter(new StringWriter()))
          .execute("prompt", "promote", "capitals", String.valueOf(version), "--gate",
              tmp.resolve("gate.yaml").toString(), "--gate-out",
              tmp.resolve("gate-v" + version).toString(), "--url", url(), "--key", KEY);
    } finally {
      System.setErr(savedErr);
    }
  }

  private String production() throws Exception {
    HttpResponse<String> r = http("GET", "/api/public/v2/prompts/capitals?label=production",
        null);
    return r.statusCode() == 200 ? JSON.readTree(r.body()).path("version").asText() : "none";
  }

  private void createVersion(String reply) throws Exception {
    String body = JSON.createObjectNode().put("name", "capitals").put("type", "chat")
        .set("prompt", JSON.createArrayNode().add(JSON.createObjectNode().put("role", "system")
            .put("content", "[[sim reply=\"" + reply + "\"]] Answer with the city only.")))
        .toString();
    HttpResponse<String> r = http("POST", "/api/public/v2/prompts", body);
    assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
  }

  private HttpResponse<String> http(String method, String path, String body) throws Exception {
    var b = HttpRequest.newBuilder(URI.create(url() + path)).header("authorization",
        "Bearer " + KEY).header("content-type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body));
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String url() {
    return "http://127.0.0.1:" + keel.port();
  }
}
