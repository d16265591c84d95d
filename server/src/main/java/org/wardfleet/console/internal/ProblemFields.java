package org.wardfleet.console.internal;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import org.wardfleet.platform.web.ProblemException;

/**
 * A service's refusal shown next to the fields it names: a {@code validation-failed} problem's {@code errors[].path}
 * ({@code from}, {@code steps[0].targets[1].userId}) becomes the form's field key, its message the text; a refusal
 * naming no field is shown at {@code fallback}.
 */
final class ProblemFields {

    private ProblemFields() {
    }

    /** @param renamed API paths that a form calls otherwise ({@code userId} → {@code person}) */
    static Map<String, String> of(ProblemException refused, Map<String, String> renamed, String fallback) {
        Map<String, String> fields = new LinkedHashMap<>();
        Object errors = refused.getBody().getProperties() == null ? null
                : refused.getBody().getProperties().get("errors");
        if (errors instanceof Collection<?> list) {
            for (Object e : list) {
                if (e instanceof Map<?, ?> error && error.get("path") != null) {
                    String path = String.valueOf(error.get("path"));
                    fields.putIfAbsent(renamed.getOrDefault(path, path), message(error.get("message")));
                }
            }
        }
        if (fields.isEmpty()) {
            fields.put(fallback, refused.getBody().getDetail());
        }
        return fields;
    }

    /** "must be in the years 2000 to 2100" → "Must be in the years 2000 to 2100". */
    private static String message(Object message) {
        String text = message == null ? "Not accepted" : message.toString();
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
