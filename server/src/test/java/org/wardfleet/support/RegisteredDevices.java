package org.wardfleet.support;

import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.wardfleet.device.Device;
import org.wardfleet.device.DeviceKeys;
import org.wardfleet.device.DevicePlatform;
import org.wardfleet.device.Devices;
import org.wardfleet.device.NewDevice;
import org.wardfleet.device.Ownership;

/**
 * Devices registered straight through the device feature's API, for module tests that boot without enrollment: a
 * fresh P-256 public key, a unique certificate serial, no certificate behind it.
 */
public final class RegisteredDevices {

    private RegisteredDevices() {
    }

    public static Device register(Devices devices, String orgId) {
        return devices.register(new NewDevice(UUID.randomUUID().toString(), orgId, Ownership.COPE,
                DevicePlatform.ANDROID, "Pixel 8", "15", "2026-11-01", "1.0", null, List.of(), serial(),
                Instant.now().plus(365, ChronoUnit.DAYS), publicKey(), null, "test-invitation", false)).block();
    }

    public static String serial() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    public static String publicKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return DeviceKeys.encode(generator.generateKeyPair().getPublic());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
