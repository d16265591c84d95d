package org.wardfleet.platform.mongo;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A refused data directory stops the server with its one-line reason, not a page of stack trace. */
class DataDirectoryFailureAnalyzer extends AbstractFailureAnalyzer<DataDirectoryLock.Refused> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DataDirectoryLock.Refused cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Give Wardfleet a writable data directory of its own (wardfleet.data-dir), or stop the server "
                        + "that holds it.", cause);
    }
}
