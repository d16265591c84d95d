package org.wardfleet.platform.web;

import java.time.Duration;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** An error with a stable problem type, extra members (e.g. {@code errors}) and optional response headers. */
public class ProblemException extends ErrorResponseException {

    private final ProblemType problemType;
    private final HttpHeaders headers = new HttpHeaders();

    ProblemException(ProblemType type, String detail) {
        super(type.status(), problemDetail(type, detail), null);
        this.problemType = type;
    }

    private static ProblemDetail problemDetail(ProblemType type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(type.status(), detail);
        problem.setType(type.type());
        problem.setTitle(type.title());
        return problem;
    }

    public ProblemType problemType() {
        return problemType;
    }

    /** Adds an extension member to the problem body. */
    public ProblemException with(String name, Object value) {
        getBody().setProperty(name, value);
        return this;
    }

    /** RFC 9110 10.2.3: tells a throttled client when to come back. */
    public ProblemException retryAfter(Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        return with("retryAfterSeconds", seconds);
    }

    @Override
    public HttpHeaders getHeaders() {
        return headers;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        // expected outcomes, not bugs: no stack traces to capture or to leak
        return this;
    }
}
