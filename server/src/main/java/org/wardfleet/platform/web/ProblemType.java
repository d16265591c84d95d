package org.wardfleet.platform.web;

import java.net.URI;

import org.springframework.http.HttpStatus;

/**
 * A stable, machine-readable kind of error: {@code urn:wardfleet:problem:<slug>}. Every slug is listed in
 * {@code docs/api/problems.md}; clients branch on the type, never on the human-readable detail.
 */
public record ProblemType(String slug, HttpStatus status, String title) {

    public static final String PREFIX = "urn:wardfleet:problem:";

    public static final ProblemType MALFORMED_REQUEST =
            new ProblemType("malformed-request", HttpStatus.BAD_REQUEST, "Malformed request");
    public static final ProblemType VALIDATION_FAILED =
            new ProblemType("validation-failed", HttpStatus.BAD_REQUEST, "Validation failed");
    public static final ProblemType UNAUTHENTICATED =
            new ProblemType("unauthenticated", HttpStatus.UNAUTHORIZED, "Authentication required");
    /** The bearer token was genuine but has expired: sign in again (other invalid tokens are UNAUTHENTICATED). */
    public static final ProblemType TOKEN_EXPIRED =
            new ProblemType("token-expired", HttpStatus.UNAUTHORIZED, "Token expired");
    public static final ProblemType FORBIDDEN =
            new ProblemType("forbidden", HttpStatus.FORBIDDEN, "Not allowed");
    public static final ProblemType NOT_FOUND =
            new ProblemType("not-found", HttpStatus.NOT_FOUND, "Not found");
    public static final ProblemType METHOD_NOT_ALLOWED =
            new ProblemType("method-not-allowed", HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed");
    public static final ProblemType NOT_ACCEPTABLE =
            new ProblemType("not-acceptable", HttpStatus.NOT_ACCEPTABLE, "Not acceptable");
    public static final ProblemType CONFLICT =
            new ProblemType("conflict", HttpStatus.CONFLICT, "Conflict");
    public static final ProblemType PAYLOAD_TOO_LARGE =
            new ProblemType("payload-too-large", HttpStatus.CONTENT_TOO_LARGE, "Request body too large");
    public static final ProblemType UNSUPPORTED_MEDIA_TYPE =
            new ProblemType("unsupported-media-type", HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type");
    public static final ProblemType RATE_LIMITED =
            new ProblemType("rate-limited", HttpStatus.TOO_MANY_REQUESTS, "Too many requests");
    public static final ProblemType UNAVAILABLE =
            new ProblemType("unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Temporarily unavailable");
    /** Storage cannot keep writes now (full disk, unreachable database): retry after {@code Retry-After}. */
    public static final ProblemType STORAGE_UNAVAILABLE =
            new ProblemType("storage-unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Storage unavailable");
    public static final ProblemType INTERNAL =
            new ProblemType("internal-error", HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

    public ProblemType {
        if (!slug.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("Problem slug must be kebab-case: " + slug);
        }
    }

    public URI type() {
        return URI.create(PREFIX + slug);
    }

    /** An exception that renders as this problem; {@code detail} is for humans and must hold no secret or PHI. */
    public ProblemException exception(String detailFormat, Object... args) {
        return new ProblemException(this, args.length == 0 ? detailFormat : String.format(detailFormat, args));
    }
}
