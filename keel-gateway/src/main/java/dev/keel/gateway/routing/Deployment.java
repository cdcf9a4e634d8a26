package dev.keel.gateway.routing;

import dev.keel.providers.Endpoint;
import java.util.Objects;

/**
 * Where one model is served: the provider endpoint and the provider's name for the model.
 *
 * @param simulated true when the provider is Keel's simulator (traces say so)
 * @param priceModel the name its calls are priced by: the upstream model, or the name a
 *     keel.yaml model entry with a price of its own is declared under, so that entry's price
 *     applies to its calls only and not to every call of the upstream model
 */
public record Deployment(Endpoint endpoint, String upstreamModel, boolean simulated,
    String priceModel) {

  public Deployment {
    Objects.requireNonNull(endpoint, "endpoint");
    if (upstreamModel == null || upstreamModel.isBlank()) {
      throw new IllegalArgumentException("upstreamModel must not be blank: " + upstreamModel);
    }
    priceModel = priceModel == null ? upstreamModel : priceModel;
  }

  /** A deployment priced as its upstream model. */
  public Deployment(Endpoint endpoint, String upstreamModel, boolean simulated) {
    this(endpoint, upstreamModel, simulated, upstreamModel);
  }

  public String provider() {
    return endpoint.provider();
  }

  /** What the {@code x-keel-model} header shows: provider and model. */
  public String label() {
    return endpoint.provider() + "/" + upstreamModel;
  }
}
