package org.wardfleet.clinician.internal;

import java.time.Instant;

import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;
import org.wardfleet.identity.SessionTokens;
import org.wardfleet.identity.UserDirectory;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.web.ProblemType;

import reactor.core.publisher.Mono;

/**
 * The app's one page (app.js draws the views and calls the JSON API) and the access token it calls with: minted for
 * this session, bound to it (signing out ends it at once), never stored by the page beyond memory.
 */
@Controller
class AppShell {

    private final AppSessions sessions;
    private final SessionTokens tokens;
    private final UserDirectory users;

    AppShell(AppSessions sessions, SessionTokens tokens, UserDirectory users) {
        this.sessions = sessions;
        this.tokens = tokens;
        this.users = users;
    }

    @GetMapping({"/app", "/app/"})
    Mono<Rendering> app(Caller caller) {
        return users.find(caller.orgId(), caller.userId())
                .map(user -> user.displayName() == null || user.displayName().isBlank() ? caller.email()
                        : user.displayName())
                .defaultIfEmpty(caller.email())
                .map(name -> Rendering.view("app/index").modelAttribute("name", name).build());
    }

    record AppToken(String token, Instant expiresAt, String userId) {

        @Override
        public String toString() {
            return "AppToken[userId=" + userId + ", expiresAt=" + expiresAt + "]";
        }
    }

    /** {@code ?active=true} when the person touched the page since the last renewal: see {@link AppSessions}. */
    @PostMapping(AppSessions.TOKEN)
    @ResponseBody
    Mono<ResponseEntity<AppToken>> token(ServerWebExchange exchange) {
        return sessions.current(exchange)
                .switchIfEmpty(Mono.error(() -> ProblemType.UNAUTHENTICATED.exception("Sign in to the app again")))
                .flatMap(session -> tokens.issue(session.caller(), session.id())
                        .map(token -> new AppToken(token.value(), token.expiresAt(), session.caller().userId())))
                .switchIfEmpty(Mono.error(() -> ProblemType.UNAUTHENTICATED.exception("Sign in to the app again")))
                .map(token -> ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(token));
    }

    /** Where every invitation's link ({@code /enroll#token=…}) lands; the token stays in the fragment, off the server. */
    @GetMapping("/enroll")
    Rendering enroll() {
        return Rendering.view("app/enroll").build();
    }
}
