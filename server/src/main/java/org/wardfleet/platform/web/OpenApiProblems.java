package org.wardfleet.platform.web;

import java.util.ArrayList;
import java.util.List;

import org.springframework.http.server.PathContainer;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import org.wardfleet.platform.security.AccessPaths;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;

/**
 * Completes each operation of the OpenAPI document with what the server really does around it: the problems it answers
 * (its own, declared with {@link Problems}, and the usual ones of its kind: unreadable or invalid input, a missing or
 * expired credential, an id not found, storage unavailable), each status as {@code application/problem+json} listing
 * its types, and the credential its path takes ({@link AccessPaths}): none on public paths, a person's bearer token on
 * the user chain, a device's certificate or device token on the device chain.
 */
final class OpenApiProblems {

    static final String BEARER = "bearer";
    static final String DEVICE_CERTIFICATE = "deviceCertificate";
    static final String DEVICE_TOKEN = "deviceToken";
    static final String PROBLEM_SCHEMA = "Problem";
    /** On each problem response: its problem types' slugs, for clients and for the document's own test. */
    static final String TYPES = "x-problem-types";
    static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;
    private static final String USUAL = "x-usual-problems";

    private static final PathPatternParser PARSER = new PathPatternParser();
    private static final List<PathPattern> DEVICE_CHAIN = patterns(AccessPaths.DEVICE_CHAIN);
    private static final List<PathPattern> PUBLIC = patterns(concat(AccessPaths.USER_PUBLIC,
            AccessPaths.DEVICE_PUBLIC));

    private OpenApiProblems() {
    }

    /** The problems the handler declares ({@link Problems}). */
    static Operation declared(Operation operation, HandlerMethod handler) {
        Problems problems = handler.getMethodAnnotation(Problems.class);
        if (problems != null) {
            for (String entry : problems.value()) {
                String[] parts = entry.trim().split("\\s+", 2);
                add(operation, parts[0], parts[1]);
            }
            if (!problems.usual()) {
                operation.addExtension(USUAL, false);
            }
        }
        return operation;
    }

    /** Credentials and the usual problems, by path and shape, for every operation. */
    static void everyOperation(OpenAPI api) {
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            boolean usual = operation.getExtensions() == null || !Boolean.FALSE.equals(
                    operation.getExtensions().remove(USUAL));
            if (operation.getExtensions() != null && operation.getExtensions().isEmpty()) {
                operation.setExtensions(null);
            }
            boolean open = matches(PUBLIC, path);
            boolean device = matches(DEVICE_CHAIN, path);
            if (!open) {
                operation.setSecurity(device
                        ? List.of(new SecurityRequirement().addList(DEVICE_CERTIFICATE),
                                new SecurityRequirement().addList(DEVICE_TOKEN))
                        : List.of(new SecurityRequirement().addList(BEARER)));
            }
            if (usual) {
                usual(operation, open, device, method != PathItem.HttpMethod.GET);
            }
        }));
    }

    private static void usual(Operation operation, boolean open, boolean device, boolean writes) {
        boolean body = operation.getRequestBody() != null;
        List<Parameter> parameters = operation.getParameters() == null ? List.of() : operation.getParameters();
        // a path segment read as text cannot be malformed; a query parameter, a typed segment or a body can
        boolean readable = parameters.stream().anyMatch(p -> !"path".equals(p.getIn()) || p.getSchema() == null
                || !"string".equals(p.getSchema().getType()) && (p.getSchema().getTypes() == null
                        || !p.getSchema().getTypes().contains("string")));
        if (body || readable) {
            add(operation, "400", "malformed-request");
            add(operation, "400", "validation-failed");
        }
        if (!open) {
            add(operation, "401", "unauthenticated");
            if (device) {
                add(operation, "401", "device-credential-invalid");
                add(operation, "401", "device-retired");
                add(operation, "401", "device-token-replayed");
            } else {
                add(operation, "401", "token-expired");
            }
        }
        if (parameters.stream().anyMatch(p -> "path".equals(p.getIn()))) {
            add(operation, "404", "not-found");
        }
        if (body) {
            add(operation, "413", "payload-too-large");
            add(operation, "415", "unsupported-media-type");
        }
        add(operation, "503", "storage-unavailable");
        if (writes) {
            // a change is confirmed only once it is audited
            add(operation, "503", "audit-unavailable");
        }
    }

    @SuppressWarnings("unchecked")
    private static void add(Operation operation, String status, String slug) {
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        ApiResponse response = operation.getResponses().get(status);
        if (response == null) {
            response = new ApiResponse().content(new Content().addMediaType(PROBLEM_JSON, new MediaType()
                    .schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM_SCHEMA))));
            response.addExtension(TYPES, new ArrayList<String>());
            operation.getResponses().addApiResponse(status, response);
        }
        List<String> types = response.getExtensions() == null ? null
                : (List<String>) response.getExtensions().get(TYPES);
        if (types == null) {
            types = new ArrayList<>();
            response.addExtension(TYPES, types);
            if (response.getContent() == null) {
                response.setContent(new Content());
            }
            response.getContent().addMediaType(PROBLEM_JSON, new MediaType()
                    .schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM_SCHEMA)));
        }
        if (!types.contains(slug)) {
            types.add(slug);
        }
        response.setDescription("Problem types: " + String.join(", ", types.stream()
                .map(t -> "`" + ProblemType.PREFIX + t + "`").toList()));
    }

    private static boolean matches(List<PathPattern> patterns, String path) {
        PathContainer container = PathContainer.parsePath(path);
        return patterns.stream().anyMatch(p -> p.matches(container));
    }

    private static List<PathPattern> patterns(List<String> paths) {
        return paths.stream().map(PARSER::parse).toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
