package dev.keel.core.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Counts tokens with a real BPE tokenizer when a provider reports no usage.
 *
 * <p>Models of the GPT-4o and o-series families use o200k_base; everything else (older OpenAI
 * models, and Claude, whose tokenizer is not public) is counted with cl100k_base, which is an
 * estimate and is marked as one by callers. The registry loads lazily on first use (about half
 * a second), so start-up does not pay for it.
 */
public final class TokenCounter {

  private TokenCounter() {}

  /** Tokens in {@code text} under the encoding that fits {@code model}. */
  public static int count(String model, String text) {
    if (text == null || text.isEmpty()) {
      return 0;
    }
    return encodingFor(model).countTokensOrdinary(text);
  }

  /** The encoding Keel uses for {@code model} (o200k_base or cl100k_base). */
  public static Encoding encodingFor(String model) {
    return usesO200k(model) ? Holder.O200K : Holder.CL100K;
  }

  static boolean usesO200k(String model) {
    if (model == null) {
      return false;
    }
    String m = model.substring(model.lastIndexOf('/') + 1);
    return m.startsWith("gpt-4o") || m.startsWith("gpt-4.1") || m.startsWith("gpt-5")
        || m.startsWith("o1") || m.startsWith("o3") || m.startsWith("o4")
        || m.startsWith("chatgpt-4o");
  }

  private static final class Holder {
    static final EncodingRegistry REGISTRY = Encodings.newDefaultEncodingRegistry();
    static final Encoding CL100K = REGISTRY.getEncoding(EncodingType.CL100K_BASE);
    static final Encoding O200K = REGISTRY.getEncoding(EncodingType.O200K_BASE);
  }
}
