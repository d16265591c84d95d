package org.wardfleet.oncall;

import org.springframework.http.HttpStatus;
import org.wardfleet.platform.web.ProblemType;

/** Why a page or an on-call question was refused although the request itself was well formed. */
public final class OnCallProblems {

    /** The route names something that is not there (a role's escalation policy deleted or never stored). */
    public static final ProblemType PAGE_UNROUTABLE = new ProblemType("page-unroutable", HttpStatus.CONFLICT,
            "Nobody can be paged by this route");
    /** A role's stored rota cannot be computed (stored before dates were bounded): replace its rota. */
    public static final ProblemType ROTA_UNUSABLE = new ProblemType("rota-unusable", HttpStatus.CONFLICT,
            "The role's rota cannot be computed");

    /** An escalation policy an on-call role still names cannot be deleted: point the role elsewhere first. */
    public static final ProblemType ESCALATION_POLICY_IN_USE = new ProblemType("escalation-policy-in-use",
            HttpStatus.CONFLICT, "Escalation policy in use");

    private OnCallProblems() {
    }
}
