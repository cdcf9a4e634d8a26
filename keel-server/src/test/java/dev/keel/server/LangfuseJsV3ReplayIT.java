package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays what the real Langfuse v3 JS SDK put on the wire (recorded by
 * e2e/node/langfuse-v3.test.js into keel-tracing's test fixtures) and checks the stored trace,
 * so the mapping stays tested without Node. The SDK sends updates before their creates inside
 * one batch, which this also covers.
 */
class LangfuseJsV3ReplayIT {

  private static final Path FIXTURES = Path.of("..", "keel-tracing", "src", "test", "resources",
      "fixtures", "langfuse-js-v3");

  @TempDir
  static Path dir;
  static KeelFixture keel;

  @BeforeAll
  static void start() {
    keel = KeelFixture.start(dir);
  }

  @AfterAll
  static void stop() {
    keel.close();
  }

  @Test
  void replay_nestedTrace_everyFieldStored() throws IOException {
    String traceId = null;
    for (Path f : fixtures()) {
      JsonNode batch = KeelFixture.json(Files.readString(f));
      HttpResponse<String> r = keel.post("/api/public/ingestion", batch.toString(),
          "authorization", KeelFixture.basicPair(), "content-type", "application/json");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(207);
      assertThat(KeelFixture.json(r).get("errors")).as(f.toString()).isEmpty();
      for (JsonNode e : batch.get("batch")) {
        if (e.get("type").asText().equals("trace-create")) {
          traceId = e.get("body").get("id").asText();
        }
      }
    }

    JsonNode t = KeelFixture.json(keel.get("/api/public/traces/" + traceId, "authorization",
        KeelFixture.basicPair()));
    assertThat(t.get("name").asText()).isEqualTo("support-chat");
    assertThat(t.get("userId").asText()).isEqualTo("user-42");
    assertThat(t.get("sessionId").asText()).isEqualTo("session-7");
    assertThat(t.get("tags")).extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("support", "e2e");
    assertThat(t.get("metadata")).isEqualTo(KeelFixture.json(
        "{\"plan\":\"pro\",\"nested\":{\"a\":1}}"));
    assertThat(t.get("output").get("answer").asText()).isEqualTo("It ships tomorrow.");
    Map<String, JsonNode> byName = new HashMap<>();
    t.get("observations").forEach(o -> byName.put(o.get("name").asText(), o));
    assertThat(byName.keySet()).containsExactlyInAnyOrder("retrieve", "cache-miss", "answer",
        "summarize");
    JsonNode gen = byName.get("answer");
    assertThat(gen.get("parentObservationId").asText())
        .isEqualTo(byName.get("retrieve").get("id").asText());
    assertThat(gen.get("modelParameters").get("temperature").asDouble()).isEqualTo(0.2);
    assertThat(gen.get("usageDetails")).isEqualTo(KeelFixture.json(
        "{\"input\":120,\"output\":30,\"input_cached_tokens\":20,\"total\":170}"));
    assertThat(gen.get("calculatedTotalCost").decimalValue()).isEqualByComparingTo("0.0006");
    assertThat(gen.get("output").get("content").asText()).isEqualTo("It ships tomorrow.");
    assertThat(byName.get("summarize").get("calculatedTotalCost").decimalValue()).isPositive();
    assertThat(byName.get("cache-miss").get("type").asText()).isEqualTo("EVENT");
    assertThat(byName.get("retrieve").get("output").get("documents").asInt()).isEqualTo(2);
    assertThat(t.get("scores")).extracting(s -> s.get("name").asText())
        .containsExactlyInAnyOrder("helpful", "tone");
  }

  @Test
  void replay_twice_noDuplicates() throws IOException {
    for (int i = 0; i < 2; i++) {
      for (Path f : fixtures()) {
        keel.post("/api/public/ingestion", Files.readString(f), "authorization",
            KeelFixture.basicPair(), "content-type", "application/json");
      }
    }

    JsonNode list = KeelFixture.json(keel.get("/api/public/traces?name=support-chat",
        "authorization", KeelFixture.basicPair()));
    assertThat(list.get("data")).hasSize(1);
    assertThat(list.get("data").get(0).get("observations")).hasSize(4);
    assertThat(list.get("data").get(0).get("scores")).hasSize(2);
  }

  private static List<Path> fixtures() throws IOException {
    try (Stream<Path> files = Files.list(FIXTURES)) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }
}
