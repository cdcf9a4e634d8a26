package dev.keel.agent;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes a tool parameter or a component of a record used as tool arguments. The description
 * goes into the JSON Schema the model sees; an {@code Optional} parameter is not required.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface Param {

  /** What the parameter means, as the model reads it. */
  String value() default "";

  /** The property name; the Java parameter's name (compiled with -parameters) when empty. */
  String name() default "";
}
