package org.wardfleet.support;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.test.context.DynamicPropertyRegistry;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * FCM's HTTP v1 API on loopback, for the real Firebase Admin SDK: the OAuth token endpoint ({@code POST /token},
 * JWT-bearer grant) and {@code POST /v1/projects/<project>/messages:send}. Every message body is recorded as sent on
 * the wire. Tokens starting {@code dead-} answer 404 {@code UNREGISTERED}; tokens starting {@code busy-} answer 503
 * {@code UNAVAILABLE} once, then succeed — as FCM does.
 */
public final class FcmStub implements AutoCloseable {

    public static final String PROJECT = "wardfleet-test";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final List<JsonNode> messages = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> busyOnce = new CopyOnWriteArrayList<>();

    public FcmStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", this::token);
        server.createContext("/v1/projects/" + PROJECT + "/messages:send", this::send);
        server.start();
    }

    /** A stub already listening (tests keep one in a static field, for their context's configuration). */
    public static FcmStub start() {
        try {
            return new FcmStub();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Points the server at this stub: a service account whose token endpoint is here, and a short back-off. Call it
     * from a {@code @DynamicPropertySource}; the {@code fcmHttpTransport} bean must be {@link #transport()}.
     */
    public void configure(DynamicPropertyRegistry registry) throws Exception {
        Path account = serviceAccount(Files.createTempDirectory("wardfleet-fcm"));
        registry.add("wardfleet.push.fcm-service-account-file", account::toString);
        registry.add("wardfleet.push.fcm-backoff", () -> "100ms");
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Message bodies FCM received ({@code {"message":{...}}}), in order. */
    public List<JsonNode> messages() {
        return List.copyOf(messages);
    }

    public List<JsonNode> messagesTo(String token) {
        return messages.stream().filter(m -> token.equals(m.path("message").path("token").asString())).toList();
    }

    public List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    /** Every URL the SDK opens goes to this stub, path kept: how FirebaseOptions is pointed at it. */
    public NetHttpTransport transport() {
        return new NetHttpTransport.Builder().setConnectionFactory(url -> (HttpURLConnection)
                new URL("http", "127.0.0.1", port(), url.getFile()).openConnection()).build();
    }

    /** A service-account file with a fresh RSA key whose token endpoint is this stub. */
    public Path serviceAccount(Path dir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String pkcs8 = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Path file = dir.resolve("fcm-service-account.json");
        Files.writeString(file, JSON.writeValueAsString(Map.of(
                "type", "service_account", "project_id", PROJECT, "private_key_id", "test-key-1",
                "private_key", pkcs8, "client_email", "wardfleet@" + PROJECT + ".iam.gserviceaccount.com",
                "client_id", "1234567890", "token_uri", "http://127.0.0.1:" + port() + "/token")));
        return file;
    }

    private void token(HttpExchange exchange) throws IOException {
        String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (!form.contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer")) {
            answer(exchange, 400, "{\"error\":\"unsupported_grant_type\"}");
            return;
        }
        answer(exchange, 200, "{\"access_token\":\"stub-access-token\",\"expires_in\":3600,\"token_type\":\"Bearer\"}");
    }

    private void send(HttpExchange exchange) throws IOException {
        authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        messages.add(body);
        String token = body.path("message").path("token").asString("");
        if (token.startsWith("dead-")) {
            answer(exchange, 404, error(404, "NOT_FOUND", "UNREGISTERED", "Requested entity was not found."));
        } else if (token.startsWith("busy-") && !busyOnce.contains(token)) {
            busyOnce.add(token);
            answer(exchange, 503, error(503, "UNAVAILABLE", "UNAVAILABLE", "The service is unavailable."));
        } else {
            answer(exchange, 200, "{\"name\":\"projects/" + PROJECT + "/messages/" + messages.size() + "\"}");
        }
    }

    private static String error(int code, String status, String fcmCode, String message) {
        return "{\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\",\"status\":\"" + status
                + "\",\"details\":[{\"@type\":\"type.googleapis.com/google.firebase.fcm.v1.FcmError\","
                + "\"errorCode\":\"" + fcmCode + "\"}]}}";
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
