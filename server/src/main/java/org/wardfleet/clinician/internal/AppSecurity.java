package org.wardfleet.clinician.internal;

import java.net.URI;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.server.ServerWebExchange;
import org.wardfleet.console.sessions.SessionContext;
import org.wardfleet.console.sessions.SessionCsrf;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.security.SecurityHeaders;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.platform.web.ProblemWriter;

import reactor.core.publisher.Mono;

/**
 * The app's own filter chain, for {@code /app/**} and the {@code /enroll} page, ordered before the API's: the app's
 * session cookie authenticates here and nowhere else (its path is {@code /app}). Every POST carries the session's CSRF
 * token. CLINICIAN and INCIDENT_LEAD get the app; IT staff without a clinical role are sent to the console at sign-in
 * and hold no app session.
 */
@Configuration(proxyBeanMethods = false)
class AppSecurity {

    static final String SIGN_IN = "/app/signin";

    @Bean
    @Order(0)
    SecurityWebFilterChain appFilterChain(ServerHttpSecurity http, AppSessions sessions, ProblemWriter problems) {
        return http
                .securityMatcher(ServerWebExchangeMatchers.pathMatchers("/app", "/app/**", "/enroll"))
                .securityContextRepository(new SessionContext(sessions))
                .csrf(csrf -> csrf.csrfTokenRepository(new SessionCsrf(sessions))
                        .accessDeniedHandler((exchange, denied) -> refuse(exchange, problems, HttpStatus.FORBIDDEN)))
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                .headers(SecurityHeaders::apply)
                .authorizeExchange(auth -> auth
                        .pathMatchers(SIGN_IN, SIGN_IN + "/**", "/app/signout", "/app/assets/**",
                                "/app/manifest.webmanifest", "/app/sw.js", "/enroll")
                        .permitAll()
                        .anyExchange().hasAnyRole(Role.CLINICIAN.name(), Role.INCIDENT_LEAD.name()))
                .exceptionHandling(ex -> ex
                        .authenticationEntryPoint((exchange, e) -> refuse(exchange, problems, HttpStatus.UNAUTHORIZED))
                        .accessDeniedHandler((exchange, e) -> refuse(exchange, problems, HttpStatus.FORBIDDEN)))
                .build();
    }

    /** A page asked for is sent to sign-in; the page's own requests (fetch) get a problem, and sign in again. */
    private static Mono<Void> refuse(ServerWebExchange exchange, ProblemWriter problems, HttpStatus status) {
        if (exchange.getRequest().getMethod() == HttpMethod.GET) {
            exchange.getResponse().setStatusCode(HttpStatus.SEE_OTHER);
            exchange.getResponse().getHeaders().setLocation(URI.create(SIGN_IN));
            return exchange.getResponse().setComplete();
        }
        return problems.write(exchange, status == HttpStatus.UNAUTHORIZED
                ? ProblemType.UNAUTHENTICATED.exception("Sign in to the app again")
                : ProblemType.FORBIDDEN.exception("This form has expired or did not come from this app"));
    }
}
