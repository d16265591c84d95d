package org.wardfleet.enrollment;

import java.security.cert.X509Certificate;
import java.util.List;

/** Lets other test packages parse a PEM chain the way the enrollment tests do. */
public final class EnrollmentApiTestsAccess {

    private EnrollmentApiTestsAccess() {
    }

    public static List<X509Certificate> parse(String pem) throws Exception {
        return EnrollmentApiTests.parse(pem);
    }
}
