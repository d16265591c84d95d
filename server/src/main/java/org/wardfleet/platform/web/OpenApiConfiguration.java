package org.wardfleet.platform.web;

import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

/** The OpenAPI document at {@code /v3/api-docs} and the browsable page at {@code /swagger-ui.html}. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static {
        // the authenticated caller is resolved from the token, not sent as a parameter
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(org.wardfleet.platform.security.Caller.class);
    }

    @Bean
    OpenAPI wardfleetOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Wardfleet API").version("v1")
                        .description("Hospital device management and secure clinical messaging. Errors are RFC 9457 "
                                + "problem details with stable types urn:wardfleet:problem:<slug>.")
                        .license(new License().name("Apache-2.0")))
                .components(new Components().addSecuritySchemes("bearer", new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }
}
