package io.tributary.common.testing;

import java.io.IOException;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real in-process ZooKeeper for one test class: started before its first test, closed after
 * everything else of the class, a Spring context closed by {@code @DirtiesContext} included.
 * Register it as {@code @RegisterExtension static final ZookeeperExtension ZOOKEEPER}; a
 * {@code @DynamicPropertySource} may hand {@code ZOOKEEPER::connectString} to Spring, which reads
 * it once the server runs.
 */
public final class ZookeeperExtension implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(ZookeeperExtension.class);

    private volatile TestingServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = ServiceTestSupport.startZookeeper();
        // closed with the class's store, after every afterAll callback: Spring closes the
        // application first, while its ZooKeeper still answers (a service closing without one
        // retries its deregistrations for seconds)
        context.getStore(NAMESPACE).put(ZookeeperExtension.class, (AutoCloseable) this::close);
    }

    private void close() throws IOException {
        TestingServer closing = server;
        server = null;
        closing.close();
    }

    /** The running server (a test may stop and restart it). */
    public TestingServer server() {
        TestingServer running = server;
        if (running == null) {
            throw new IllegalStateException("ZooKeeper runs only while the test class does");
        }
        return running;
    }

    /** {@code host:port} of the running server. */
    public String connectString() {
        return server().getConnectString();
    }
}
