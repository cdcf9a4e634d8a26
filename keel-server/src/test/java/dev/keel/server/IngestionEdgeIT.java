package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Events the store cannot hold fail alone; the rest of their batch is stored. */
class IngestionEdgeIT {

  @TempDir
  Path dir;

  @Test
  void timestampOutOfRange_isThatEventsError_andTheOthersAreStored() {
    try (var keel = KeelFixture.start(dir)) {
      HttpResponse<String> r = keel.post("/api/public/ingestion", """
          {"batch": [
            {"id": "m1", "type": "trace-create", "timestamp": "2026-12-04T10:00:00Z",
             "body": {"id": "good-1", "name": "ok"}},
            {"id": "m2", "type": "trace-create", "timestamp": "2026-12-04T10:00:00Z",
             "body": {"id": "bad-2", "timestamp": "+999999999-12-31T23:59:59Z"}}]}""",
          "authorization", KeelFixture.basicPair(), "content-type", "application/json");

      assertThat(r.statusCode()).as(r.body()).isEqualTo(207);
      JsonNode body = KeelFixture.json(r);
      assertThat(body.path("successes")).extracting(n -> n.path("id").asText())
          .containsExactly("m1");
      assertThat(body.path("errors").path(0).path("id").asText()).isEqualTo("m2");
      assertThat(body.path("errors").path(0).path("status").asInt()).isEqualTo(400);
      assertThat(body.path("errors").path(0).toString()).contains("between year 1970 and 9999");
      assertThat(keel.trace("good-1").trace().name()).isEqualTo("ok");
    }
  }
}
