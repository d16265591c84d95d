package org.wardfleet.policy;

import org.springframework.http.HttpStatus;
import org.wardfleet.platform.web.ProblemType;

/** Why a policy request was refused. */
public final class PolicyProblems {

    /** Carries {@code errors: [{path, line, message}]}. */
    public static final ProblemType POLICY_INVALID = new ProblemType("policy-invalid", HttpStatus.BAD_REQUEST,
            "Policy document invalid");
    public static final ProblemType POLICY_NAME_MISMATCH = new ProblemType("policy-name-mismatch",
            HttpStatus.CONFLICT, "The document names another policy");
    public static final ProblemType ASSIGNMENT_INVALID = new ProblemType("assignment-invalid",
            HttpStatus.BAD_REQUEST, "Assignment must name exactly one target");

    private PolicyProblems() {
    }
}
