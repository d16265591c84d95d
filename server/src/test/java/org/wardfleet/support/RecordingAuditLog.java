package org.wardfleet.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditLog;
import org.springframework.http.HttpStatus;
import org.wardfleet.audit.AuditProblems;
import org.wardfleet.platform.web.ProblemException;

import reactor.core.publisher.Mono;

/**
 * An audit log for tests of auditing wrappers: keeps what it is given, or refuses every entry the way the chained log
 * does when it cannot write ({@code 503 audit-unavailable}).
 */
public final class RecordingAuditLog implements AuditLog {

    private final boolean refusing;
    public final List<AuditEvent> entries = new CopyOnWriteArrayList<>();

    private RecordingAuditLog(boolean refusing) {
        this.refusing = refusing;
    }

    public static RecordingAuditLog working() {
        return new RecordingAuditLog(false);
    }

    public static RecordingAuditLog refusing() {
        return new RecordingAuditLog(true);
    }

    @Override
    public Mono<Void> record(AuditEvent event) {
        if (refusing) {
            return Mono.error(AuditProblems.AUDIT_UNAVAILABLE.exception("The audit log's storage did not answer"));
        }
        return Mono.fromRunnable(() -> entries.add(event));
    }

    /** Asserts that {@code error} is this log's (and the chained log's) refusal: {@code 503 audit-unavailable}. */
    public static void assertAuditUnavailable(Throwable error) {
        assertThat(error).isInstanceOf(ProblemException.class);
        assertThat(((ProblemException) error).problemType()).isEqualTo(AuditProblems.AUDIT_UNAVAILABLE);
        assertThat(((ProblemException) error).getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    }
}
