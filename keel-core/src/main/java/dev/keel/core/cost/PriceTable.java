package dev.keel.core.cost;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Prices and context windows of thousands of models, keyed by model name, with LiteLLM's model
 * cost map as the source (see SOURCES.md beside the bundled file). Immutable and thread-safe.
 *
 * <p>{@link #find(String)} resolves a name the way callers actually spell it: the exact name,
 * the name with its provider prefix stripped (when the entry's provider fits) or added for
 * first-party families, and a dated name's undated base; then all of those ignoring case; and
 * last, for an undated name, its newest dated snapshot.
 */
public final class PriceTable {

  private static final String BUNDLED = "model_prices.json";

  private final Map<String, ModelPrice> entries;
  private final Map<String, String> keysByLowerCase;
  private final Map<String, String> newestDatedByBase;

  private PriceTable(Map<String, ModelPrice> entries) {
    this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    this.keysByLowerCase = new HashMap<>(entries.size() * 2);
    this.newestDatedByBase = new HashMap<>();
    for (String key : entries.keySet()) {
      keysByLowerCase.putIfAbsent(lower(key), key);
      indexDated(key);
    }
  }

  /**
   * The table shipped with Keel. Loaded on first use and then shared, so start-up does not pay
   * for parsing 1.4 MB of JSON.
   */
  public static PriceTable bundled() {
    return Bundled.TABLE;
  }

  /**
   * Loads a table in LiteLLM's format from a file.
   *
   * @throws IllegalArgumentException naming the first bad entry and field, or when the table
   *     has no model entries
   * @throws UncheckedIOException when the file cannot be read or is not JSON
   */
  public static PriceTable load(Path json) {
    try (InputStream in = Files.newInputStream(json)) {
      Map<String, ModelPrice> entries = PriceTableParser.parse(in, json.getFileName().toString());
      if (entries.isEmpty()) {
        // Installing it would leave every model unpriced: most likely the wrong file.
        throw new IllegalArgumentException("price table " + json + " has no model entries; "
            + "expected LiteLLM's model_prices_and_context_window.json format, an object of "
            + "model names to prices");
      }
      return new PriceTable(entries);
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot read price table " + json + ": " + ex.getMessage(),
          ex);
    }
  }

  /** A table holding exactly {@code entries}, for tests and custom price lists. */
  public static PriceTable of(Map<String, ModelPrice> entries) {
    return new PriceTable(entries);
  }

  /** This table with {@code overrides} added, replacing entries of the same name. */
  public PriceTable withOverrides(Map<String, ModelPrice> overrides) {
    var merged = new LinkedHashMap<>(entries);
    merged.putAll(overrides);
    return new PriceTable(merged);
  }

  /** The price of {@code model}, resolving provider prefixes, dates and case. */
  public Optional<ModelPrice> find(String model) {
    Objects.requireNonNull(model, "model");
    String name = model.strip();
    if (name.isEmpty()) {
      return Optional.empty();
    }
    List<ModelNames.Candidate> candidates = ModelNames.candidates(name);
    return lookup(candidates, c -> entry(c, false))
        .or(() -> lookup(candidates, c -> entry(c, true)))
        .or(() -> lookup(candidates, c -> entry(newestDatedByBase.get(lower(c)), true)));
  }

  /**
   * The price of {@code model} served by {@code provider}: {@code provider/model} first, so a
   * deployment's own price wins over the first-party one, then {@link #find(String)}. Either
   * way the entry's provider must fit {@code provider}.
   */
  public Optional<ModelPrice> find(String provider, String model) {
    Objects.requireNonNull(provider, "provider");
    return find(provider + "/" + model)
        .or(() -> find(model))
        .filter(p -> ModelNames.compatible(provider, p.provider()));
  }

  /** The context window of {@code model}, when the table knows the model and its window. */
  public Optional<Integer> maxInputTokens(String model) {
    return find(model).map(ModelPrice::maxInputTokens);
  }

  /** Number of models in the table. */
  public int size() {
    return entries.size();
  }

  /** Every entry by its table name, in file order. */
  public Map<String, ModelPrice> entries() {
    return entries;
  }

  private Optional<ModelPrice> lookup(List<ModelNames.Candidate> candidates,
      Function<String, Optional<ModelPrice>> byName) {
    for (ModelNames.Candidate c : candidates) {
      Optional<ModelPrice> hit = byName.apply(c.name())
          .filter(p -> ModelNames.compatible(c.provider(), p.provider()));
      if (hit.isPresent()) {
        return hit;
      }
    }
    return Optional.empty();
  }

  private Optional<ModelPrice> entry(String name, boolean anyCase) {
    if (name == null) {
      return Optional.empty();
    }
    String key = anyCase ? keysByLowerCase.get(lower(name)) : name;
    return Optional.ofNullable(key == null ? null : entries.get(key));
  }

  private void indexDated(String key) {
    String base = ModelNames.undated(key);
    if (base == null) {
      return;
    }
    newestDatedByBase.merge(lower(base), key, (old, cur) ->
        ModelNames.dateDigits(cur).compareTo(ModelNames.dateDigits(old)) > 0 ? cur : old);
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  private static PriceTable loadBundled() {
    try (InputStream in = PriceTable.class.getResourceAsStream(BUNDLED)) {
      if (in == null) {
        throw new IllegalStateException("bundled price table missing from the class path: "
            + BUNDLED);
      }
      return new PriceTable(PriceTableParser.parse(in, BUNDLED));
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot read bundled price table: " + ex.getMessage(), ex);
    }
  }

  /** Holds the bundled table; the JVM initialises it once, on first use, thread-safely. */
  private static final class Bundled {
    static final PriceTable TABLE = loadBundled();
  }
}
