package io.jstack.compose;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a component whose empty or false value means something ({@code entrypoint: []} clears the
 * image's entrypoint; {@code required: false} is not the default), so it is written out instead of
 * being left out like other empty values. A {@code null} collection so marked means "not set".
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface KeepEmpty {}
