package io.tributary.spring.test.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a Tributary service to answer 200 on {@code /actuator/health/readiness} at
 * {@code localhost:<httpPort>}: how the embedded cluster and the containers know a service is
 * up. Not API outside this module. Thread-safe.
 */
public final class ReadinessProbe {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final long POLL_MILLIS = 200;

    private ReadinessProbe() {}

    /**
     * Polls until the service is ready.
     *
     * @param alive false once the service is gone for good (a stopped container), ending the wait
     * @throws IllegalStateException when it is not ready within {@code timeout} or is gone
     */
    public static void awaitReady(int httpPort, Duration timeout, BooleanSupplier alive) {
        URI readiness = URI.create("http://localhost:" + httpPort + "/actuator/health/readiness");
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() - deadline < 0) {
                if (!alive.getAsBoolean()) {
                    throw new IllegalStateException("the service stopped before " + readiness + " was ready");
                }
                if (ready(readiness)) {
                    return;
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + readiness, e);
        }
        throw new IllegalStateException(readiness + " not ready within " + timeout);
    }

    private static boolean ready(URI readiness) throws InterruptedException {
        try {
            return HTTP.send(
                                    HttpRequest.newBuilder(readiness)
                                            .timeout(Duration.ofSeconds(2))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false; // not listening yet
        }
    }
}
