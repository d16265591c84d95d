package org.wardfleet.platform.security;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** An authenticated {@link DevicePrincipal}. */
public final class DeviceAuthentication extends AbstractAuthenticationToken {

    private final DevicePrincipal device;

    public DeviceAuthentication(DevicePrincipal device) {
        super(List.of(new SimpleGrantedAuthority("ROLE_DEVICE")));
        this.device = device;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public DevicePrincipal getPrincipal() {
        return device;
    }

    @Override
    public String getName() {
        return device.deviceId();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DeviceAuthentication d && d.device.equals(device);
    }

    @Override
    public int hashCode() {
        return device.hashCode();
    }
}
