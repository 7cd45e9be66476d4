package io.tributary.spring.autoconfigure.discovery;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** One clear startup message when discovery finds no broker, naming where it looked. */
class NoBrokersFailureAnalyzer extends AbstractFailureAnalyzer<NoBrokersFoundException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, NoBrokersFoundException cause) {
        return new FailureAnalysis(
                cause.getMessage() + ".",
                "Check that the cluster's brokers are running and registered in " + cause.source()
                        + ": tributary.discovery.zookeeper.connect-string and .chroot must match the"
                        + " brokers' tributary.zookeeper.connect and .chroot, or"
                        + " tributary.discovery.service-id name the brokers' service. To wait longer"
                        + " for brokers to start, raise tributary.discovery.broker-wait.",
                cause);
    }
}
