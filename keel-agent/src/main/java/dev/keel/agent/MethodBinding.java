package dev.keel.agent;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.util.Optional;

/** Binds a {@link Tool}-annotated method: schema from its parameters, JSON to arguments. */
final class MethodBinding {

  private MethodBinding() {}

  static AgentTool tool(Object target, Method m, Tool t) {
    Parameter[] params = m.getParameters();
    String[] names = new String[params.length];
    ObjectNode schema = JsonSchemas.object();
    for (int i = 0; i < params.length; i++) {
      names[i] = name(m, params[i]);
      Param p = params[i].getAnnotation(Param.class);
      JsonSchemas.addProperty(schema, names[i], params[i].getParameterizedType(),
          p == null ? null : p.value());
    }
    String name = t.name().isBlank() ? m.getName() : t.name();
    m.setAccessible(true);
    return new AgentTool(name, t.value(), schema, args -> m.invoke(target, bind(args, params,
        names)));
  }

  private static Object[] bind(JsonNode args, Parameter[] params, String[] names)
      throws Exception {
    Object[] values = new Object[params.length];
    for (int i = 0; i < params.length; i++) {
      Type type = params[i].getParameterizedType();
      JsonNode node = args.get(names[i]);
      boolean optional = JsonSchemas.isOptional(type);
      Object v = node == null || node.isNull() ? null : convert(node,
          JsonSchemas.unwrapOptional(type));
      values[i] = optional ? Optional.ofNullable(v) : v;
    }
    return values;
  }

  private static Object convert(JsonNode node, Type type) throws Exception {
    JavaType javaType = AgentJson.MAPPER.getTypeFactory().constructType(type);
    return AgentJson.MAPPER.treeToValue(node, javaType);
  }

  private static String name(Method m, Parameter p) {
    Param param = p.getAnnotation(Param.class);
    if (param != null && !param.name().isBlank()) {
      return param.name();
    }
    if (!p.isNamePresent()) {
      throw new IllegalArgumentException("tool method " + m.getName() + " has unnamed "
          + "parameters: compile with -parameters or name them with @Param(name = ...)");
    }
    return p.getName();
  }
}
