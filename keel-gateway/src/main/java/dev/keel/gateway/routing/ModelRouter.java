package dev.keel.gateway.routing;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.gateway.config.KeelConfig;
import dev.keel.providers.Endpoint;
import dev.keel.providers.WireFormat;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves the model a client names to a deployment.
 *
 * <p>In order: a model declared in {@code keel.yaml}; an explicit {@code provider/model} prefix;
 * then by family: {@code claude*} goes to the {@code anthropic} provider, anything else to
 * {@code openai} (which may be any OpenAI-compatible server, so its model names are not checked
 * here; the upstream answers for unknown ones). When the simulator stands in for the providers,
 * only the models it serves are accepted.
 */
public final class ModelRouter {

  private static final java.util.Set<String> WELL_KNOWN = java.util.Set.of("openai",
      "anthropic");

  private final Map<String, Endpoint> providers;
  private final Map<String, Deployment> declared;
  private final Set<String> simulatedProviders;
  private final List<String> simulatorModels;

  /**
   * @param providers endpoints by provider name
   * @param config declared models
   * @param simulatedProviders names of providers served by the simulator
   * @param simulatorModels the simulator's models (empty when it is not used)
   */
  public ModelRouter(Map<String, Endpoint> providers, KeelConfig config,
      Set<String> simulatedProviders, List<String> simulatorModels) {
    this.providers = Map.copyOf(providers);
    this.simulatedProviders = Set.copyOf(simulatedProviders);
    this.simulatorModels = List.copyOf(simulatorModels);
    this.declared = new LinkedHashMap<>();
    for (KeelConfig.ModelSpec m : config.models()) {
      Endpoint e = providers.get(m.provider());
      if (e == null) {
        throw new IllegalArgumentException("models[" + m.name() + "].provider names an unknown "
            + "provider: " + m.provider() + " (known: " + providers.keySet() + ")");
      }
      if (m.timeoutSeconds() != null) {
        e = new Endpoint(e.provider(), e.format(), e.baseUrl(), e.apiKey(),
            Duration.ofSeconds(m.timeoutSeconds()), e.extraHeaders());
      }
      declared.put(m.name(), new Deployment(e, m.model(), isSimulated(m.provider()),
          m.priceName()));
    }
  }

  /** The deployment for {@code model}; a 404 naming the model and what is available if none. */
  public Deployment resolve(String model) {
    Deployment d = declared.get(model);
    if (d != null) {
      return d;
    }
    int slash = model.indexOf('/');
    if (slash > 0) {
      String provider = model.substring(0, slash);
      if (providers.containsKey(provider) || WELL_KNOWN.contains(provider)) {
        String upstream = model.substring(slash + 1);
        if (upstream.isBlank()) {
          throw new KeelException(ErrorCode.INVALID_REQUEST, "model '" + model + "' names a "
              + "provider but no model after the '/'", "model", null);
        }
        // A well-known provider that is not configured is a 404, never a quiet detour to
        // another provider with the prompt.
        return deployment(provider, upstream, model);
      }
    }
    String provider = model.startsWith("claude") ? "anthropic" : "openai";
    return deployment(provider, model, model);
  }

  /** Models to list on {@code GET /v1/models}: declared ones, then the simulator's. */
  public List<String> listedModels() {
    var out = new ArrayList<>(declared.keySet());
    simulatorModels.stream().filter(m -> !out.contains(m)).forEach(out::add);
    return out;
  }

  public Map<String, Endpoint> providers() {
    return providers;
  }

  public boolean isSimulated(String provider) {
    return simulatedProviders.contains(provider);
  }

  private Deployment deployment(String provider, String upstreamModel, String asked) {
    Endpoint e = providers.get(provider);
    if (e == null) {
      throw new KeelException(ErrorCode.MODEL_NOT_FOUND, "model '" + asked + "' is not available:"
          + " no '" + provider + "' provider is configured (set " + envHint(provider)
          + " or declare the model in keel.yaml); available: " + listedModels(), "model", null);
    }
    if (isSimulated(provider) && !simulatorModels.contains(upstreamModel)) {
      throw new KeelException(ErrorCode.MODEL_NOT_FOUND, "model '" + asked + "' does not exist;"
          + " the simulator serves " + simulatorModels, "model", null);
    }
    return new Deployment(e, upstreamModel, isSimulated(provider));
  }

  private static String envHint(String provider) {
    return switch (provider) {
      case "anthropic" -> "ANTHROPIC_API_KEY";
      case "openai" -> "OPENAI_API_KEY or OPENAI_BASE_URL";
      default -> "its provider";
    };
  }

  /** Builds an endpoint for a provider declared in {@code keel.yaml}. */
  public static Endpoint endpoint(KeelConfig.ProviderSpec p, Map<String, String> env,
      Duration defaultTimeout) {
    String key = p.apiKeyEnv() == null ? null : env.get(p.apiKeyEnv());
    if (p.apiKeyEnv() != null && (key == null || key.isBlank())) {
      throw new IllegalArgumentException("providers[" + p.name() + "].api_key_env names "
          + p.apiKeyEnv() + ", which is not set in the environment");
    }
    Duration timeout = p.timeoutSeconds() == null ? defaultTimeout
        : Duration.ofSeconds(p.timeoutSeconds());
    WireFormat f = p.format().equals("anthropic") ? WireFormat.ANTHROPIC : WireFormat.OPENAI;
    return new Endpoint(p.name(), f, parseUrl(p.baseUrl(), "providers[" + p.name()
        + "].base_url"), key, timeout, p.headers());
  }

  /** Parses a base URL, removing a trailing slash; a clear error if it is not http(s). */
  public static URI parseUrl(String url, String what) {
    String u = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    try {
      URI uri = URI.create(u);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        throw new IllegalArgumentException(what + " must be an http(s) URL: " + url);
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not a valid URL: " + url, e);
    }
  }
}
