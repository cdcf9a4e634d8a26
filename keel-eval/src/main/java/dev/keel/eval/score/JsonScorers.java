package dev.keel.eval.score;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.keel.eval.ScoreResult;
import dev.keel.eval.Scorer;
import java.io.IOException;
import java.util.List;

/** JSON validity and JSON Schema (draft 2020-12) scorers. */
public final class JsonScorers {

  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  private JsonScorers() {}

  static Scorer valid(Options o) {
    return Deterministic.scorer(o, "json_valid", c -> {
      String out = Texts.output(c);
      String why = parseError(out);
      return Deterministic.pass(o.scorer(), why == null, why == null ? "valid JSON" : why);
    });
  }

  static Scorer schema(Options o) {
    JsonNode schemaJson = o.json("schema");
    if (schemaJson == null) {
      throw new IllegalArgumentException("scorer " + o.scorer() + " needs option 'schema'");
    }
    Schema schema = compile(schemaJson);
    return Deterministic.scorer(o, "json_schema", c -> {
      String out = Texts.output(c);
      String why = violations(schema, out);
      return Deterministic.pass(o.scorer(), why == null, why == null
          ? "matches the schema" : why);
    });
  }

  /** Compiles a 2020-12 schema; throws naming what is wrong. */
  public static Schema compile(JsonNode schemaJson) {
    try {
      return REGISTRY.getSchema(schemaJson.toString(), InputFormat.JSON);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the JSON schema could not be compiled: "
          + e.getMessage(), e);
    }
  }

  /** Null when {@code text} is JSON matching {@code schema}, else what is wrong. */
  public static String violations(Schema schema, String text) {
    String parse = parseError(text);
    if (parse != null) {
      return parse;
    }
    List<Error> errors = schema.validate(text, InputFormat.JSON);
    if (errors.isEmpty()) {
      return null;
    }
    var sb = new StringBuilder();
    for (int i = 0; i < Math.min(3, errors.size()); i++) {
      Error e = errors.get(i);
      String at = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
      sb.append(i > 0 ? "; " : "").append(at.isEmpty() ? "$" : at).append(": ")
          .append(e.getMessage());
    }
    return sb.toString();
  }

  static String parseError(String text) {
    if (text == null || text.isBlank()) {
      return "the answer is empty, not JSON";
    }
    try (var p = Options.MAPPER.createParser(text)) {
      Options.MAPPER.readTree(p);
      if (p.nextToken() != null) {
        return "the answer has text after the JSON value";
      }
      return null;
    } catch (IOException e) {
      String m = e.getMessage() == null ? "syntax error" : e.getMessage().split("\n")[0];
      return "the answer is not valid JSON: " + m;
    }
  }
}
