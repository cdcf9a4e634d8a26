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

  @Test
  void badTokenCountsAndNonFiniteScores_areThoseEventsErrors_andTheOthersAreStored() {
    try (var keel = KeelFixture.start(dir)) {
      HttpResponse<String> r = keel.post("/api/public/ingestion", """
          {"batch": [
            {"id": "e1", "type": "trace-create", "body": {"id": "tok", "name": "ok"}},
            {"id": "e2", "type": "generation-create", "body": {"id": "g-ok", "traceId": "tok",
             "model": "gpt-4o", "usageDetails": {"input": 10, "output": 5}}},
            {"id": "e3", "type": "generation-create", "body": {"id": "g-neg", "traceId": "tok",
             "usage": {"input": -5, "output": 3}}},
            {"id": "e4", "type": "generation-update", "body": {"id": "g-ok",
             "usageDetails": {"output": "lots"}}},
            {"id": "e5", "type": "score-create", "body": {"id": "s-inf", "traceId": "tok",
             "name": "quality", "value": 1e400}},
            {"id": "e6", "type": "score-create", "body": {"id": "s-neg-inf", "traceId": "tok",
             "name": "quality", "value": -1e400, "dataType": "NUMERIC"}},
            {"id": "e7", "type": "score-create", "body": {"id": "s-ok", "traceId": "tok",
             "name": "quality", "value": 0.5}},
            {"id": "e8", "type": "generation-create", "body": {"id": "g-huge", "traceId": "tok",
             "model": "gpt-4o-mini",
             "usageDetails": {"input": 9223372036854775807, "output": 1}}},
            {"id": "e9", "type": "generation-create", "body": {"id": "g-rich", "traceId": "tok",
             "usage": {"totalCost": 1e8}}}]}""",
          "authorization", KeelFixture.basicPair(), "content-type", "application/json");

      assertThat(r.statusCode()).as(r.body()).isEqualTo(207);
      JsonNode body = KeelFixture.json(r);
      assertThat(body.path("successes")).extracting(n -> n.path("id").asText())
          .containsExactly("e1", "e2", "e7");
      assertThat(body.path("errors")).extracting(n -> n.path("id").asText() + " "
          + n.path("status").asInt() + " " + n.path("error").asText()).containsExactly(
          "e3 400 body.usage.input must be a whole number of tokens from 0 to 1000000000,"
              + " got -5",
          "e4 400 body.usageDetails.output must be a whole number of tokens from 0 to"
              + " 1000000000, got \"lots\"",
          "e5 400 value must be a finite number, got 1E+400",
          "e6 400 value must be a finite number, got -1E+400",
          "e8 400 body.usageDetails.input must be a whole number of tokens from 0 to"
              + " 1000000000, got 9223372036854775807",
          "e9 400 body.usage.totalCost must be a cost in USD from 0 to 1000000, got 1E+8");
      assertThat(keel.observations("tok")).singleElement().satisfies(o -> {
        assertThat(o.id()).isEqualTo("g-ok");
        assertThat(o.usage().get("output")).isEqualTo(5);
      });
      HttpResponse<String> scores = keel.get("/api/public/v2/scores?traceId=tok",
          "authorization", KeelFixture.basicPair());
      assertThat(KeelFixture.json(scores).path("data")).extracting(n -> n.path("id").asText())
          .containsExactly("s-ok");
    }
  }
  // The store keeps U+FFFD for NUL; an id with NUL must find that row again, so the merge
  // rules apply (first timestamp kept, metadata merged), and an id that differs only there is
  // the same id (PostgreSQL refused the batch when one upsert met the same row twice).
  @Test
  void idsWithNul_findTheirStoredRows_andMatchTheirReplacementCharacterForm() {
    try (var keel = KeelFixture.start(dir)) {
      HttpResponse<String> first = keel.post("/api/public/ingestion", """
          {"batch": [
            {"id": "n1", "type": "trace-create", "body": {"id": "nul\\u0000X",
             "timestamp": "2026-12-01T09:00:00Z", "metadata": {"a": 1}}},
            {"id": "n2", "type": "trace-create", "body": {"id": "nul\\uFFFDX",
             "metadata": {"c": 3}}}]}""",
          "authorization", KeelFixture.basicPair(), "content-type", "application/json");
      HttpResponse<String> second = keel.post("/api/public/ingestion", """
          {"batch": [
            {"id": "n3", "type": "trace-create", "body": {"id": "nul\\u0000X",
             "timestamp": "2026-12-01T12:00:00Z", "metadata": {"b": 2}}}]}""",
          "authorization", KeelFixture.basicPair(), "content-type", "application/json");

      assertThat(first.statusCode()).as(first.body()).isEqualTo(207);
      assertThat(KeelFixture.json(first).path("errors")).isEmpty();
      assertThat(KeelFixture.json(second).path("errors")).isEmpty();
      HttpResponse<String> trace = keel.get("/api/public/traces/nul%EF%BF%BDX",
          "authorization", KeelFixture.basicPair());
      JsonNode t = KeelFixture.json(trace);
      assertThat(t.path("timestamp").asText()).startsWith("2026-12-01T09:00:00");
      assertThat(t.path("metadata").path("a").asInt()).isEqualTo(1);
      assertThat(t.path("metadata").path("b").asInt()).isEqualTo(2);
      assertThat(t.path("metadata").path("c").asInt()).isEqualTo(3);
    }
  }
}
