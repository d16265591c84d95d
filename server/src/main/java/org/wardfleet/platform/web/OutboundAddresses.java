package org.wardfleet.platform.web;

import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Function;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Addresses the server must not send requests to when someone outside chose the URL (a WCTP response URL, a browser's
 * Web Push endpoint): loopback (unless allowed, for development and tests), link-local (169.254.0.0/16 and fe80::/10,
 * where cloud metadata services answer), multicast, broadcast, unspecified (0.0.0.0/8, ::), and the metadata addresses
 * outside link-local; IPv4 inside IPv4-compatible and NAT64 addresses is checked as IPv4.
 */
public final class OutboundAddresses {

    /** Metadata services outside link-local: AWS over IPv6, Alibaba Cloud. */
    private static final Set<InetAddress> METADATA = Set.of(literal("fd00:ec2::254"), literal("100.100.100.200"));
    /** RFC 6052 NAT64 well-known prefix 64:ff9b::/96: the IPv4 address is the last 32 bits. */
    private static final byte[] NAT64 = {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};

    private OutboundAddresses() {
    }

    /** Why a request may not go to {@code address} (e.g. {@code link-local}), or null when it may. */
    public static String refusal(InetAddress address, boolean allowLoopback) {
        InetAddress embedded = embeddedIpv4(address);
        if (embedded != null && refusal(embedded, allowLoopback) != null) {
            return refusal(embedded, allowLoopback);
        }
        byte[] bytes = address.getAddress();
        if (address.isAnyLocalAddress() || (address instanceof Inet4Address && bytes[0] == 0)) {
            return "unspecified"; // 0.0.0.0 reaches this host on Linux
        }
        if (address.isLoopbackAddress()) {
            return allowLoopback ? null : "loopback";
        }
        if (address.isLinkLocalAddress()) {
            return "link-local";
        }
        if (address.isMulticastAddress()) {
            return "multicast";
        }
        if (address instanceof Inet4Address && Arrays.equals(bytes, new byte[] {-1, -1, -1, -1})) {
            return "broadcast";
        }
        return METADATA.contains(address) ? "cloud metadata" : null;
    }

    /**
     * {@link #refusal}, and also the private ranges (10/8, 172.16/12, 192.168/16, 100.64/10 shared, fc00::/7 unique
     * local): for requests that only ever go to public internet services.
     */
    public static String publicOnlyRefusal(InetAddress address, boolean allowLoopback) {
        String why = refusal(address, allowLoopback);
        if (why != null || (allowLoopback && address.isLoopbackAddress())) {
            return why;
        }
        InetAddress v4 = embeddedIpv4(address);
        InetAddress a = v4 != null ? v4 : address;
        byte[] b = a.getAddress();
        boolean shared = a instanceof Inet4Address && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
        boolean uniqueLocal = a instanceof Inet6Address && (b[0] & 0xfe) == 0xfc;
        return a.isSiteLocalAddress() || shared || uniqueLocal ? "private" : null;
    }

    /**
     * A handler for the first place of a client's pipeline that sees the resolved address of each connect itself (what
     * the socket would really reach, whatever DNS said before) and fails it when {@code refusal} names a reason.
     */
    public static ChannelHandler connectGuard(Function<InetAddress, String> refusal,
            Function<String, ConnectException> failure) {
        return new ChannelOutboundHandlerAdapter() {
            @Override
            public void connect(ChannelHandlerContext ctx, SocketAddress remote, SocketAddress local,
                    ChannelPromise promise) {
                String why = remote instanceof InetSocketAddress inet && !inet.isUnresolved()
                        ? refusal.apply(inet.getAddress()) : "unresolved";
                if (why != null) {
                    promise.setFailure(failure.apply(why));
                    ctx.close();
                    return;
                }
                ctx.connect(remote, local, promise);
            }
        };
    }

    /** The IPv4 address inside an IPv4-compatible (::a.b.c.d) or NAT64 IPv6 address, else null. */
    private static InetAddress embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address v6)) {
            return null;
        }
        byte[] bytes = v6.getAddress();
        byte[] prefix = Arrays.copyOf(bytes, 12);
        boolean compatible = Arrays.equals(prefix, new byte[12]) && !v6.isAnyLocalAddress() && !v6.isLoopbackAddress();
        if (!compatible && !Arrays.equals(prefix, NAT64)) {
            return null;
        }
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16));
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static InetAddress literal(String ip) {
        try {
            return InetAddress.getByName(ip); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
