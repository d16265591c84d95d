package org.wardfleet.sdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import javax.net.ssl.SSLContext;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** JSON over {@link HttpClient}; problem+json answers become {@link WardfleetProblemException}s. */
final class Http {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client;
    private final String baseUrl;

    Http(String baseUrl, SSLContext ssl) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (baseUrl.startsWith("http://")) {
            // no cleartext HTTP/2 upgrade (h2c): servers and proxies refuse upgrades that carry a body
            builder.version(HttpClient.Version.HTTP_1_1);
        }
        if (ssl != null) {
            builder.sslContext(ssl);
        }
        this.client = builder.build();
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    String baseUrl() {
        return baseUrl;
    }

    HttpClient client() {
        return client;
    }

    String get(String path, Map<String, String> headers) {
        return send(request(path, headers).GET().build());
    }

    JsonNode postJson(String path, Object body, Map<String, String> headers) {
        HttpRequest.Builder request = request(path, headers).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        return JSON.readTree(send(request.build()));
    }

    String send(String method, String path, String contentType, String body, Map<String, String> headers) {
        HttpRequest.Builder request = request(path, headers);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        return send(request.build());
    }

    private HttpRequest.Builder request(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30)).header("Accept", "application/json, application/problem+json, */*");
        headers.forEach(request::header);
        return request;
    }

    private String send(HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 400) {
                throw problem(response);
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot reach " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    private static WardfleetProblemException problem(HttpResponse<String> response) {
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (contentType.startsWith("application/problem+json")) {
            JsonNode problem = JSON.readTree(response.body());
            return new WardfleetProblemException(problem.path("type").asString(null), response.statusCode(),
                    problem.path("title").asString(null), problem.path("detail").asString(null));
        }
        return new WardfleetProblemException("about:blank", response.statusCode(), "HTTP " + response.statusCode(),
                null);
    }
}
