package io.tributary.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;
import org.apache.curator.test.TestingServer;

/**
 * Helpers shared by the services' integration tests (published as common's test-jar): a real
 * in-process ZooKeeper and plain HTTP calls to a service's Actuator.
 */
public final class ServiceTestSupport {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ServiceTestSupport() {}

    /** Starts a real ZooKeeper server on a free port, with a temporary data directory. */
    public static TestingServer startZookeeper() {
        try {
            return new TestingServer(true);
        } catch (Exception e) {
            throw new IllegalStateException("could not start ZooKeeper", e);
        }
    }

    /** GETs {@code http://localhost:{port}{path}}. */
    public static HttpResponse<String> get(int port, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Polls {@code path} until the response satisfies {@code condition}; returns the last
     * response, which the caller asserts on (so a timeout fails with the real body).
     */
    public static HttpResponse<String> pollUntil(
            int port, String path, Predicate<HttpResponse<String>> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpResponse<String> last = get(port, path);
        while (!condition.test(last) && System.nanoTime() < deadline) {
            sleep(100);
            last = get(port, path);
        }
        return last;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
