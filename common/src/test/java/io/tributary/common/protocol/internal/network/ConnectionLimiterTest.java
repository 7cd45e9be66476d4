package io.tributary.common.protocol.internal.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class ConnectionLimiterTest {

    private static final InetAddress A = address("127.0.0.2");
    private static final InetAddress B = address("127.0.0.3");

    @Test
    void shouldRefuseAnAddressAtItsLimitAndAcceptItAgainAfterARelease() {
        ConnectionLimiter limiter = new ConnectionLimiter(Integer.MAX_VALUE, 2);

        assertThat(limiter.tryAcquire(A)).isNull();
        assertThat(limiter.tryAcquire(A)).isNull();
        assertThat(limiter.tryAcquire(A)).isEqualTo("max.connections.per.ip=2");
        assertThat(limiter.tryAcquire(B))
                .as("another address has its own count")
                .isNull();

        limiter.release(A);
        assertThat(limiter.tryAcquire(A)).isNull();
    }

    @Test
    void shouldRefuseEveryAddressAtTheTotalLimit() {
        ConnectionLimiter limiter = new ConnectionLimiter(2, Integer.MAX_VALUE);

        assertThat(limiter.tryAcquire(A)).isNull();
        assertThat(limiter.tryAcquire(B)).isNull();
        assertThat(limiter.tryAcquire(A)).isEqualTo("max.connections=2");
        assertThat(limiter.tryAcquire(B)).isEqualTo("max.connections=2");

        limiter.release(B);
        assertThat(limiter.tryAcquire(A)).isNull();
    }

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
