package io.tributary.broker.cluster;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a refused registration into Boot's short "APPLICATION FAILED TO START" report. */
class BrokerIdInUseFailureAnalyzer extends AbstractFailureAnalyzer<BrokerIdInUseException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BrokerIdInUseException cause) {
        return new FailureAnalysis(
                cause.getMessage(),
                "Start this broker with another id (--tributary.broker.id=N or TRIBUTARY_BROKER_ID) or stop the"
                        + " broker that holds the id.",
                cause);
    }
}
