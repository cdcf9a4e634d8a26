package dev.keel.gateway.structured;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;

/**
 * What an OpenAI-format request's {@code response_format} asks of the answer: a JSON Schema,
 * any JSON object, or nothing. Keel checks every answer against it (the provider may not
 * enforce it, or not fully) and can ask the model to repair a non-conforming one.
 *
 * @param schemaJson the schema as JSON text, or null for {@code json_object}
 * @param name the schema's name, for messages
 */
public record StructuredOutput(String schemaJson, String name) {

  private static final String ANY_OBJECT = "{\"type\": \"object\"}";

  /**
   * Reads {@code response_format}; null when it asks for nothing checkable. A malformed
   * {@code response_format} or schema is a 400 naming the problem.
   */
  public static StructuredOutput of(JsonNode responseFormat, SchemaValidator validator) {
    if (responseFormat == null || responseFormat.isNull() || responseFormat.isMissingNode()) {
      return null;
    }
    String type = responseFormat.path("type").asText("");
    switch (type) {
      case "json_object":
        return new StructuredOutput(ANY_OBJECT, "json_object");
      case "json_schema":
        JsonNode spec = responseFormat.path("json_schema");
        JsonNode schema = spec.path("schema");
        if (!schema.isObject()) {
          throw invalid("response_format.json_schema.schema must be a JSON object");
        }
        String text = schema.toString();
        try {
          validator.compile(text);
        } catch (IllegalArgumentException e) {
          throw invalid("response_format.json_schema.schema: " + e.getMessage());
        }
        return new StructuredOutput(text, spec.path("name").asText("schema"));
      case "text", "":
        return null;
      default:
        throw invalid("response_format.type must be text, json_object or json_schema, got: "
            + type);
    }
  }

  /** The repair instruction sent after an answer that did not conform. */
  public String repairInstruction(String violations) {
    return "Your previous answer did not match the required JSON schema '" + name + "': "
        + violations + ". Reply again with only a JSON value that matches the schema exactly, "
        + "with no other text.";
  }

  private static KeelException invalid(String message) {
    return new KeelException(ErrorCode.INVALID_REQUEST, message, "response_format", null);
  }
}
