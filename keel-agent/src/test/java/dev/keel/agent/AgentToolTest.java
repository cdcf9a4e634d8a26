package dev.keel.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentToolTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  enum Speed { STANDARD, EXPRESS }

  record Address(@Param("street and number") String street, String city,
      Optional<String> zip) {}

  record Shipment(String orderId, Speed speed, Address to, List<String> items) {}

  public static final class Shipping {
    @Tool(value = "Ships an order", name = "ship")
    public String ship(@Param("the order") String orderId, @Param("how fast") Speed speed,
        Address to, List<Integer> boxes, double weightKg, boolean gift,
        @Param("a note") Optional<String> note) {
      return orderId + " " + speed + " " + to.city() + " " + boxes + " " + weightKg + " " + gift
          + " " + note.orElse("-");
    }

    @Tool("Counts")
    public long count(long n) {
      return n + 1;
    }

    public String notATool() {
      return "";
    }
  }

  public static final class Bad {
    @Tool("Takes anything")
    public String any(Object value) {
      return "";
    }
  }

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  private static AgentTool ship() {
    return AgentTool.fromMethods(new Shipping()).stream().filter(t -> t.name().equals("ship"))
        .findFirst().orElseThrow();
  }

  @Test
  void fromMethods_annotatedMethods_schemaFromParameterTypes() throws Exception {
    List<AgentTool> tools = AgentTool.fromMethods(new Shipping());

    assertThat(tools).extracting(AgentTool::name).containsExactly("count", "ship");
    assertThat(ship().description()).isEqualTo("Ships an order");
    assertThat(ship().parameters()).isEqualTo(json("""
        {"type": "object", "properties": {
          "orderId": {"type": "string", "description": "the order"},
          "speed": {"type": "string", "enum": ["STANDARD", "EXPRESS"], "description": "how fast"},
          "to": {"type": "object", "properties": {
              "street": {"type": "string", "description": "street and number"},
              "city": {"type": "string"}, "zip": {"type": "string"}},
            "required": ["street", "city"], "additionalProperties": false},
          "boxes": {"type": "array", "items": {"type": "integer"}},
          "weightKg": {"type": "number"},
          "gift": {"type": "boolean"},
          "note": {"type": "string", "description": "a note"}},
         "required": ["orderId", "speed", "to", "boxes", "weightKg", "gift"],
         "additionalProperties": false}"""));
  }

  @Test
  void invoke_validArguments_bindsEveryType() throws Exception {
    Object out = ship().invoke(json("""
        {"orderId": "A1", "speed": "EXPRESS", "to": {"street": "1 Main", "city": "Oslo"},
         "boxes": [1, 2], "weightKg": 2.5, "gift": true}"""));

    assertThat(out).isEqualTo("A1 EXPRESS Oslo [1, 2] 2.5 true -");
  }

  @Test
  void invoke_badArguments_messageNamesTheProblem() {
    String base = "\"orderId\": \"A1\", \"to\": {\"street\": \"s\", \"city\": \"c\"}, "
        + "\"boxes\": [], \"weightKg\": 1, \"gift\": false";

    assertThatThrownBy(() -> ship().invoke(json("{" + base + "}")))
        .isInstanceOf(ToolArgumentException.class)
        .hasMessage("missing required argument speed");
    assertThatThrownBy(() -> ship().invoke(json("{" + base + ", \"speed\": \"SLOW\"}")))
        .hasMessage("argument speed must be one of [\"STANDARD\",\"EXPRESS\"]: \"SLOW\"");
    assertThatThrownBy(() -> ship().invoke(json("{" + base.replace("[]", "[\"x\"]")
        + ", \"speed\": \"EXPRESS\"}")))
        .hasMessage("argument boxes[0] must be an integer: \"x\"");
    assertThatThrownBy(() -> ship().invoke(json("{" + base.replace("\"c\"}", "\"c\", \"x\": 1}")
        + ", \"speed\": \"EXPRESS\"}")))
        .hasMessage("unknown argument to.x; expected one of [street, city, zip]");
    assertThatThrownBy(() -> ship().invoke(json("[1]")))
        .hasMessage("arguments must be an object: [1]");
  }

  @Test
  void of_recordLambda_schemaFromRecordAndCallsWithIt() throws Exception {
    AgentTool tool = AgentTool.of("plan_shipment", "Plans a shipment", Shipment.class,
        s -> s.orderId() + "/" + s.speed() + "/" + s.to().zip().orElse("none") + "/"
            + s.items().size());

    Object out = tool.invoke(json("""
        {"orderId": "B2", "speed": "STANDARD", "to": {"street": "s", "city": "c", "zip": "0150"},
         "items": ["a", "b"]}"""));

    assertThat(out).isEqualTo("B2/STANDARD/0150/2");
    assertThat(tool.parameters().path("required")).hasSize(4);
    assertThat(tool.parameters().path("properties").path("items").path("items").path("type")
        .asText()).isEqualTo("string");
  }

  @Test
  void fromMethods_unsupportedParameterType_saysWhichTypesWork() {
    assertThatThrownBy(() -> AgentTool.fromMethods(new Bad()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unsupported tool parameter type java.lang.Object: use String, numbers,"
            + " booleans, enums, lists, maps, records or Optional");
    assertThatThrownBy(() -> AgentTool.fromMethods(new Object()))
        .hasMessage("no public @Tool methods on java.lang.Object");
  }

  @Test
  void bounds_invalidValues_rejectedWithTheValue() {
    assertThatThrownBy(() -> Bounds.DEFAULT.withMaxSteps(0))
        .hasMessage("maxSteps must be positive: 0");
    assertThatThrownBy(() -> Bounds.DEFAULT.withMaxRepeats(1))
        .hasMessage("maxRepeats must be 0 (off) or at least 2: 1");
    assertThatThrownBy(() -> Bounds.DEFAULT.withDeadline(java.time.Duration.ZERO))
        .hasMessage("deadline must be positive: PT0S");
  }
}
