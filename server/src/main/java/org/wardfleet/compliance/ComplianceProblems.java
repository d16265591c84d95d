package org.wardfleet.compliance;

import org.springframework.http.HttpStatus;
import org.wardfleet.platform.web.ProblemType;

/** Why a posture report was refused outright (as opposed to evaluated as non-compliant). */
public final class ComplianceProblems {

    public static final ProblemType REPORT_INVALID = new ProblemType("report-invalid", HttpStatus.BAD_REQUEST,
            "Posture report not readable");
    public static final ProblemType REPORT_SIGNATURE_INVALID = new ProblemType("report-signature-invalid",
            HttpStatus.UNAUTHORIZED, "Posture report not signed by this device's key");

    private ComplianceProblems() {
    }
}
