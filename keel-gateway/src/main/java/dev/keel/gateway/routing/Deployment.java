package dev.keel.gateway.routing;

import dev.keel.providers.Endpoint;
import java.util.Objects;

/**
 * Where one model is served: the provider endpoint and the provider's name for the model.
 *
 * @param simulated true when the provider is Keel's simulator (traces say so)
 */
public record Deployment(Endpoint endpoint, String upstreamModel, boolean simulated) {

  public Deployment {
    Objects.requireNonNull(endpoint, "endpoint");
    if (upstreamModel == null || upstreamModel.isBlank()) {
      throw new IllegalArgumentException("upstreamModel must not be blank: " + upstreamModel);
    }
  }

  public String provider() {
    return endpoint.provider();
  }

  /** What the {@code x-keel-model} header shows: provider and model. */
  public String label() {
    return endpoint.provider() + "/" + upstreamModel;
  }
}
