package dev.keel.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A tool the model may call: its name, description, the JSON Schema of its arguments, and the
 * function that runs it. Make one from {@link Tool}-annotated methods with
 * {@link #fromMethods(Object)}, from a lambda over a record with {@link #of}, or from another
 * agent with {@link Agent#asTool}.
 *
 * @param parameters an object schema; the arguments are checked against it before the call
 */
public record AgentTool(String name, String description, ObjectNode parameters,
    Function function) {

  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

  public AgentTool {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(function, "function");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("tool name must be 1 to 64 letters, digits, _ or -: "
          + name);
    }
    if (!"object".equals(parameters.path("type").asText())) {
      throw new IllegalArgumentException("tool parameters must be an object schema: "
          + parameters);
    }
    description = description == null ? "" : description;
  }

  /** Runs a tool on arguments already checked against its schema. */
  @FunctionalInterface
  public interface Function {
    Object call(JsonNode arguments) throws Exception;
  }

  /** A lambda-like function whose argument is a record (or other type with a JSON shape). */
  @FunctionalInterface
  public interface Typed<A> {
    Object apply(A arguments) throws Exception;
  }

  /** A tool whose arguments are the components of record {@code type}. */
  public static <A extends Record> AgentTool of(String name, String description, Class<A> type,
      Typed<A> function) {
    ObjectNode schema = JsonSchemas.of(type);
    return new AgentTool(name, description, schema,
        args -> function.apply(AgentJson.MAPPER.treeToValue(args, type)));
  }

  /** Every public {@link Tool}-annotated method of {@code target}, as tools calling it. */
  public static List<AgentTool> fromMethods(Object target) {
    List<AgentTool> tools = new ArrayList<>();
    for (Method m : target.getClass().getMethods()) {
      Tool t = m.getAnnotation(Tool.class);
      if (t != null && !Modifier.isStatic(m.getModifiers())) {
        tools.add(MethodBinding.tool(target, m, t));
      }
    }
    if (tools.isEmpty()) {
      throw new IllegalArgumentException("no public @Tool methods on "
          + target.getClass().getName());
    }
    tools.sort((a, b) -> a.name().compareTo(b.name()));
    return List.copyOf(tools);
  }

  /**
   * Checks the arguments against the schema, then calls the function. Throws
   * {@link ToolArgumentException} for arguments that do not fit, and the function's own
   * exception (unwrapped from reflection) when it fails.
   */
  public Object invoke(JsonNode arguments) throws Exception {
    ArgumentCheck.check(parameters, arguments);
    try {
      return function.call(arguments);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ToolArgumentException("arguments do not bind: "
          + AgentJson.truncate(e.getOriginalMessage()));
    }
  }

  /** The tool as the OpenAI {@code tools} array entry. */
  ObjectNode toOpenAi() {
    ObjectNode t = AgentJson.MAPPER.createObjectNode().put("type", "function");
    ObjectNode f = t.putObject("function").put("name", name).put("description", description);
    f.set("parameters", parameters);
    return t;
  }
}
