package org.wardfleet.platform;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Environment variables the documentation promises under a shorter name than Spring's relaxed binding derives from
 * the property ({@code WARDFLEET_CA_PASSPHRASE} would otherwise map to {@code wardfleet.ca-passphrase}, which nothing
 * reads, and the CA keys would silently get the generated development passphrase). Each alias feeds its property
 * just below the real environment: the canonical variable ({@code WARDFLEET_PKI_CA_PASSPHRASE}) wins when both are
 * set. {@code DocumentedEnvironmentVariablesTests} checks every variable the docs name binds to its property.
 */
public class EnvironmentAliases implements EnvironmentPostProcessor {

    static final String SOURCE = "wardfleetEnvironmentAliases";

    /** Documented name → the property it sets. */
    public static final Map<String, String> ALIASES = Map.of(
            "WARDFLEET_CA_PASSPHRASE", "wardfleet.pki.ca-passphrase",
            "WARDFLEET_CA_PASSPHRASE_FILE", "wardfleet.pki.ca-passphrase-file");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        PropertySource<?> env = environment.getPropertySources()
                .get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        if (env == null) {
            return;
        }
        Map<String, Object> aliased = new LinkedHashMap<>();
        ALIASES.forEach((name, property) -> {
            Object value = env.getProperty(name);
            if (value != null) {
                aliased.put(property, value);
            }
        });
        if (!aliased.isEmpty()) {
            environment.getPropertySources().addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                    new MapPropertySource(SOURCE, aliased));
        }
    }
}
