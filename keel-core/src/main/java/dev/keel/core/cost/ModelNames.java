package dev.keel.core.cost;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names a model may be listed under in the price table, in the order they are tried.
 *
 * <p>The table lists first-party OpenAI and Anthropic models bare ({@code gpt-4o}) and most
 * others with a provider prefix ({@code xai/grok-4}); callers use both forms. Dated snapshots
 * and their undated aliases usually coexist as separate entries, but not always, so a dated
 * name also tries its base and an undated name its newest dated snapshot.
 */
final class ModelNames {

  private static final Pattern DATE_SUFFIX =
      Pattern.compile("(.+?)[-@](\\d{4}-\\d{2}-\\d{2}|\\d{8})");
  /** Bedrock cross-region inference profiles carry a region prefix before the vendor. */
  private static final Pattern REGION_PREFIX =
      Pattern.compile("(?:us|eu|apac|jp|au|ca|global|us-gov)\\.(.+\\..+)");
  /** Gemini and Vertex names may end in a three-digit revision, as in gemini-1.5-flash-001. */
  private static final Pattern REVISION_SUFFIX = Pattern.compile("(gemini.+)-\\d{3}");

  private static final Map<String, String> FAMILY_PREFIXES = familyPrefixes();

  private ModelNames() {}

  /** A name to look up; a hit counts only when its provider fits {@code provider}, if set. */
  record Candidate(String name, String provider) {}

  /** Every name to try for {@code model}, most specific first. */
  static List<Candidate> candidates(String model) {
    var out = new ArrayList<Candidate>();
    out.add(new Candidate(model, null));
    int slash = model.indexOf('/');
    if (slash > 0) {
      out.add(new Candidate(model.substring(slash + 1), model.substring(0, slash)));
    } else {
      String prefix = familyPrefix(model);
      if (prefix != null) {
        out.add(new Candidate(prefix + "/" + model, null));
      }
    }
    for (Candidate c : List.copyOf(out)) {
      for (String variant : variants(c.name())) {
        out.add(new Candidate(variant, c.provider()));
      }
    }
    return out;
  }

  /** The undated base of a dated name ({@code gpt-4o-2024-08-06} gives gpt-4o), or null. */
  static String undated(String name) {
    Matcher m = DATE_SUFFIX.matcher(name);
    return m.matches() ? m.group(1) : null;
  }

  /** The date digits of a dated name, for choosing the newest snapshot; "" when undated. */
  static String dateDigits(String name) {
    Matcher m = DATE_SUFFIX.matcher(name);
    return m.matches() ? m.group(2).replace("-", "") : "";
  }

  /**
   * True when an entry billed by {@code entryProvider} may price a name that was asked for
   * under {@code requested}. Provider families share entries; unrelated providers do not,
   * so that {@code groq/llama-x} is never priced as some other host's llama-x.
   */
  static boolean compatible(String requested, String entryProvider) {
    if (requested == null || requested.equals(entryProvider)) {
      return true;
    }
    return switch (requested) {
      case "vertex_ai" -> entryProvider.startsWith("vertex_ai");
      case "azure_ai" -> entryProvider.equals("azure") || entryProvider.equals("openai");
      case "litellm_proxy", "github" -> true;
      default -> requested.startsWith("bedrock") && entryProvider.startsWith("bedrock");
    };
  }

  private static List<String> variants(String name) {
    var out = new ArrayList<String>(3);
    String base = undated(name);
    if (base != null) {
      out.add(base);
    }
    if (name.startsWith("ft:")) {
      // ft:gpt-4o-mini-2024-07-18:org:suffix:id is billed as its base model's fine-tune.
      String[] parts = name.split(":", 3);
      out.add(parts[0] + ":" + parts[1]);
    }
    addGroup(out, REGION_PREFIX, name);
    addGroup(out, REVISION_SUFFIX, name);
    return out;
  }

  private static void addGroup(List<String> out, Pattern pattern, String name) {
    Matcher m = pattern.matcher(name);
    if (m.matches()) {
      out.add(m.group(1));
    }
  }

  private static String familyPrefix(String bareModel) {
    String lower = bareModel.toLowerCase(Locale.ROOT);
    for (var e : FAMILY_PREFIXES.entrySet()) {
      if (lower.startsWith(e.getKey())) {
        return e.getValue();
      }
    }
    return null;
  }

  private static Map<String, String> familyPrefixes() {
    var m = new LinkedHashMap<String, String>();
    m.put("claude", "anthropic");
    m.put("gemini", "gemini");
    m.put("gemma", "gemini");
    m.put("grok", "xai");
    m.put("deepseek", "deepseek");
    for (String family : List.of("mistral", "codestral", "ministral", "magistral", "pixtral",
        "devstral", "open-mistral", "open-mixtral")) {
      m.put(family, "mistral");
    }
    return m;
  }
}
