package org.wardfleet.support;

import java.time.Clock;
import java.util.Map;

import org.wardfleet.sdk.DeviceClient;
import org.wardfleet.sdk.EnrolledDevice;
import org.wardfleet.sdk.EnrollmentClient;
import org.wardfleet.sdk.SoftwareKeyStore;

/**
 * A clinician with one COPE Android phone enrolled through the device SDK, as the app does it: with the clinician
 * signed in on it, so it is bound to them and receives their messages.
 */
public record SdkPhone(TestApi.User user, SoftwareKeyStore keys, DeviceClient client, EnrolledDevice device) {

    /** A new CLINICIAN in the admin's organisation, with a phone enrolled against the server on {@code port}. */
    public static SdkPhone enroll(TestApi api, TestApi.User admin, int port) {
        TestApi.User user = api.createUser(admin.token(), "CLINICIAN");
        String secret = (String) api.invitation(admin.token(), Map.of("ownership", "COPE", "platform", "android",
                "assignedUserId", user.id())).get("secret");
        String base = "http://127.0.0.1:" + port;
        SoftwareKeyStore keys = SoftwareKeyStore.generate();
        EnrolledDevice device = new EnrollmentClient(base, null).enroll(secret, keys,
                new EnrollmentClient.DeviceInfo("android", "Pixel 8", "15", "2026-10-05", "1.0.0"), user.token());
        return new SdkPhone(user, keys, DeviceClient.withDeviceJwt(base, TestDevice.AUDIENCE, device, null,
                Clock.systemUTC()), device);
    }
}
