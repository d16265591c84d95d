package org.wardfleet.platform.web;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A request the server could not read, as a {@code malformed-request} problem that says where: the field path as the
 * client sent it ({@code roles[0]}, {@code rota.start}), an unknown field by name, an unknown enum value with the
 * values allowed there. Never the rejected value itself: it may be a secret.
 */
final class BodyErrors {

    private BodyErrors() {
    }

    static ProblemException unreadable(Throwable error, String detail) {
        DatabindException databind = databind(error);
        if (databind == null || databind.getPath().isEmpty()) {
            return ProblemType.MALFORMED_REQUEST.exception(detail);
        }
        String path = path(databind);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("path", path);
        if (databind instanceof UnrecognizedPropertyException unknown) {
            entry.put("message", "unknown field");
            List<String> known = unknown.getKnownPropertyIds() == null ? List.of()
                    : unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
            entry.put("allowed", known);
            return ProblemType.MALFORMED_REQUEST.exception("Unknown field '%s' (fields here: %s)", path,
                    String.join(", ", known)).with("errors", List.of(entry));
        }
        List<String> allowed = enumValues(databind);
        if (allowed != null) {
            entry.put("message", "must be one of " + String.join(", ", allowed));
            entry.put("allowed", allowed);
            return ProblemType.MALFORMED_REQUEST.exception("'%s' must be one of %s", path, String.join(", ", allowed))
                    .with("errors", List.of(entry));
        }
        entry.put("message", "wrong type or format");
        return ProblemType.MALFORMED_REQUEST.exception(detail).with("errors", List.of(entry));
    }

    private static DatabindException databind(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DatabindException databind) {
                return databind;
            }
        }
        return null;
    }

    /** Where in the JSON body reading failed, e.g. {@code roles[0]}. */
    private static String path(DatabindException databind) {
        StringBuilder path = new StringBuilder();
        for (var ref : databind.getPath()) {
            if (ref.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** The wire values of the enum a value was refused for (its {@code @JsonValue} when it has one); else null. */
    private static List<String> enumValues(DatabindException databind) {
        Class<?> target = databind instanceof MismatchedInputException mismatch ? mismatch.getTargetType()
                : databind instanceof ValueInstantiationException instantiation && instantiation.getType() != null
                        ? instantiation.getType().getRawClass() : null;
        if (target == null || !target.isEnum()) {
            return null;
        }
        List<String> values = new ArrayList<>();
        Arrays.stream(target.getEnumConstants()).forEach(constant -> values.add(wire(constant)));
        return values;
    }

    private static String wire(Object constant) {
        String json = JsonMapper.shared().writeValueAsString(constant);
        return json.length() >= 2 && json.startsWith("\"") ? json.substring(1, json.length() - 1) : json;
    }
}
