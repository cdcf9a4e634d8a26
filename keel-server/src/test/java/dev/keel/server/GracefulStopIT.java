package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A graceful stop lets requests in flight finish, turns new ones away, and keeps traces. */
class GracefulStopIT {

  @TempDir
  Path dir;

  @Test
  void close_streamInFlight_finishesAndIsTraced() throws Exception {
    var keel = KeelFixture.start(dir);
    String traceId = UUID.randomUUID().toString();
    String slow = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"x [[sim ttft_ms=100 token_ms=150]]\"}]}";
    CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(
        () -> keel.chat(slow, "x-keel-trace-id", traceId));
    Thread.sleep(500);

    CompletableFuture<Void> closing = CompletableFuture.runAsync(keel::close);
    Thread.sleep(200);
    HttpResponse<String> turnedAway = keel.chat("{\"model\":\"gpt-4o-mini\",\"messages\":"
        + "[{\"role\":\"user\",\"content\":\"hi\"}]}");
    HttpResponse<String> finished = inFlight.get();
    closing.get();

    assertThat(turnedAway.statusCode()).isEqualTo(503);
    assertThat(turnedAway.headers().firstValue("retry-after")).isPresent();
    assertThat(finished.statusCode()).isEqualTo(200);
    assertThat(finished.body()).contains("[DONE]");
    try (var reopened = KeelFixture.start(dir)) {
      assertThat(reopened.trace(traceId).trace().output()).contains("Simulated answer");
    }
  }
}
