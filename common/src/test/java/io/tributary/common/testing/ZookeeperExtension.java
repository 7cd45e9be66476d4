package io.tributary.common.testing;

import java.io.IOException;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real in-process ZooKeeper for one test class: started before its first test, closed after
 * its last. Register it as {@code @RegisterExtension static final ZookeeperExtension ZOOKEEPER};
 * a {@code @DynamicPropertySource} may hand {@code ZOOKEEPER::connectString} to Spring, which
 * reads it once the server runs.
 */
public final class ZookeeperExtension implements BeforeAllCallback, AfterAllCallback {

    private TestingServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = ServiceTestSupport.startZookeeper();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The running server (a test may stop and restart it). */
    public TestingServer server() {
        if (server == null) {
            throw new IllegalStateException("ZooKeeper runs only while the test class does");
        }
        return server;
    }

    /** {@code host:port} of the running server. */
    public String connectString() {
        return server().getConnectString();
    }
}
