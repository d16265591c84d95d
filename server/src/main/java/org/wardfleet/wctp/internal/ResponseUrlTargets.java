package org.wardfleet.wctp.internal;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.web.OutboundAddresses;
import org.wardfleet.platform.web.ProblemType;

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
        return OutboundAddresses.refusal(address, allowLoopback);
    }

    /**
     * An HTTP client for notifications: a new connection per request (no pooled connection to an address checked
     * earlier), no redirects, and every connection refused before it is made when its resolved address is refused.
     */
    HttpClient httpClient() {
        return HttpClient.newConnection().followRedirect(false)
                .doOnChannelInit((observer, channel, remote) -> channel.pipeline()
                        .addFirst("wardfleet.responseUrlGuard", OutboundAddresses.connectGuard(this::refusal,
                                why -> new RefusedAddress("Response URL address refused (" + why + ")"))));
    }

    /** The address a notification was about to connect to is refused. */
    static final class RefusedAddress extends ConnectException {
        RefusedAddress(String message) {
            super(message);
        }
    }
}
