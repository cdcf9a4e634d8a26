package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.trace.Observation;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A gateway call made as a step of someone else's trace (an agent run, say). */
class NestedCallIT {

  @TempDir
  Path dir;

  @Test
  void parentObservationHeader_nestsTheGenerationAndLeavesTheTraceAlone() {
    try (var keel = KeelFixture.start(dir)) {
      String traceId = UUID.randomUUID().toString();
      String agentId = UUID.randomUUID().toString();
      HttpResponse<String> ingested = keel.post("/api/public/ingestion", """
          {"batch": [
            {"id": "e1", "type": "trace-create", "timestamp": "2026-12-04T10:00:00Z",
             "body": {"id": "%s", "name": "agent-run", "input": "find order 42"}},
            {"id": "e2", "type": "agent-create", "timestamp": "2026-12-04T10:00:00Z",
             "body": {"id": "%s", "traceId": "%s", "name": "support-agent",
                      "startTime": "2026-12-04T10:00:00Z"}}]}""".formatted(traceId, agentId,
          traceId), "authorization", KeelFixture.basicPair(), "content-type",
          "application/json");
      assertThat(ingested.statusCode()).as(ingested.body()).isEqualTo(207);

      HttpResponse<String> r = keel.chat("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":"
          + "\"user\",\"content\":\"step\"}]}", "x-keel-trace-id", traceId,
          "x-keel-parent-observation-id", agentId);
      HttpResponse<String> orphan = keel.chat("{\"model\":\"gpt-4o-mini\",\"messages\":"
          + "[{\"role\":\"user\",\"content\":\"x\"}]}", "x-keel-parent-observation-id", agentId);

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(orphan.statusCode()).isEqualTo(400);
      var trace = keel.trace(traceId).trace();
      assertThat(trace.name()).isEqualTo("agent-run");
      assertThat(trace.input()).contains("find order 42");
      Observation generation = keel.observations(traceId).stream()
          .filter(o -> o.type().name().equals("GENERATION")).findFirst().orElseThrow();
      assertThat(generation.parentObservationId()).isEqualTo(agentId);
    }
  }
}
