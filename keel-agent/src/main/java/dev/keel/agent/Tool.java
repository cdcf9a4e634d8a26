package dev.keel.agent;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method as a tool the model may call. {@link AgentTool#fromMethods(Object)} turns every
 * such method of an object into an {@link AgentTool}; its parameters become the properties of
 * the tool's JSON Schema (describe them with {@link Param}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Tool {

  /** What the tool does, as the model reads it. */
  String value();

  /** The tool's name; the method's name when empty. */
  String name() default "";
}
