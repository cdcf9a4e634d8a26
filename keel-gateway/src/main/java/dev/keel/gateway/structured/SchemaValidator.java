package dev.keel.gateway.structured;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;

/**
 * Validates model outputs against JSON Schema draft 2020-12.
 *
 * <p>Schemas are compiled once and cached by their text, since clients send the same schema with
 * every request. A schema is itself checked against the 2020-12 meta-schema (bundled in the
 * validator's jar, so nothing is fetched) before use, so a broken schema is the caller's 400, not
 * a failure found after the provider was paid.
 */
public final class SchemaValidator {

  private static final int MAX_ERRORS = 5;
  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private static final Schema META =
      REGISTRY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

  private final Cache<String, Schema> compiled = Caffeine.newBuilder().maximumSize(1_000).build();

  /**
   * Compiles {@code schemaJson}; throws {@link IllegalArgumentException} naming what is wrong
   * when it is not a valid 2020-12 schema.
   */
  public Schema compile(String schemaJson) {
    Schema cached = compiled.getIfPresent(schemaJson);
    if (cached != null) {
      return cached;
    }
    List<Error> problems;
    try {
      problems = META.validate(schemaJson, InputFormat.JSON);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the JSON schema could not be read: " + e.getMessage(),
          e);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("the JSON schema is not valid JSON Schema 2020-12: "
          + describe(problems));
    }
    requireLocalRefs(schemaJson);
    Schema schema;
    try {
      schema = REGISTRY.getSchema(schemaJson, InputFormat.JSON);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the JSON schema could not be compiled: "
          + e.getMessage(), e);
    }
    compiled.put(schemaJson, schema);
    return schema;
  }

  /**
   * Checks {@code output} against {@code schemaJson}. Returns an empty string when it conforms,
   * else what is wrong (at most a few errors, each with its JSON path).
   */
  public String violations(String schemaJson, String output) {
    Schema schema = compile(schemaJson);
    if (output == null || output.isBlank()) {
      return "the answer is empty, not JSON";
    }
    List<Error> errors;
    try {
      errors = schema.validate(output, InputFormat.JSON);
    } catch (RuntimeException notJson) {
      return "the answer is not valid JSON: " + firstLine(notJson.getMessage());
    }
    return errors.isEmpty() ? "" : describe(errors);
  }

  /**
   * Every {@code $ref} must point inside the schema ({@code #/...}) at something that exists:
   * Keel fetches nothing (no network, no files), and a reference that cannot be resolved would
   * otherwise surface only after the provider was paid, blamed on the model's answer.
   */
  private static void requireLocalRefs(String schemaJson) {
    com.fasterxml.jackson.databind.JsonNode root;
    try {
      root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(schemaJson);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("the JSON schema could not be read: " + e.getMessage());
    }
    checkRefs(root, root);
  }

  private static void checkRefs(com.fasterxml.jackson.databind.JsonNode root,
      com.fasterxml.jackson.databind.JsonNode node) {
    if (node.isObject()) {
      var ref = node.get("$ref");
      if (ref != null) {
        String r = ref.asText();
        if (!r.startsWith("#")) {
          throw new IllegalArgumentException("$ref must point inside the schema (#/...), got: "
              + r);
        }
        String pointer = r.substring(1);
        if (!pointer.isEmpty() && root.at(pointer).isMissingNode()) {
          throw new IllegalArgumentException("$ref points at nothing in the schema: " + r);
        }
      }
      node.elements().forEachRemaining(child -> checkRefs(root, child));
    } else if (node.isArray()) {
      node.forEach(child -> checkRefs(root, child));
    }
  }

  private static String describe(List<Error> errors) {
    var sb = new StringBuilder();
    for (int i = 0; i < Math.min(MAX_ERRORS, errors.size()); i++) {
      if (i > 0) {
        sb.append("; ");
      }
      Error e = errors.get(i);
      String at = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
      sb.append(at.isEmpty() ? "$" : at).append(": ").append(e.getMessage());
    }
    if (errors.size() > MAX_ERRORS) {
      sb.append("; and ").append(errors.size() - MAX_ERRORS).append(" more");
    }
    return sb.toString();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "syntax error";
    }
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
