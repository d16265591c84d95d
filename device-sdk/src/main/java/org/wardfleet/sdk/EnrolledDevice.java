package org.wardfleet.sdk;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/** The result of enrollment: keep the key store and the chain; the endpoints say where to call next. */
public record EnrolledDevice(String deviceId, List<X509Certificate> certificateChain, Map<String, String> endpoints,
        String policyJwksUrl, DeviceKeyStore keys) {

    public EnrolledDevice {
        certificateChain = List.copyOf(certificateChain);
        endpoints = endpoints == null ? Map.of() : Map.copyOf(endpoints);
    }

    public X509Certificate certificate() {
        return certificateChain.get(0);
    }
}
