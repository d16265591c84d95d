package org.wardfleet.console.internal;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.security.SecurityHeaders;

/**
 * The console's own filter chain, for {@code /console/**} only and ordered before the API's: a session cookie
 * authenticates here and nowhere else (the cookie's path is {@code /console}, and the API's chains read bearer tokens
 * and device credentials only). Every POST carries the session's CSRF token. ADMIN and SECURITY get the console;
 * anyone else signed in is shown the page that sends them to the clinician app.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurity {

    static final String SIGN_IN = "/console/signin";
    static final String NO_CONSOLE = "/console/no-console";

    @Bean
    @Order(0)
    SecurityWebFilterChain consoleFilterChain(ServerHttpSecurity http, SessionSecurityContext sessions,
            SessionCsrfTokens csrfTokens, ConsoleErrors errors) {
        return http
                .securityMatcher(ServerWebExchangeMatchers.pathMatchers("/console", "/console/**"))
                .securityContextRepository(sessions)
                .csrf(csrf -> csrf.csrfTokenRepository(csrfTokens)
                        .accessDeniedHandler((exchange, denied) -> errors.write(exchange,
                                HttpStatus.FORBIDDEN, "This form has expired or did not come from this console",
                                "Reload the page and try again.")))
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                .headers(SecurityHeaders::apply)
                .authorizeExchange(auth -> auth
                        .pathMatchers(SIGN_IN, SIGN_IN + "/**", "/console/signout", NO_CONSOLE, "/console/assets/**")
                        .permitAll()
                        .anyExchange().hasAnyRole(Role.ADMIN.name(), Role.SECURITY.name()))
                .exceptionHandling(ex -> ex
                        .authenticationEntryPoint((exchange, e) -> Htmx.redirect(exchange,
                                SIGN_IN + SignInPage.next(exchange)))
                        .accessDeniedHandler((exchange, e) -> Htmx.redirect(exchange, NO_CONSOLE)))
                .build();
    }
}
