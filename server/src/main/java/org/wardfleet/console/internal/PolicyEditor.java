package org.wardfleet.console.internal;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.wardfleet.policy.PolicyError;

/**
 * The YAML editor of the policies section: the text, its line numbers, and the schema's errors with the lines they
 * point at (numbered and highlighted beside the text, each listed error a link to its line).
 *
 * @param checked true when the text was checked and has no problem
 */
record PolicyEditor(String text, List<PolicyError> errors, boolean checked) {

    /** What a new policy starts from. */
    static final String TEMPLATE = """
            apiVersion: wardfleet.org/policy/v1
            kind: Policy
            name: my-policy
            description: What this policy is for, in a sentence.
            settings:
              passcode:
                minLength: 8
            """;

    PolicyEditor {
        text = text == null ? "" : text.replace("\r\n", "\n");
        errors = List.copyOf(errors);
    }

    static PolicyEditor of(String text) {
        return new PolicyEditor(text, List.of(), false);
    }

    /** 1..n, one per line of the text (at least one). */
    public List<Integer> lines() {
        return IntStream.rangeClosed(1, Math.max(1, text.split("\n", -1).length)).boxed().toList();
    }

    public Set<Integer> errorLines() {
        return errors.stream().map(PolicyError::line).filter(Objects::nonNull)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** For the textarea: the HTML parser drops one newline right after {@code <textarea>}, so give it one to drop. */
    public String textareaText() {
        return "\n" + text;
    }

    public int rows() {
        return lines().size() + 1;
    }
}
