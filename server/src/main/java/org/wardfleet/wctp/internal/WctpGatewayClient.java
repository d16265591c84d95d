package org.wardfleet.wctp.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.w3c.dom.Element;
import org.wardfleet.messaging.Priority;

import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * The outbound half: a page for a pager goes to the hospital's existing paging gateway as a WCTP
 * {@code wctp-SubmitRequest} ({@code wardfleet.wctp.gateway.url}, {@code sender-id}, {@code security-code}). Temporary
 * failures (6xx codes) and network errors are retried with back-off; protocol refusals (4xx/5xx codes) are not —
 * they are final and reported. Pager text is only what the pager policy allows: priority, "open Wardfleet" and a
 * short reference — never patient data.
 */
@Component
class WctpGatewayClient {

    /** What happened to one pager message: {@code accepted}, or the gateway's (or network's) failure. */
    record Outcome(boolean accepted, int code, String text, int attempts) {
    }

    private final WebClient http = WebClient.create();
    private final String url;
    private final String senderId;
    private final String securityCode;
    private final int attempts;
    private final Duration backoff;
    private final String pagerText;
    private final int pagerMaxChars;

    WctpGatewayClient(@Value("${wardfleet.wctp.gateway.url:}") String url,
            @Value("${wardfleet.wctp.gateway.sender-id:wardfleet}") String senderId,
            @Value("${wardfleet.wctp.gateway.security-code:}") String securityCode,
            @Value("${wardfleet.wctp.gateway.attempts:4}") int attempts,
            @Value("${wardfleet.wctp.gateway.backoff:1s}") Duration backoff,
            @Value("${wardfleet.wctp.pager-text:reference}") String pagerText,
            @Value("${wardfleet.wctp.pager-max-chars:160}") int pagerMaxChars) {
        if (!pagerText.equals("reference") && !pagerText.equals("message")) {
            throw new IllegalStateException("wardfleet.wctp.pager-text is 'reference' or 'message'");
        }
        this.pagerText = pagerText;
        this.pagerMaxChars = pagerMaxChars;
        this.url = url;
        this.senderId = senderId;
        this.securityCode = securityCode;
        this.attempts = attempts;
        this.backoff = backoff;
    }

    boolean configured() {
        return url != null && !url.isBlank();
    }

    /** Where pager messages go, as people may see it: scheme, host and port only (a path may carry a token). */
    String target() {
        if (!configured()) {
            return null;
        }
        java.net.URI uri = java.net.URI.create(url.trim());
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    /** The only text a pager gets (the hospital's pager policy default). */
    static String pagerText(Priority priority, String reference) {
        return priority + " - open Wardfleet - ref " + reference;
    }

    /**
     * What the hospital's pager policy ({@code wardfleet.wctp.pager-text}) lets a pager show: {@code reference}
     * (default: priority, "open Wardfleet", a short reference — never the message) or {@code message} (the message
     * itself, cut to {@code wardfleet.wctp.pager-max-chars}) for hospitals whose pagers are approved for it.
     */
    String policyText(Priority priority, String reference, String message) {
        if ("message".equals(pagerText) && message != null) {
            String text = priority + ": " + message;
            return text.length() <= pagerMaxChars ? text : text.substring(0, pagerMaxChars);
        }
        return pagerText(priority, reference);
    }

    Mono<Outcome> send(String pagerNumber, String text, String messageId, boolean high) {
        return send(pagerNumber, text, messageId, high, failed -> Mono.empty());
    }

    /**
     * Sends with retries; {@code onRetry} hears each attempt that failed and will be tried again (the page timeline
     * shows every attempt); the returned outcome is the last attempt's.
     */
    Mono<Outcome> send(String pagerNumber, String text, String messageId, boolean high,
            java.util.function.Function<Outcome, Mono<Void>> onRetry) {
        if (!configured()) {
            return Mono.just(new Outcome(false, 0, "No pager gateway configured", 0));
        }
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<wctp-Operation wctpVersion=\"" + WctpXml.VERSION
                + "\"><wctp-SubmitRequest><wctp-SubmitHeader><wctp-Originator senderID=\""
                + WctpXml.escape(senderId) + "\" securityCode=\"" + WctpXml.escape(securityCode) + "\"/>"
                + "<wctp-MessageControl messageID=\"" + WctpXml.escape(messageId) + "\" deliveryPriority=\""
                + (high ? "HIGH" : "NORMAL") + "\"/><wctp-Recipient recipientID=\"" + WctpXml.escape(pagerNumber)
                + "\"/></wctp-SubmitHeader><wctp-Payload><wctp-Alphanumeric>" + WctpXml.escape(text)
                + "</wctp-Alphanumeric></wctp-Payload></wctp-SubmitRequest></wctp-Operation>";
        int[] tries = {0};
        return Mono.defer(() -> {
                    tries[0]++;
                    return http.post().uri(url).contentType(MediaType.TEXT_XML).bodyValue(xml).retrieve()
                            .bodyToMono(String.class).timeout(Duration.ofSeconds(15))
                            .map(WctpGatewayClient::outcome)
                            .onErrorResume(e -> !(e instanceof Final) && tries[0] < attempts
                                    ? onRetry.apply(new Outcome(false, 0, "Gateway unreachable: "
                                            + e.getClass().getSimpleName(), tries[0])).then(Mono.error(e))
                                    : Mono.error(e))
                            .flatMap(o -> o.code() < 600 ? Mono.just(o)
                                    : (tries[0] < attempts ? onRetry.apply(new Outcome(false, o.code(), o.text(),
                                            tries[0])) : Mono.<Void>empty()).then(Mono.error(new Temporary(o))));
                })
                .retryWhen(Retry.backoff(Math.max(0, attempts - 1), backoff)
                        .filter(e -> !(e instanceof Final)))
                .map(o -> new Outcome(o.accepted(), o.code(), o.text(), tries[0]))
                .onErrorResume(e -> {
                    Throwable cause = e.getCause() instanceof Temporary t ? t : e;
                    if (cause instanceof Temporary t) {
                        return Mono.just(new Outcome(false, t.outcome.code(), t.outcome.text(), tries[0]));
                    }
                    if (cause instanceof Final f) {
                        return Mono.just(new Outcome(false, 0, f.getMessage(), tries[0]));
                    }
                    return Mono.just(new Outcome(false, 0, "Gateway unreachable: " + cause.getClass().getSimpleName(),
                            tries[0]));
                });
    }

    private static Outcome outcome(String body) {
        Element root;
        try {
            root = WctpXml.parse(body.getBytes(StandardCharsets.UTF_8));
        } catch (WctpXml.Refused r) {
            throw new Final("Unreadable gateway answer");
        }
        Element confirmation = WctpXml.child(root, "wctp-Confirmation");
        Element success = confirmation == null ? null : WctpXml.child(confirmation, "wctp-Success");
        if (success != null) {
            return new Outcome(true, 200, success.getAttribute("successText"), 1);
        }
        Element failure = confirmation == null ? null : WctpXml.child(confirmation, "wctp-Failure");
        if (failure == null) {
            throw new Final("No confirmation in the gateway answer");
        }
        int code;
        try {
            code = Integer.parseInt(failure.getAttribute("errorCode"));
        } catch (NumberFormatException e) {
            code = 0;
        }
        return new Outcome(false, code, failure.getAttribute("errorText"), 1);
    }

    /** A 6xx answer: worth another try. */
    static final class Temporary extends RuntimeException {
        final Outcome outcome;

        Temporary(Outcome outcome) {
            super(outcome.text(), null, false, false);
            this.outcome = outcome;
        }
    }

    /** An answer that retrying cannot change. */
    static final class Final extends RuntimeException {
        Final(String text) {
            super(text, null, false, false);
        }
    }
}
