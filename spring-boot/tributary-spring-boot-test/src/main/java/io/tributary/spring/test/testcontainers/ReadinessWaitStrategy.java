package io.tributary.spring.test.testcontainers;

import io.tributary.spring.test.internal.ReadinessProbe;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;

/**
 * Waits until a service answers 200 on {@code /actuator/health/readiness} at
 * {@code localhost:<httpPort>}. The containers run in the host's network (see
 * {@link ClusterServices}), where Testcontainers' own HTTP wait (which asks for mapped ports)
 * does not apply, and the images have no shell for a command wait.
 */
final class ReadinessWaitStrategy extends AbstractWaitStrategy {

    private final int httpPort;

    ReadinessWaitStrategy(int httpPort) {
        this.httpPort = httpPort;
        withStartupTimeout(java.time.Duration.ofMinutes(3));
    }

    @Override
    protected void waitUntilReady() {
        try {
            ReadinessProbe.awaitReady(httpPort, startupTimeout, waitStrategyTarget::isRunning);
        } catch (IllegalStateException e) {
            throw new ContainerLaunchException(e.getMessage(), e);
        }
    }
}
