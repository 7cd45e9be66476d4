package io.tributary.spring.test.testcontainers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;

/**
 * Waits until a service answers 200 on {@code /actuator/health/readiness} at
 * {@code localhost:<httpPort>}. The containers run in the host's network (see
 * {@link TributaryCluster}), where Testcontainers' own HTTP wait (which asks for mapped ports)
 * does not apply, and the images have no shell for a command wait.
 */
final class ReadinessWaitStrategy extends AbstractWaitStrategy {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final int httpPort;

    ReadinessWaitStrategy(int httpPort) {
        this.httpPort = httpPort;
        withStartupTimeout(Duration.ofMinutes(3));
    }

    @Override
    protected void waitUntilReady() {
        URI readiness = URI.create("http://localhost:" + httpPort + "/actuator/health/readiness");
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!waitStrategyTarget.isRunning()) {
                throw new ContainerLaunchException("the container stopped before " + readiness + " was ready");
            }
            try {
                HttpResponse<Void> response = HTTP.send(
                        HttpRequest.newBuilder(readiness)
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ContainerLaunchException("interrupted while waiting for " + readiness, e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ContainerLaunchException("interrupted while waiting for " + readiness, e);
            }
        }
        throw new ContainerLaunchException(readiness + " not ready within " + startupTimeout);
    }
}
