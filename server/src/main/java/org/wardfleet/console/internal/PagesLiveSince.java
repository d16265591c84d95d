package org.wardfleet.console.internal;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;

/**
 * Closes the gap between rendering a live part and its stream connecting. {@link LiveUpdates} takes the first version
 * it sees as its starting point, so a change that lands in between (a page escalating while a busy browser is still
 * opening the stream) would never be announced and the part would stay stale. The page therefore carries the version
 * it was rendered at ({@code v} in the stream's address), and the stream starts from that: anything different is a
 * change. After a reconnect the same holds, so what happened while disconnected is fetched too.
 */
final class PagesLiveSince {

    private PagesLiveSince() {
    }

    /** A short fingerprint of what a live part shows (equal parts, equal fingerprints). */
    static String of(Object version) {
        return Integer.toHexString(Objects.hashCode(version));
    }

    /** The version supplier for {@link LiveUpdates#watch}: {@code rendered} first, then the current fingerprint. */
    static Supplier<Mono<?>> from(String rendered, Supplier<Mono<?>> current) {
        AtomicBoolean first = new AtomicBoolean(rendered != null && !rendered.isBlank());
        return () -> first.getAndSet(false) ? Mono.just(rendered) : current.get().map(PagesLiveSince::of);
    }
}
