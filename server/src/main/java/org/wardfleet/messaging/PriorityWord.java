package org.wardfleet.messaging;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * A request field that names a {@link Priority}: checked in the same bean-validation step as the request's other
 * fields, so one {@code validation-failed} problem lists a wrong priority together with every other invalid field.
 * Null passes (pair it with {@code @NotNull} where the field is required).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
@Constraint(validatedBy = PriorityWord.Check.class)
public @interface PriorityWord {

    /** Replaced by {@link Priority#NOT_A_PRIORITY} when a word is refused. */
    String message() default "must be a priority";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** {@link Priority#known}, as a bean-validation check. */
    class Check implements ConstraintValidator<PriorityWord, String> {
        @Override
        public boolean isValid(String word, ConstraintValidatorContext context) {
            if (word == null || Priority.known(word)) {
                return true;
            }
            // a plain message: the list holds no '{' or '$' for the interpolator to read
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(Priority.NOT_A_PRIORITY).addConstraintViolation();
            return false;
        }
    }
}
