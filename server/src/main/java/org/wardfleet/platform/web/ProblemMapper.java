package org.wardfleet.platform.web;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatusCode;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.MissingRequestValueException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.PayloadTooLargeException;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.wardfleet.platform.mongo.StorageErrors;

/**
 * Turns any failure into exactly one {@link ProblemException}. Unknown failures become a bare 500 with no detail
 * (the cause goes to the log with the request id); bad input never reaches that branch.
 */
final class ProblemMapper {

    private static final Logger log = LoggerFactory.getLogger(ProblemMapper.class);

    private static final java.time.Duration STORAGE_RETRY = java.time.Duration.ofSeconds(5);

    private ProblemMapper() {
    }

    static ProblemException toProblem(Throwable error) {
        if (error instanceof ProblemException problem) {
            return problem;
        }
        if (causedBy(error, DataBufferLimitException.class) || error instanceof PayloadTooLargeException) {
            return ProblemType.PAYLOAD_TOO_LARGE.exception("The request body exceeds the allowed size");
        }
        if (error instanceof WebExchangeBindException bind) {
            return ProblemType.VALIDATION_FAILED.exception("The request has invalid fields")
                    .with("errors", fieldErrors(bind));
        }
        if (causedBy(error, org.wardfleet.platform.security.ExpiredBearerToken.class)) {
            return ProblemType.TOKEN_EXPIRED.exception("The access token has expired: sign in again");
        }
        if (error instanceof AuthenticationException) {
            return ProblemType.UNAUTHENTICATED.exception("A valid bearer token is required");
        }
        if (error instanceof AccessDeniedException) {
            return ProblemType.FORBIDDEN.exception("Your role does not allow this");
        }
        if (error instanceof UnsupportedMediaTypeStatusException unsupported) {
            return ProblemType.UNSUPPORTED_MEDIA_TYPE.exception("Content type %s is not supported here",
                    unsupported.getContentType());
        }
        if (error instanceof NotAcceptableStatusException) {
            return ProblemType.NOT_ACCEPTABLE.exception("No acceptable representation");
        }
        if (error instanceof MethodNotAllowedException notAllowed) {
            ProblemException problem = ProblemType.METHOD_NOT_ALLOWED.exception("%s is not allowed here",
                    notAllowed.getHttpMethod());
            notAllowed.getSupportedMethods().forEach(m -> problem.getHeaders().add("Allow", m.name()));
            return problem;
        }
        if (error instanceof MissingRequestValueException || error instanceof ServerWebInputException
                || causedBy(error, DecodingException.class)) {
            return BodyErrors.unreadable(error, inputDetail(error));
        }
        if (error instanceof ErrorResponse response) {
            return fromStatus(response.getStatusCode());
        }
        if (StorageErrors.isUnavailable(error)) {
            // already logged once by the storage layer; each refused request is only a warning
            log.warn("Request refused: storage unavailable ({})", error.getClass().getSimpleName());
            return ProblemType.STORAGE_UNAVAILABLE.exception(
                    "Storage cannot keep changes right now. Retry shortly (with the same Idempotency-Key where the "
                            + "request has one: a retried page is never sent twice)")
                    .retryAfter(STORAGE_RETRY);
        }
        log.error("Unhandled error", error);
        return ProblemType.INTERNAL.exception("The server could not complete the request");
    }

    private static ProblemException fromStatus(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> ProblemType.MALFORMED_REQUEST.exception("The request could not be read");
            case 401 -> ProblemType.UNAUTHENTICATED.exception("A valid bearer token is required");
            case 403 -> ProblemType.FORBIDDEN.exception("Not allowed");
            case 404 -> ProblemType.NOT_FOUND.exception("No such resource");
            case 405 -> ProblemType.METHOD_NOT_ALLOWED.exception("Method not allowed");
            case 409 -> ProblemType.CONFLICT.exception("Conflict");
            case 413 -> ProblemType.PAYLOAD_TOO_LARGE.exception("The request body exceeds the allowed size");
            case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE.exception("Unsupported content type");
            case 429 -> ProblemType.RATE_LIMITED.exception("Too many requests");
            case 503 -> ProblemType.UNAVAILABLE.exception("Temporarily unavailable");
            default -> {
                log.error("Unmapped status {}", status);
                yield ProblemType.INTERNAL.exception("The server could not complete the request");
            }
        };
    }

    /** Field paths as the client sent them, e.g. {@code roles[0]}; never the rejected value (it may be a secret). */
    private static List<Map<String, String>> fieldErrors(WebExchangeBindException bind) {
        return bind.getFieldErrors().stream()
                .map(e -> Map.of("path", e.getField(),
                        "message", e.getDefaultMessage() == null ? "invalid" : e.getDefaultMessage()))
                .toList();
    }

    private static String inputDetail(Throwable error) {
        if (error instanceof MissingRequestValueException missing) {
            return "Missing " + missing.getLabel() + " '" + missing.getName() + "'";
        }
        if (causedBy(error, DecodingException.class)) {
            return "The request body is not valid JSON for this endpoint";
        }
        return "The request could not be read";
    }

    static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
