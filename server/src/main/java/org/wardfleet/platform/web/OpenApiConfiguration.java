package org.wardfleet.platform.web;

import java.util.List;
import java.util.Map;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.security.SecurityScheme;

/**
 * The OpenAPI document at {@code /v3/api-docs} and the browsable page at {@code /swagger-ui.html}. Every operation
 * lists the problems it answers ({@link OpenApiProblems}) and the credential it takes — none on public paths.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static {
        // the authenticated caller and device are resolved from the credential, not sent as parameters
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(org.wardfleet.platform.security.Caller.class,
                org.wardfleet.platform.security.DevicePrincipal.class);
    }

    @Bean
    OpenAPI wardfleetOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Wardfleet API").version("v1")
                        .description("Hospital device management and secure clinical messaging. Errors are RFC 9457 "
                                + "problem details with stable types urn:wardfleet:problem:<slug>, listed with each "
                                + "operation's responses. A JSON body may name only the fields documented for it "
                                + "(device endpoints excepted).")
                        .license(new License().name("Apache-2.0")))
                .components(new Components()
                        .addSecuritySchemes(OpenApiProblems.BEARER, new SecurityScheme()
                                .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                                .description("A person's access token: POST /api/v1/auth/token, or the hospital "
                                        + "identity provider's"))
                        .addSecuritySchemes(OpenApiProblems.DEVICE_CERTIFICATE, new SecurityScheme()
                                .type(SecurityScheme.Type.MUTUALTLS)
                                .description("The device's certificate from enrollment, over mutual TLS"))
                        .addSecuritySchemes(OpenApiProblems.DEVICE_TOKEN, new SecurityScheme()
                                .type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.HEADER).name("Authorization")
                                .description("Device <JWT>: signed by the device's enrolled key, bound to the method "
                                        + "and URL, at most 5 minutes, never replayed (behind a TLS-terminating "
                                        + "proxy)"))
                        .addSchemas(OpenApiProblems.PROBLEM_SCHEMA, problem()));
    }

    @Bean
    OperationCustomizer problemsOfEachOperation() {
        return OpenApiProblems::declared;
    }

    @Bean
    OpenApiCustomizer problemsAndCredentialsOfEveryOperation() {
        return OpenApiProblems::everyOperation;
    }

    /** RFC 9457 as Wardfleet writes it (see docs/api/problems.md). */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Schema<?> problem() {
        Schema<?> error = new ObjectSchema()
                .addProperty("path", new StringSchema().description("the field, as sent: roles[0], rota.start"))
                .addProperty("message", new StringSchema())
                .addProperty("allowed", new ArraySchema().items(new StringSchema())
                        .description("the values or fields allowed there"));
        Map<String, Schema> properties = new java.util.LinkedHashMap<>();
        properties.put("type", new StringSchema().format("uri").example("urn:wardfleet:problem:not-found"));
        properties.put("title", new StringSchema());
        properties.put("status", new IntegerSchema());
        properties.put("detail", new StringSchema().description("for people; never a secret or clinical text"));
        properties.put("instance", new StringSchema());
        properties.put("requestId", new StringSchema().description("as in the X-Request-Id header and the log"));
        properties.put("errors", new ArraySchema().items(error));
        properties.put("retryAfterSeconds", new IntegerSchema());
        ObjectSchema schema = new ObjectSchema();
        schema.setProperties(properties);
        schema.setRequired(List.of("type", "title", "status"));
        return schema.description("An RFC 9457 problem; clients branch on type");
    }
}
