package dev.keel.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ShutdownHookTest {

  private StubKeel stub;

  @BeforeEach
  void start() throws IOException {
    stub = new StubKeel();
  }

  @AfterEach
  void stop() {
    stub.close();
  }

  @Test
  void jvmExit_withHook_sendsQueuedEvents() throws Exception {
    int exit = runChild("true");

    assertThat(exit).isZero();
    assertThat(stub.events("trace-create")).extracting(e -> e.path("body").path("name")
        .asText()).contains("at-exit");
  }

  @Test
  void jvmExit_hookDisabled_sendsNothing() throws Exception {
    int exit = runChild("false");

    assertThat(exit).isZero();
    assertThat(stub.ingestionRequests.get()).isZero();
  }

  private int runChild(String hook) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(List.of(java.toString(), "-cp",
        System.getProperty("java.class.path"), Child.class.getName(), stub.baseUrl(), hook))
        .inheritIO().start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }

  /** Records a trace with a one-hour flush interval and returns from main without flushing. */
  static final class Child {
    public static void main(String[] args) {
      KeelClient keel = new KeelClientBuilder(Map.of()).baseUrl(args[0])
          .publicKey(StubKeel.PUBLIC_KEY).secretKey(StubKeel.SECRET_KEY)
          .flushInterval(java.time.Duration.ofHours(1))
          .shutdownHook(Boolean.parseBoolean(args[1])).build();
      keel.trace("at-exit").end();
    }
  }
}
