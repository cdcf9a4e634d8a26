package dev.keel.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.sdk.KeelClient;
import java.nio.file.Path;

/** {@link KeelHarness} for tests in other packages. */
public final class KeelHarnessAccess implements AutoCloseable {

  private final KeelHarness harness;

  public KeelHarnessAccess(Path dir) {
    this.harness = new KeelHarness(dir);
  }

  public String baseUrl() {
    return harness.baseUrl();
  }

  public String masterKey() {
    return KeelHarness.MASTER_KEY;
  }

  public KeelClient sdk() {
    return harness.keel;
  }

  public JsonNode trace(String traceId) {
    return harness.trace(traceId);
  }

  @Override
  public void close() {
    harness.close();
  }
}
