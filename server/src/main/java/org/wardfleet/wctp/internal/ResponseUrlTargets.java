package org.wardfleet.wctp.internal;

import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.web.ProblemType;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;

/**
 * Where Wardfleet may POST a WCTP sender's status notifications. A registered response URL makes the server send
 * requests from inside the hospital network to an address someone outside chose (an administrator who may be
 * tricked, or whoever controls the URL's DNS), so addresses that reach the server itself or the platform it runs on
 * are refused: loopback (unless {@code wardfleet.wctp.allow-loopback-response-urls}, for development), link-local
 * (169.254.0.0/16 and fe80::/10, where cloud metadata services answer), multicast, broadcast, unspecified
 * (0.0.0.0/8, ::), and the metadata addresses outside link-local. Private ranges stay allowed: hospitals run their
 * paging systems there. Checked twice: every address a URL's host resolves to when the sender is registered, and the
 * address each notification actually connects to (DNS may have changed since), on a fresh connection each time and
 * without following redirects.
 */
@Component
class ResponseUrlTargets {

    static final ProblemType REFUSED = new ProblemType("response-url-refused", HttpStatus.BAD_REQUEST,
            "Response URL refused");

    /** Metadata services outside link-local: AWS over IPv6, Alibaba Cloud. */
    private static final Set<InetAddress> METADATA = Set.of(literal("fd00:ec2::254"), literal("100.100.100.200"));
    /** RFC 6052 NAT64 well-known prefix 64:ff9b::/96: the IPv4 address is the last 32 bits. */
    private static final byte[] NAT64 = {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};

    private final boolean allowLoopback;

    ResponseUrlTargets(@Value("${wardfleet.wctp.allow-loopback-response-urls:false}") boolean allowLoopback,
            Environment environment) {
        if (allowLoopback && Arrays.asList(environment.getActiveProfiles()).contains("prod")) {
            throw new IllegalStateException("wardfleet.wctp.allow-loopback-response-urls is for development only:"
                    + " refused under the prod profile");
        }
        this.allowLoopback = allowLoopback;
    }

    /** Refuses ({@link #REFUSED}) a registration naming a URL whose host resolves to any refused address. */
    Mono<Void> checkRegistered(List<String> urls) {
        // InetAddress resolution blocks: off the event loop
        return Flux.fromIterable(urls == null ? List.of() : urls)
                .concatMap(url -> Mono.fromRunnable(() -> check(url)).subscribeOn(Schedulers.boundedElastic()))
                .then();
    }

    private void check(String url) {
        String host;
        try {
            URI uri = new URI(url);
            host = uri.getHost();
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (host == null || !(scheme.equals("http") || scheme.equals("https"))) {
                throw REFUSED.exception("%s is not an http(s) URL with a host", url);
            }
        } catch (URISyntaxException e) {
            throw REFUSED.exception("%s is not a URL", url);
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw REFUSED.exception("The host of %s does not resolve", url);
        }
        for (InetAddress address : addresses) {
            String why = refusal(address);
            if (why != null) {
                throw REFUSED.exception("%s leads to %s, a %s address", url, address.getHostAddress(), why);
            }
        }
    }

    /** Why a notification may not go to {@code address} (e.g. {@code link-local}), or null when it may. */
    String refusal(InetAddress address) {
        InetAddress embedded = embeddedIpv4(address);
        if (embedded != null && refusal(embedded) != null) {
            return refusal(embedded);
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

    /**
     * An HTTP client for notifications: a new connection per request (no pooled connection to an address checked
     * earlier), no redirects, and every connection refused before it is made when its resolved address is refused.
     */
    HttpClient httpClient() {
        return HttpClient.newConnection().followRedirect(false)
                .doOnChannelInit((observer, channel, remote) -> channel.pipeline()
                        .addFirst("wardfleet.responseUrlGuard", new ConnectGuard()));
    }

    /** The address a notification was about to connect to is refused. */
    static final class RefusedAddress extends ConnectException {
        RefusedAddress(String message) {
            super(message);
        }
    }

    /** Sees the resolved address of the connect itself: what the socket would really reach. */
    private final class ConnectGuard extends ChannelOutboundHandlerAdapter {
        @Override
        public void connect(ChannelHandlerContext ctx, SocketAddress remote, SocketAddress local,
                ChannelPromise promise) {
            String why = remote instanceof InetSocketAddress inet && !inet.isUnresolved()
                    ? refusal(inet.getAddress()) : "unresolved";
            if (why != null) {
                promise.setFailure(new RefusedAddress("Response URL address refused (" + why + ")"));
                ctx.close();
                return;
            }
            ctx.connect(remote, local, promise);
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
