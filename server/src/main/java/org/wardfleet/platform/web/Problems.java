package org.wardfleet.platform.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The problem types an endpoint answers for its own reasons, each as {@code "<status> <slug>"} (e.g.
 * {@code "409 email-taken"}), for the OpenAPI document. The ones any endpoint of its kind may answer — malformed or
 * invalid input, no or an expired credential, an id not found, storage unavailable — are added there without being
 * listed here.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface Problems {

    String[] value() default {};

    /**
     * False for an endpoint that answers none of the usual problems (WCTP answers in WCTP; JWKS reads nothing): then
     * only {@link #value()} is documented.
     */
    boolean usual() default true;
}
