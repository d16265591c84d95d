package org.wardfleet.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.MethodParameter;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPatternParser;
import org.wardfleet.platform.security.AccessPaths;
import org.wardfleet.support.WardfleetTest;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import tools.jackson.databind.json.JsonMapper;

/**
 * The served OpenAPI document tells the truth about the whole API: each operation has a summary, its success and its
 * problems (as {@code application/problem+json}, with types listed in docs/api/problems.md), the request media types
 * the server reads, a credential exactly where the server asks for one, and one schema name per Java type.
 */
@WardfleetTest
class OpenApiDocumentTests {

    /** Bodies the server reads raw, in the type their protocol defines (RFC 7030 EST, WCTP 1.3). */
    static final Map<String, Set<String>> PROTOCOL_BODIES = Map.of(
            "/wctp", Set.of("text/xml"),
            "/.well-known/est/simpleenroll", Set.of("application/pkcs10"),
            "/.well-known/est/{label}/simpleenroll", Set.of("application/pkcs10"),
            "/.well-known/est/simplereenroll", Set.of("application/pkcs10"),
            "/.well-known/est/{label}/simplereenroll", Set.of("application/pkcs10"));

    @Autowired WebTestClient http;
    @Autowired @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings;

    Map<String, Object> document;

    record Op(String method, String path, Map<String, Object> operation) {

        String name() {
            return method.toUpperCase() + " " + path;
        }
    }

    @BeforeEach
    @SuppressWarnings("unchecked")
    void fetch() {
        byte[] body = http.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody().returnResult()
                .getResponseBody();
        document = JsonMapper.shared().readValue(body, Map.class);
    }

    @Test
    void everyOperationHasASummary() {
        assertThat(operations().stream().filter(op -> blank(op.operation().get("summary"))).map(Op::name))
                .isEmpty();
    }

    @Test
    void everyOperationDocumentsItsSuccessAndItsProblemsAsProblemJson() {
        List<String> wrong = new ArrayList<>();
        for (Op op : operations()) {
            Map<String, Object> responses = map(op.operation().get("responses"));
            if (responses.keySet().stream().noneMatch(code -> code.startsWith("2"))) {
                wrong.add(op.name() + ": no 2xx");
            }
            if (responses.keySet().stream().noneMatch(code -> code.startsWith("4"))) {
                wrong.add(op.name() + ": no 4xx");
            }
            responses.forEach((code, response) -> {
                if ((code.startsWith("4") || code.startsWith("5"))
                        && !map(map(response).get("content")).containsKey("application/problem+json")) {
                    wrong.add(op.name() + ": " + code + " is not application/problem+json");
                }
            });
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void requestBodiesAreDocumentedInTheMediaTypesTheServerReads() {
        Map<String, Set<String>> documented = new TreeMap<>();
        for (Op op : operations()) {
            Map<String, Object> body = map(op.operation().get("requestBody"));
            documented.put(op.name(), new TreeSet<>(map(body.get("content")).keySet()));
        }
        Map<String, Set<String>> served = new TreeMap<>();
        handlers().forEach((name, handler) -> served.put(name, consumed(name, handler.info(), handler.method())));
        List<String> wrong = new ArrayList<>();
        documented.forEach((name, types) -> {
            if (!types.equals(served.get(name))) {
                wrong.add(name + ": documented " + types + ", served " + served.get(name));
            }
        });
        assertThat(wrong).isEmpty();
    }

    @Test
    void publicEndpointsAskForNoCredentialAndTheOthersDo() {
        PathPatternParser parser = new PathPatternParser();
        List<String> open = new ArrayList<>(AccessPaths.USER_PUBLIC);
        open.addAll(AccessPaths.DEVICE_PUBLIC);
        assertThat(document.get("security")).as("no credential asked of every operation").isNull();
        List<String> wrong = new ArrayList<>();
        for (Op op : operations()) {
            boolean isPublic = open.stream().anyMatch(p -> parser.parse(p).matches(PathContainer.parsePath(op.path())));
            List<?> security = (List<?>) op.operation().get("security");
            boolean asks = security != null && security.stream().anyMatch(r -> !map(r).isEmpty());
            if (isPublic == asks) {
                wrong.add(op.name() + (isPublic ? " is public but asks for " + security : " asks for nothing"));
            }
        }
        assertThat(wrong).isEmpty();
        for (String open2 : List.of("post /api/v1/auth/token", "post /wctp", "get /.well-known/jwks.json",
                "post /pki/v1/orgs/{orgId}/ocsp", "get /pki/v1/orgs/{orgId}/crl")) {
            assertThat(operations()).anySatisfy(op -> assertThat((op.method() + " " + op.path())).isEqualTo(open2));
        }
    }

    @Test
    void noTwoJavaTypesShareASchemaName() {
        Map<String, Set<String>> byName = new TreeMap<>();
        Set<Class<?>> seen = new LinkedHashSet<>();
        handlers().values().forEach(h -> {
            for (MethodParameter parameter : h.method().getMethodParameters()) {
                if (parameter.hasParameterAnnotation(RequestBody.class)) {
                    walk(parameter.getGenericParameterType(), seen);
                }
            }
            walk(h.method().getMethod().getGenericReturnType(), seen);
        });
        for (Class<?> type : seen) {
            String name = ModelConverters.getInstance(true).resolveAsResolvedSchema(new AnnotatedType(type)
                    .resolveAsRef(false)).schema.getName();
            byName.computeIfAbsent(name, n -> new TreeSet<>()).add(type.getName());
        }
        byName.values().removeIf(types -> types.size() < 2);
        assertThat(byName).isEmpty();
    }

    @Test
    void everyProblemTypeTheDocumentNamesIsListedInProblemsMd() throws Exception {
        String listed = Files.readString(Path.of("..", "docs", "api", "problems.md"));
        Set<String> missing = new TreeSet<>();
        for (Op op : operations()) {
            map(op.operation().get("responses")).values().forEach(response -> {
                Object types = map(response).get("x-problem-types");
                if (types instanceof List<?> list) {
                    list.stream().map(String::valueOf).filter(t -> !listed.contains("`" + t + "`"))
                            .forEach(missing::add);
                }
            });
        }
        assertThat(missing).isEmpty();
    }

    record Handler(RequestMappingInfo info, HandlerMethod method) {
    }

    /** "METHOD path" of every handled API operation. */
    private Map<String, Handler> handlers() {
        Map<String, Handler> all = new LinkedHashMap<>();
        mappings.getHandlerMethods().forEach((info, method) -> info.getPatternsCondition().getPatterns()
                .forEach(pattern -> info.getMethodsCondition().getMethods().forEach(m -> all.put(
                        m.name() + " " + pattern.getPatternString(), new Handler(info, method)))));
        return all;
    }

    private static Set<String> consumed(String name, RequestMappingInfo info, HandlerMethod handler) {
        Set<String> declared = new TreeSet<>();
        info.getConsumesCondition().getConsumableMediaTypes().forEach(t -> declared.add(t.toString()));
        if (!declared.isEmpty()) {
            return declared;
        }
        String path = name.substring(name.indexOf(' ') + 1);
        for (MethodParameter parameter : handler.getMethodParameters()) {
            Class<?> type = parameter.getParameterType();
            if (parameter.hasParameterAnnotation(RequestBody.class)) {
                return type == String.class || type == byte[].class ? PROTOCOL_BODIES.getOrDefault(path, Set.of("?"))
                        : new TreeSet<>(Set.of("application/json"));
            }
            if (ServerHttpRequest.class.isAssignableFrom(type)) {
                return PROTOCOL_BODIES.getOrDefault(path, Set.of());
            }
        }
        return new TreeSet<>();
    }

    /** Wardfleet's own types reachable from {@code type}: the schemas the document names. */
    private static void walk(Type type, Set<Class<?>> seen) {
        if (type instanceof ParameterizedType parameterized) {
            for (Type argument : parameterized.getActualTypeArguments()) {
                walk(argument, seen);
            }
            walk(parameterized.getRawType(), seen);
            return;
        }
        if (!(type instanceof Class<?> c) || c.isEnum() || c.isArray() || !c.getName().startsWith("org.wardfleet.")
                || !seen.add(c)) {
            return;
        }
        if (c.isRecord()) {
            for (RecordComponent component : c.getRecordComponents()) {
                walk(component.getGenericType(), seen);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private List<Op> operations() {
        List<Op> all = new ArrayList<>();
        map(document.get("paths")).forEach((path, item) -> map(item).forEach((method, operation) -> {
            if (List.of("get", "put", "post", "delete", "patch").contains(method)) {
                all.add(new Op(method, path, (Map<String, Object>) operation));
            }
        }));
        return all;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static boolean blank(Object value) {
        return value == null || value.toString().isBlank();
    }
}
