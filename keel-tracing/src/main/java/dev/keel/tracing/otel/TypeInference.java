package dev.keel.tracing.otel;

import dev.keel.core.trace.ObservationType;
import java.util.List;
import java.util.Locale;

/**
 * The observation type of a span: the first rule that matches wins, in the order of
 * reference/langfuse-compat.md section 4.4; a span no rule matches is a SPAN.
 */
final class TypeInference {

  static final List<String> MODEL_KEYS = List.of("langfuse.observation.model.name",
      "gen_ai.response.model", "ai.model.id", "gen_ai.request.model", "llm.response.model",
      "llm.model_name", "model");

  private TypeInference() {}

  static ObservationType infer(Attributes a, String spanName) {
    String declared = a.text("langfuse.observation.type");
    // Python SDK up to 3.3 marked generations as spans and sent the generation attributes.
    if ("span".equalsIgnoreCase(declared) && hasGenerationAttributes(a)) {
      return ObservationType.GENERATION;
    }
    ObservationType t = declared == null ? null : byName(declared);
    if (t == null) {
      t = openInference(a.text("openinference.span.kind"));
    }
    if (t == null) {
      t = operation(a.text("gen_ai.operation.name"));
    }
    if (t == null) {
      t = vercel(spanName, a);
    }
    if (t == null && (a.has("gen_ai.tool.name") || a.has("gen_ai.tool.call.id"))) {
      t = ObservationType.TOOL;
    }
    if (t == null && a.firstText(MODEL_KEYS.toArray(String[]::new)) != null) {
      t = ObservationType.GENERATION;
    }
    return t == null ? ObservationType.SPAN : t;
  }

  private static boolean hasGenerationAttributes(Attributes a) {
    return a.has("langfuse.observation.model.name")
        || a.has("langfuse.observation.usage_details")
        || a.has("langfuse.observation.cost_details");
  }

  private static ObservationType byName(String s) {
    try {
      return ObservationType.valueOf(s.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static ObservationType openInference(String kind) {
    if (kind == null) {
      return null;
    }
    return "LLM".equalsIgnoreCase(kind) ? ObservationType.GENERATION : byName(kind);
  }

  private static ObservationType operation(String op) {
    if (op == null) {
      return null;
    }
    return switch (op) {
      case "chat", "completion", "text_completion", "generate_content", "generate" ->
          ObservationType.GENERATION;
      case "embeddings" -> ObservationType.EMBEDDING;
      case "invoke_agent", "create_agent" -> ObservationType.AGENT;
      case "execute_tool" -> ObservationType.TOOL;
      default -> null;
    };
  }

  // The Vercel AI SDK names its spans after the operation (scope "ai").
  private static ObservationType vercel(String name, Attributes a) {
    if (name == null || !name.startsWith("ai.")) {
      return null;
    }
    if ((name.endsWith(".doGenerate") || name.endsWith(".doStream"))
        && (a.has("ai.model.id") || a.has("gen_ai.request.model"))) {
      return ObservationType.GENERATION;
    }
    if (name.startsWith("ai.embed") && name.endsWith(".doEmbed")) {
      return ObservationType.EMBEDDING;
    }
    return name.equals("ai.toolCall") ? ObservationType.TOOL : null;
  }
}
