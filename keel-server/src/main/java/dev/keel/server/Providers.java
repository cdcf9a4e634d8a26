package dev.keel.server;

import dev.keel.gateway.config.KeelConfig;
import dev.keel.gateway.routing.ModelRouter;
import dev.keel.providers.Endpoint;
import dev.keel.providers.WireFormat;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Registers upstream providers from the environment and from {@code keel.yaml}. */
final class Providers {

  private static final Logger log = LoggerFactory.getLogger(Providers.class);

  private Providers() {}

  /**
   * {@code OPENAI_API_KEY} or {@code OPENAI_BASE_URL} registers {@code openai} (a base URL alone
   * serves keyless OpenAI-compatible servers such as Ollama); {@code ANTHROPIC_API_KEY} registers
   * {@code anthropic}. Providers in the file are added, and replace those of the same name.
   */
  static Map<String, Endpoint> fromEnvAndConfig(Map<String, String> env, KeelConfig config) {
    Duration timeout = Duration.ofSeconds(config.limits().upstreamTimeoutSeconds());
    warnings(env).forEach(log::warn);
    var out = new LinkedHashMap<String, Endpoint>();
    String openAiKey = blankToNull(env.get("OPENAI_API_KEY"));
    String openAiBase = blankToNull(env.get("OPENAI_BASE_URL"));
    if (openAiKey != null || openAiBase != null) {
      URI base = ModelRouter.parseUrl(openAiBase == null ? "https://api.openai.com/v1"
          : openAiBase, "OPENAI_BASE_URL");
      out.put("openai", new Endpoint("openai", WireFormat.OPENAI, base, openAiKey, timeout,
          Map.of()));
    }
    String anthropicKey = blankToNull(env.get("ANTHROPIC_API_KEY"));
    if (anthropicKey != null) {
      String anthropicBase = blankToNull(env.get("ANTHROPIC_BASE_URL"));
      URI base = ModelRouter.parseUrl(anthropicBase == null ? "https://api.anthropic.com"
          : anthropicBase, "ANTHROPIC_BASE_URL");
      out.put("anthropic", new Endpoint("anthropic", WireFormat.ANTHROPIC, base, anthropicKey,
          timeout, Map.of()));
    }
    for (KeelConfig.ProviderSpec p : config.providers()) {
      out.put(p.name(), ModelRouter.endpoint(p, env, timeout));
    }
    return out;
  }

  /** The simulator standing in for both providers, at {@code baseUrl} (no {@code /v1}). */
  static Map<String, Endpoint> simulated(String baseUrl, Duration timeout) {
    var out = new LinkedHashMap<String, Endpoint>();
    out.put("openai", new Endpoint("openai", WireFormat.OPENAI, URI.create(baseUrl + "/v1"),
        "sk-simulated", timeout, Map.of()));
    out.put("anthropic", new Endpoint("anthropic", WireFormat.ANTHROPIC, URI.create(baseUrl),
        "sk-simulated", timeout, Map.of()));
    return out;
  }

  /** Provider variables that are set but will not do what was probably meant, one line each. */
  static List<String> warnings(Map<String, String> env) {
    List<String> out = new ArrayList<>();
    String anthropicBase = blankToNull(env.get("ANTHROPIC_BASE_URL"));
    if (anthropicBase != null && blankToNull(env.get("ANTHROPIC_API_KEY")) == null) {
      out.add("ANTHROPIC_BASE_URL is set but ANTHROPIC_API_KEY is not, so it is ignored and no "
          + "anthropic provider is registered; set ANTHROPIC_API_KEY too");
    }
    String openAiBase = blankToNull(env.get("OPENAI_BASE_URL"));
    if (openAiBase != null && !stripSlashes(openAiBase).endsWith("/v1")) {
      // A URL may carry user:password@; such a URL is not repeated in the log.
      boolean shown = !openAiBase.contains("@");
      out.add("OPENAI_BASE_URL" + (shown ? " (" + openAiBase + ")" : "") + " does not end in "
          + "/v1; OpenAI-compatible servers usually need it, as Keel appends /chat/completions "
          + "to this URL" + (shown ? " (for example " + stripSlashes(openAiBase) + "/v1)" : ""));
    }
    return out;
  }

  private static String stripSlashes(String url) {
    String s = url;
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
