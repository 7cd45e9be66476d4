package io.tributary.spring.autoconfigure.discovery;

import java.time.Duration;

/**
 * Startup found no live broker where discovery looks, or could not look at all. Turned into
 * one readable startup failure by {@link NoBrokersFailureAnalyzer}.
 */
public class NoBrokersFoundException extends RuntimeException {

    private final String source;

    public NoBrokersFoundException(String source, Duration waited, Throwable cause) {
        super(
                "No live Tributary broker found in " + source + " within " + waited
                        + (cause == null ? "" : " (" + cause.getMessage() + ")"),
                cause);
        this.source = source;
    }

    /** Where discovery looked ({@code zookeeper localhost:2181 chroot /tributary}). */
    public String source() {
        return source;
    }
}
