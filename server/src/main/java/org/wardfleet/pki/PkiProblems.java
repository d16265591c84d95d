package org.wardfleet.pki;

import org.springframework.http.HttpStatus;
import org.wardfleet.platform.web.ProblemType;

/** Why a CSR or a CA import was refused. */
public final class PkiProblems {

    public static final ProblemType MALFORMED_CSR = new ProblemType("malformed-csr", HttpStatus.BAD_REQUEST,
            "Malformed certificate signing request");
    public static final ProblemType CSR_SIGNATURE_INVALID = new ProblemType("csr-signature-invalid",
            HttpStatus.BAD_REQUEST, "CSR signature invalid");
    public static final ProblemType WEAK_KEY = new ProblemType("weak-key", HttpStatus.BAD_REQUEST,
            "Key type or size not accepted");
    public static final ProblemType CA_IMPORT_INVALID = new ProblemType("ca-import-invalid", HttpStatus.BAD_REQUEST,
            "CA certificate or key not usable");
    public static final ProblemType CA_IN_USE = new ProblemType("ca-in-use", HttpStatus.CONFLICT,
            "The current CA has already issued certificates");

    private PkiProblems() {
    }
}
