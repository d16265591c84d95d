package org.wardfleet.enrollment.internal;

import org.springframework.http.HttpStatus;
import org.wardfleet.platform.web.ProblemType;

/** Why an enrollment was refused; the app shows the clinician what to do next from the type. */
final class EnrollmentProblems {

    static final ProblemType INVALID_INVITATION = new ProblemType("invalid-invitation", HttpStatus.UNAUTHORIZED,
            "Invitation not recognised");
    static final ProblemType INVITATION_EXPIRED = new ProblemType("invitation-expired", HttpStatus.GONE,
            "Invitation expired");
    static final ProblemType INVITATION_USED = new ProblemType("invitation-used", HttpStatus.GONE,
            "Invitation already used");
    static final ProblemType INVITATION_REVOKED = new ProblemType("invitation-revoked", HttpStatus.GONE,
            "Invitation revoked");
    static final ProblemType PLATFORM_MISMATCH = new ProblemType("platform-mismatch", HttpStatus.BAD_REQUEST,
            "Device platform does not match the invitation");
    static final ProblemType USER_MISMATCH = new ProblemType("enrollment-user-mismatch", HttpStatus.FORBIDDEN,
            "Signed in as someone else than the invitation's user");
    static final ProblemType USER_TOKEN_INVALID = new ProblemType("enrollment-user-token-invalid",
            HttpStatus.UNAUTHORIZED, "Sign-in on the device not accepted");

    private EnrollmentProblems() {
    }
}
