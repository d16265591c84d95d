package org.wardfleet.platform.mongo;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A standalone MongoDB under {@code prod} stops the server with its one-line reason, not a page of stack trace. */
class StandaloneRefusedFailureAnalyzer extends AbstractFailureAnalyzer<ReplicaSetCheck.StandaloneRefused> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ReplicaSetCheck.StandaloneRefused cause) {
        return new FailureAnalysis(cause.getMessage(), "Point wardfleet.mongodb.uri at a replica set "
                + "(mongodb://a,b,c/?replicaSet=rs0) or a mongos; see docs/deployment.md.", cause);
    }
}
