package org.wardfleet.platform.security;

import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.ReactiveAuthenticationManagerResolver;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter.Mode;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.platform.web.ProblemWriter;

import reactor.core.publisher.Mono;

/**
 * Who may reach what. Bearer tokens are checked by the resolver the identity feature supplies; this class only says
 * which paths are public. Errors are problems, like everywhere else.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class SecurityConfiguration implements WebFluxConfigurer {

    /** Reachable without a token. Everything else needs one. */
    static final String[] PUBLIC_PATHS = AccessPaths.USER_PUBLIC.toArray(String[]::new);

    static final String CONTENT_SECURITY_POLICY = SecurityHeaders.CONTENT_SECURITY_POLICY;

    private final PrincipalArgumentResolver principalResolver;

    SecurityConfiguration(PrincipalArgumentResolver principalResolver) {
        this.principalResolver = principalResolver;
    }

    @Override
    public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
        configurer.addCustomResolver(principalResolver);
    }

    /** Paths a device reaches before it has a certificate: enrollment with an invitation, and the CA certificates. */
    static final String[] DEVICE_PUBLIC_PATHS = AccessPaths.DEVICE_PUBLIC.toArray(String[]::new);

    /**
     * Device endpoints: authenticated by the device's key (mutual TLS or a device-signed JWT), never by a user token.
     * Ordered first so that {@code /device/**} never falls through to the user chain.
     */
    @Bean
    @Order(1)
    SecurityWebFilterChain deviceSecurity(ServerHttpSecurity http, DeviceAuthenticator devices,
            ProblemWriter problems) {
        AuthenticationWebFilter deviceFilter = new AuthenticationWebFilter(
                (ReactiveAuthenticationManager) Mono::just);
        deviceFilter.setServerAuthenticationConverter(
                exchange -> devices.authenticate(exchange).map(DeviceAuthentication::new));
        deviceFilter.setAuthenticationFailureHandler((exchange, e) -> problems.write(exchange.getExchange(), e));
        return http
                .securityMatcher(ServerWebExchangeMatchers.pathMatchers(
                        AccessPaths.DEVICE_CHAIN.toArray(String[]::new)))
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .frameOptions(frame -> frame.mode(Mode.DENY))
                        .hsts(hsts -> hsts.maxAge(java.time.Duration.ofDays(365)).includeSubdomains(true)))
                .addFilterAt(deviceFilter, SecurityWebFiltersOrder.AUTHENTICATION)
                .authorizeExchange(auth -> auth
                        .pathMatchers(DEVICE_PUBLIC_PATHS).permitAll()
                        .anyExchange().hasRole("DEVICE"))
                .exceptionHandling(ex -> ex
                        .authenticationEntryPoint((exchange, e) -> problems.write(exchange,
                                ProblemType.UNAUTHENTICATED.exception("A device credential is required")))
                        .accessDeniedHandler((exchange, e) -> problems.write(exchange,
                                ProblemType.UNAUTHENTICATED.exception("A device credential is required"))))
                .build();
    }

    @Bean
    @Order(2)
    SecurityWebFilterChain apiSecurity(ServerHttpSecurity http,
            ReactiveAuthenticationManagerResolver<ServerWebExchange> bearerTokens, ProblemWriter problems,
            SecurityProperties properties) {
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable) // bearer tokens only, no cookies: CSRF does not apply
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                .cors(cors -> cors.configurationSource(cors(properties.allowedOrigins())))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .frameOptions(frame -> frame.mode(Mode.DENY))
                        .referrerPolicy(ref -> ref.policy(ReferrerPolicy.NO_REFERRER))
                        .hsts(hsts -> hsts.maxAge(java.time.Duration.ofDays(365)).includeSubdomains(true)))
                .authorizeExchange(auth -> auth
                        .pathMatchers(HttpMethod.OPTIONS, "/**").permitAll()
                        .pathMatchers(PUBLIC_PATHS).permitAll()
                        .pathMatchers("/actuator/**").hasAnyRole(Role.ADMIN.name(), Role.SECURITY.name())
                        .anyExchange().authenticated())
                .oauth2ResourceServer(oauth -> oauth
                        .authenticationManagerResolver(bearerTokens)
                        .authenticationEntryPoint((exchange, e) -> problems.write(exchange, e instanceof
                                ExpiredBearerToken expired ? expired
                                : ProblemType.UNAUTHENTICATED.exception("A valid bearer token is required")))
                        .accessDeniedHandler((exchange, e) -> problems.write(exchange, e)))
                .exceptionHandling(ex -> ex
                        .authenticationEntryPoint((exchange, e) -> problems.write(exchange,
                                ProblemType.UNAUTHENTICATED.exception("A valid bearer token is required")))
                        .accessDeniedHandler((exchange, e) -> problems.write(exchange, e)))
                .build();
    }

    private static CorsConfigurationSource cors(List<String> allowedOrigins) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        if (!allowedOrigins.isEmpty()) {
            CorsConfiguration config = new CorsConfiguration();
            config.setAllowedOrigins(allowedOrigins);
            config.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE"));
            config.setAllowedHeaders(List.of("Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id"));
            config.setExposedHeaders(List.of("X-Request-Id", "Retry-After", "Location"));
            config.setMaxAge(3600L);
            source.registerCorsConfiguration("/api/**", config);
        }
        return source;
    }
}
