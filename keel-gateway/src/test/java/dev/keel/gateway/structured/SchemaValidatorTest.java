package dev.keel.gateway.structured;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SchemaValidatorTest {

  private static final String SCHEMA = """
      {"type": "object", "properties": {"name": {"type": "string"},
       "age": {"type": "integer", "minimum": 0}}, "required": ["name", "age"],
       "additionalProperties": false}""";
  private final SchemaValidator validator = new SchemaValidator();

  @Test
  void violations_conformingOutput_isEmpty() {
    assertThat(validator.violations(SCHEMA, "{\"name\": \"Ada\", \"age\": 36}")).isEmpty();
  }

  @Test
  void violations_wrongTypeAndMissingField_namesEach() {
    String v = validator.violations(SCHEMA, "{\"name\": 7}");

    assertThat(v).contains("name").contains("string").contains("age");
  }

  @Test
  void violations_notJson_saysSo() {
    assertThat(validator.violations(SCHEMA, "{\"name\": ")).startsWith("the answer is not valid JSON");
    assertThat(validator.violations(SCHEMA, "")).contains("empty");
  }

  @Test
  void violations_extraProperty_rejected() {
    assertThat(validator.violations(SCHEMA, "{\"name\": \"a\", \"age\": 1, \"x\": 2}"))
        .contains("x");
  }

  @Test
  void compile_refsOutsideTheSchemaOrToNothing_areRejectedUpFront() {
    assertThatThrownBy(() -> validator.compile(
        "{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"#/nope\"}}}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("#/nope");
    assertThatThrownBy(() -> validator.compile("{\"$ref\":\"file:///etc/passwd\"}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inside the schema");
    assertThat(validator.violations("{\"$defs\":{\"n\":{\"type\":\"integer\"}},"
        + "\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"#/$defs/n\"}}}",
        "{\"a\": 3}")).isEmpty();
  }

  @Test
  void compile_invalidSchema_isAClearError() {
    assertThatThrownBy(() -> validator.compile("{\"type\": \"strnig\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not valid JSON Schema 2020-12");
    assertThatThrownBy(() -> validator.compile("{\"type\": "))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
