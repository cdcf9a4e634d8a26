package dev.keel.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class SchemaInstancesTest {

  private static final String SCHEMA = """
      {"type": "object", "required": ["city", "n", "tags", "unit", "when"],
       "properties": {
         "city": {"type": "string", "minLength": 6},
         "n": {"type": "integer", "minimum": 3},
         "tags": {"type": "array", "items": {"$ref": "#/$defs/tag"}, "minItems": 2},
         "unit": {"enum": ["c", "f"]},
         "when": {"type": ["string", "null"], "format": "date"},
         "optional": {"type": "boolean"}},
       "$defs": {"tag": {"type": "string"}}}
      """;

  @Test
  void minimal_objectSchema_fillsRequiredWithinConstraints() throws Exception {
    JsonNode schema = Json.MAPPER.readTree(SCHEMA);

    JsonNode instance = SchemaInstances.minimal(schema);

    assertThat(instance.toString()).isEqualTo("{\"city\":\"textxx\",\"n\":3,"
        + "\"tags\":[\"text\",\"text\"],\"unit\":\"c\",\"when\":\"2025-01-01\"}");
  }

  @Test
  void invalid_objectSchema_everyPropertyHasWrongType() throws Exception {
    JsonNode schema = Json.MAPPER.readTree(SCHEMA);

    JsonNode instance = SchemaInstances.invalid(schema);

    assertThat(instance.get("city").isNumber()).isTrue();
    assertThat(instance.get("n").isTextual()).isTrue();
    assertThat(instance.get("tags").isTextual()).isTrue();
    assertThat(instance.get("optional").isTextual()).isTrue();
  }
}
