package dev.keel.server.ui;

import dev.keel.core.cost.ModelPrice;
import dev.keel.core.cost.TokenRates;
import dev.keel.gateway.Pricing;
import dev.keel.store.PriceOverride;
import dev.keel.store.SettingStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Settings → Models and prices: the price table in use, searched by model name, and an admin's
 * run-time prices, stored and laid over the table at once (the gateway and ingestion price the
 * next call with them).
 */
final class PricesSettings {

  static final int MAX_ROWS = 50;
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
  // USD per 1M tokens; the dearest models cost a few hundred, so this only stops typos.
  private static final BigDecimal MAX_RATE = BigDecimal.valueOf(1_000_000);
  private static final java.util.regex.Pattern PROVIDER =
      java.util.regex.Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

  private final Pricing pricing;
  private final SettingStore settings;
  private final Clock clock;

  PricesSettings(Pricing pricing, SettingStore settings, Clock clock) {
    this.pricing = pricing;
    this.settings = settings;
    this.clock = clock;
  }

  void register(UiRoutes.Router r) {
    r.adminAction("/ui/settings/prices", (q, s) -> {
      PriceOverride p = override(q, s);
      change(() -> {
        settings.putPrice(p);
        return true;
      });
      return "/ui/settings?model=" + Html.url(p.model()) + "#prices";
    });
    r.adminAction("/ui/settings/prices/{model}/delete", (q, s) -> {
      if (!change(() -> settings.deletePrice(q.path("model")))) {
        throw new UiRoutes.NotFound("no price set in Settings for model " + q.path("model"));
      }
      return "/ui/settings#prices";
    });
  }

  /**
   * Stores a change and swaps the prices in use for what the store then holds. One change at a
   * time, so two admins saving at once cannot leave the older list in use.
   */
  private synchronized boolean change(BooleanSupplier store) {
    boolean changed = store.getAsBoolean();
    pricing.useRuntimePrices(settings.prices());
    return changed;
  }

  void render(StringBuilder b, UiRequest q, UiSession s) {
    b.append("<h2 id=\"prices\">Models and prices</h2><p class=\"muted\">USD per 1M tokens."
        + " Prices set here are laid over the table and keel.yaml, and used for the next"
        + " call.</p>");
    String search = q.param("model");
    b.append("<form class=\"filters\" method=\"get\" action=\"/ui/settings#prices\""
        + " role=\"search\"><label>Model<input name=\"model\" id=\"price-search\" value=\"")
        .append(Html.esc(search)).append("\"></label><button type=\"submit\">Search</button>"
            + "</form>");
    if (s.isAdmin()) {
      form(b, s, search);
    }
    table(b, s, search);
  }

  private void form(StringBuilder b, UiSession s, String model) {
    b.append("<form class=\"filters\" method=\"post\" action=\"/ui/settings/prices\""
        + " id=\"price-form\">").append(Html.csrf(s))
        .append("<label>Model<input name=\"model\" required maxlength=\"200\" value=\"")
        .append(Html.esc(model)).append("\"></label>")
        .append("<label>Provider (new models)<input name=\"provider\"></label>");
    for (String[] f : new String[][] {{"input", "Input"}, {"output", "Output"},
        {"cache_read", "Cache read"}, {"cache_write", "Cache write"}}) {
      b.append("<label>").append(f[1]).append(" /1M<input name=\"").append(f[0])
          .append("\" inputmode=\"decimal\"></label>");
    }
    b.append("<button type=\"submit\">Set price</button></form>");
  }

  private void table(StringBuilder b, UiSession s, String search) {
    String needle = search == null ? null : search.toLowerCase(Locale.ROOT);
    StringBuilder rows = new StringBuilder();
    int shown = 0;
    int matched = 0;
    for (Map.Entry<String, ModelPrice> e : pricing.table().entries().entrySet()) {
      String source = pricing.source(e.getKey());
      boolean changed = !source.startsWith("LiteLLM");
      if (needle == null ? !changed
          : !e.getKey().toLowerCase(Locale.ROOT).contains(needle)) {
        continue;
      }
      matched++;
      if (shown < MAX_ROWS) {
        row(rows, s, e.getKey(), e.getValue(), source);
        shown++;
      }
    }
    if (matched == 0) {
      b.append("<p class=\"empty\">").append(needle == null
          ? "No prices set here or in keel.yaml; search the " + pricing.table().size()
              + " models of the table." : "No model matches.").append("</p>");
      return;
    }
    b.append("<table class=\"list\" id=\"prices-table\"><thead><tr><th>Model</th>"
        + "<th>Provider</th><th class=\"num\">Input</th><th class=\"num\">Output</th>"
        + "<th class=\"num\">Cache read</th><th class=\"num\">Cache write</th><th>Source</th>"
        + "<th></th></tr></thead><tbody>").append(rows).append("</tbody></table>");
    if (matched > shown) {
      b.append("<p class=\"muted\">").append(shown).append(" of ").append(matched)
          .append(" models shown; narrow the search.</p>");
    }
  }

  private static void row(StringBuilder b, UiSession s, String name, ModelPrice p,
      String source) {
    TokenRates r = p.rates();
    b.append("<tr><td><code>").append(Html.esc(name)).append("</code></td><td>")
        .append(Html.esc(p.provider())).append("</td>");
    for (BigDecimal rate : new BigDecimal[] {r.input(), r.output(), r.cacheRead(),
        r.cacheWrite()}) {
      b.append("<td class=\"num\">").append(perMillion(rate)).append("</td>");
    }
    b.append("<td>").append(Html.esc(source)).append("</td><td>");
    if (s.isAdmin() && source.startsWith("set in Settings")) {
      b.append("<form method=\"post\" class=\"inline\" action=\"/ui/settings/prices/")
          .append(Html.esc(Html.url(name))).append("/delete\">").append(Html.csrf(s))
          .append("<button type=\"submit\" class=\"danger\">Remove</button></form>");
    }
    b.append("</td></tr>");
  }

  private static String perMillion(BigDecimal perToken) {
    return perToken == null ? "–"
        : "$" + perToken.multiply(MILLION).stripTrailingZeros().toPlainString();
  }

  private PriceOverride override(UiRequest q, UiSession s) {
    String model = q.param("model");
    if (model == null) {
      throw new IllegalArgumentException("model is required");
    }
    String provider = q.param("provider");
    if (provider != null && !PROVIDER.matcher(provider).matches()) {
      throw new IllegalArgumentException("provider must be a provider's name such as openai, "
          + "anthropic or vertex_ai (lower-case letters, digits, '_', '-', '.'), got: "
          + (provider.length() > 80 ? provider.substring(0, 80) + "..." : provider));
    }
    if (provider == null) {
      provider = pricing.table().find(model).map(ModelPrice::provider).orElseThrow(() ->
          new IllegalArgumentException("provider is required for a model the price table"
              + " does not list: " + model));
    }
    return new PriceOverride(model, provider, rate(q, "input"), rate(q, "output"),
        rate(q, "cache_read"), rate(q, "cache_write"), clock.instant(), s.who());
  }

  private static BigDecimal rate(UiRequest q, String name) {
    String v = q.param(name);
    if (v == null) {
      return null;
    }
    try {
      BigDecimal d = new BigDecimal(v.startsWith("$") ? v.substring(1) : v);
      if (d.signum() >= 0 && d.compareTo(MAX_RATE) <= 0) {
        return d;
      }
    } catch (NumberFormatException e) {
      // Reported below, as a number out of range is.
    }
    throw new IllegalArgumentException(name + " must be a price in USD per 1M tokens from 0 to "
        + MAX_RATE.toPlainString() + ": " + v);
  }
}
