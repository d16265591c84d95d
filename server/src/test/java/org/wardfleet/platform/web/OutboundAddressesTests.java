package org.wardfleet.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

/** Where requests to a URL someone outside chose may go; Web Push endpoints only ever to public addresses. */
class OutboundAddressesTests {

    private static String publicOnly(String ip, boolean allowLoopback) throws Exception {
        return OutboundAddresses.publicOnlyRefusal(InetAddress.getByName(ip), allowLoopback);
    }

    @Test
    void webPushEndpointsOnPrivateLoopbackOrMetadataAddressesAreRefused() throws Exception {
        assertThat(publicOnly("10.1.2.3", false)).isEqualTo("private");
        assertThat(publicOnly("172.16.0.9", false)).isEqualTo("private");
        assertThat(publicOnly("192.168.1.1", false)).isEqualTo("private");
        assertThat(publicOnly("100.64.0.1", false)).isEqualTo("private");
        assertThat(publicOnly("fd12::1", false)).isEqualTo("private");
        assertThat(publicOnly("::ffff:10.0.0.1", false)).isEqualTo("private");
        assertThat(publicOnly("64:ff9b::a00:1", false)).isEqualTo("private");
        assertThat(publicOnly("127.0.0.1", false)).isEqualTo("loopback");
        assertThat(publicOnly("169.254.169.254", false)).isEqualTo("link-local");
        assertThat(publicOnly("fd00:ec2::254", false)).isEqualTo("cloud metadata");
        assertThat(publicOnly("0.0.0.0", true)).isEqualTo("unspecified");
    }

    @Test
    void publicAddressesAndAllowedLoopbackMayBeReached() throws Exception {
        assertThat(publicOnly("142.250.1.1", false)).isNull();
        assertThat(publicOnly("2a00:1450::1", false)).isNull();
        assertThat(publicOnly("127.0.0.1", true)).isNull();
        // WCTP response URLs keep reaching paging systems on the hospital's private network
        assertThat(OutboundAddresses.refusal(InetAddress.getByName("10.1.2.3"), false)).isNull();
    }
}
