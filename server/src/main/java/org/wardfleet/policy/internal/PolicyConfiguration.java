package org.wardfleet.policy.internal;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PolicyProperties.class)
class PolicyConfiguration {

    @Bean
    PolicySchema policySchema() {
        return PolicySchema.load();
    }

    @Bean
    PolicyDirectory policyDirectory(PolicySchema schema, PolicyProperties properties) {
        return PolicyDirectory.load(schema, properties.directory());
    }
}
