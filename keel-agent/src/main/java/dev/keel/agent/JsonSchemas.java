package dev.keel.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * JSON Schema (the subset function-calling models accept) for Java types: strings, numbers,
 * booleans, enums, lists and arrays, string-keyed maps, records (nested objects) and
 * {@code Optional} (a property that is not required).
 */
final class JsonSchemas {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int MAX_DEPTH = 8;
  private static final Set<Class<?>> INTEGERS = Set.of(int.class, long.class, short.class,
      byte.class, Integer.class, Long.class, Short.class, Byte.class, BigInteger.class);
  private static final Set<Class<?>> NUMBERS = Set.of(double.class, float.class, Double.class,
      Float.class, BigDecimal.class, Number.class);

  private JsonSchemas() {}

  /** An empty object schema, to which {@link #addProperty} adds properties. */
  static ObjectNode object() {
    ObjectNode o = NODES.objectNode().put("type", "object");
    o.putObject("properties");
    o.putArray("required");
    o.put("additionalProperties", false);
    return o;
  }

  /** Adds a property; required unless its type is {@code Optional}. */
  static void addProperty(ObjectNode object, String name, Type type, String description) {
    ObjectNode property = of(unwrapOptional(type), 0);
    if (description != null && !description.isBlank()) {
      property.put("description", description);
    }
    ((ObjectNode) object.get("properties")).set(name, property);
    if (!isOptional(type)) {
      ((ArrayNode) object.get("required")).add(name);
    }
  }

  /** The schema of a type; throws IllegalArgumentException for a type with no JSON shape. */
  static ObjectNode of(Type type) {
    return of(type, 0);
  }

  static boolean isOptional(Type type) {
    return raw(type) == Optional.class;
  }

  static Type unwrapOptional(Type type) {
    return isOptional(type) ? argument(type, 0) : type;
  }

  private static ObjectNode of(Type type, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("tool parameter types nest deeper than " + MAX_DEPTH
          + " levels (a recursive record?): " + type.getTypeName());
    }
    Class<?> c = raw(type);
    if (c == String.class || c == char.class || c == Character.class
        || CharSequence.class.isAssignableFrom(c)) {
      return typed("string");
    }
    if (INTEGERS.contains(c)) {
      return typed("integer");
    }
    if (NUMBERS.contains(c)) {
      return typed("number");
    }
    if (c == boolean.class || c == Boolean.class) {
      return typed("boolean");
    }
    if (c.isEnum()) {
      ObjectNode s = typed("string");
      ArrayNode values = s.putArray("enum");
      for (Object constant : c.getEnumConstants()) {
        values.add(((Enum<?>) constant).name());
      }
      return s;
    }
    if (JsonNode.class.isAssignableFrom(c)) {
      return NODES.objectNode();
    }
    return composite(type, c, depth);
  }

  private static ObjectNode composite(Type type, Class<?> c, int depth) {
    if (Collection.class.isAssignableFrom(c)) {
      ObjectNode s = typed("array");
      s.set("items", of(unwrapOptional(argument(type, 0)), depth + 1));
      return s;
    }
    if (c.isArray() || type instanceof GenericArrayType) {
      Type item = type instanceof GenericArrayType g ? g.getGenericComponentType()
          : c.getComponentType();
      ObjectNode s = typed("array");
      s.set("items", of(item, depth + 1));
      return s;
    }
    if (Map.class.isAssignableFrom(c)) {
      if (raw(argument(type, 0)) != String.class) {
        throw new IllegalArgumentException("tool parameter maps need String keys: "
            + type.getTypeName());
      }
      ObjectNode s = typed("object");
      s.set("additionalProperties", of(argument(type, 1), depth + 1));
      return s;
    }
    if (c.isRecord()) {
      return record(c, depth);
    }
    throw new IllegalArgumentException("unsupported tool parameter type " + type.getTypeName()
        + ": use String, numbers, booleans, enums, lists, maps, records or Optional");
  }

  private static ObjectNode record(Class<?> c, int depth) {
    ObjectNode s = object();
    for (RecordComponent rc : c.getRecordComponents()) {
      // Records bind by component name, so Param.name does not rename a component.
      Param p = rc.getAnnotation(Param.class);
      String name = rc.getName();
      ObjectNode property = of(unwrapOptional(rc.getGenericType()), depth + 1);
      if (p != null && !p.value().isBlank()) {
        property.put("description", p.value());
      }
      ((ObjectNode) s.get("properties")).set(name, property);
      if (!isOptional(rc.getGenericType())) {
        ((ArrayNode) s.get("required")).add(name);
      }
    }
    return s;
  }

  private static ObjectNode typed(String type) {
    return NODES.objectNode().put("type", type);
  }

  private static Class<?> raw(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    if (type instanceof GenericArrayType) {
      return Object[].class;
    }
    throw new IllegalArgumentException("unsupported tool parameter type " + type.getTypeName()
        + ": type variables and wildcards have no JSON Schema");
  }

  private static Type argument(Type type, int index) {
    if (type instanceof ParameterizedType p) {
      return p.getActualTypeArguments()[index];
    }
    throw new IllegalArgumentException("tool parameter type needs its type arguments: "
        + type.getTypeName());
  }
}
