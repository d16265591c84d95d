package org.wardfleet.pki;

import java.security.cert.X509Certificate;
import java.util.List;

/** A new device certificate; {@code chain} is leaf first, then the CA chain. */
public record IssuedCertificate(String serial, X509Certificate certificate, List<X509Certificate> chain) {

    public IssuedCertificate {
        chain = List.copyOf(chain);
    }
}
