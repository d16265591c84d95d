package org.wardfleet.sdk;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;

/** The device id is in the certificate: SAN URI {@code urn:wardfleet:device:<id>}. */
final class DeviceIds {

    static final String PREFIX = "urn:wardfleet:device:";

    private DeviceIds() {
    }

    static String of(X509Certificate certificate) {
        try {
            for (List<?> name : certificate.getSubjectAlternativeNames()) {
                if (Integer.valueOf(6).equals(name.get(0)) && name.get(1).toString().startsWith(PREFIX)) {
                    return name.get(1).toString().substring(PREFIX.length());
                }
            }
        } catch (CertificateParsingException | NullPointerException e) {
            throw new IllegalArgumentException("Not a Wardfleet device certificate", e);
        }
        throw new IllegalArgumentException("Not a Wardfleet device certificate");
    }
}
