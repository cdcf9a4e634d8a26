package dev.keel.eval.rag;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON Schemas of the RAG judge answers. */
final class Schemas {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private Schemas() {}

  static ObjectNode object(String... required) {
    ObjectNode s = MAPPER.createObjectNode();
    s.put("type", "object");
    s.putObject("properties");
    var req = s.putArray("required");
    for (String r : required) {
      req.add(r);
    }
    s.put("additionalProperties", false);
    return s;
  }

  static ObjectNode props(ObjectNode schema) {
    return (ObjectNode) schema.get("properties");
  }

  static void binary(ObjectNode props, String name) {
    props.putObject(name).put("type", "integer").put("minimum", 0).put("maximum", 1);
  }

  /** {statements: [string]} */
  static ObjectNode statements() {
    ObjectNode s = object("statements");
    props(s).putObject("statements").put("type", "array").putObject("items")
        .put("type", "string");
    return s;
  }

  /** {list: [{statement, reason, flag: 0|1}]} */
  static ObjectNode verdictList(String list, String flag) {
    ObjectNode item = object("statement", "reason", flag);
    props(item).putObject("statement").put("type", "string");
    props(item).putObject("reason").put("type", "string");
    binary(props(item), flag);
    ObjectNode s = object(list);
    props(s).putObject(list).put("type", "array").set("items", item);
    return s;
  }

  /** {reason, verdict: 0|1} */
  static ObjectNode verdict() {
    ObjectNode s = object("reason", "verdict");
    props(s).putObject("reason").put("type", "string");
    binary(props(s), "verdict");
    return s;
  }

  /** {question, noncommittal: 0|1} */
  static ObjectNode generatedQuestion() {
    ObjectNode s = object("question", "noncommittal");
    props(s).putObject("question").put("type", "string");
    binary(props(s), "noncommittal");
    return s;
  }
}
