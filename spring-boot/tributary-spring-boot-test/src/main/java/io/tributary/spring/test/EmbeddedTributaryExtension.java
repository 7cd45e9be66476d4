package io.tributary.spring.test;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 side of {@link EmbeddedTributary}: one cluster per annotated test class, kept in
 * the class's extension store. Not for parallel test classes (the system properties are global).
 */
public class EmbeddedTributaryExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    /** Receives the ZooKeeper connect string, for {@code tributary.discovery.zookeeper.connect-string}. */
    public static final String ZOOKEEPER_CONNECT_PROPERTY = "tributary.embedded.zookeeper-connect";

    private static final String CLOUD_ZOOKEEPER_ENABLED = "spring.cloud.zookeeper.enabled";
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(EmbeddedTributaryExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        EmbeddedTributary settings = AnnotationSupport.findAnnotation(
                        context.getRequiredTestClass(), EmbeddedTributary.class)
                .orElseThrow(() ->
                        new IllegalStateException("@EmbeddedTributary missing on " + context.getRequiredTestClass()));
        EmbeddedTributaryCluster cluster = new EmbeddedTributaryCluster(
                        settings.brokers(), settings.groupCoordinator(), List.of(settings.brokerProperties()))
                .start();
        context.getStore(NAMESPACE).put(EmbeddedTributaryCluster.class, cluster);
        context.getStore(NAMESPACE).put(String.class, settings.bootstrapServersProperty());
        System.setProperty(settings.bootstrapServersProperty(), cluster.bootstrapServers());
        System.setProperty(ZOOKEEPER_CONNECT_PROPERTY, cluster.zookeeperConnect());
        // the services put Spring Cloud Zookeeper on the test classpath: without this the
        // application under test would look for a ZooKeeper on localhost:2181 (the services
        // switch it back on for themselves with a command-line argument)
        if (System.getProperty(CLOUD_ZOOKEEPER_ENABLED) == null) {
            System.setProperty(CLOUD_ZOOKEEPER_ENABLED, "false");
            context.getStore(NAMESPACE).put(CLOUD_ZOOKEEPER_ENABLED, true);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        EmbeddedTributaryCluster cluster =
                context.getStore(NAMESPACE).remove(EmbeddedTributaryCluster.class, EmbeddedTributaryCluster.class);
        String property = context.getStore(NAMESPACE).remove(String.class, String.class);
        if (property != null) {
            System.clearProperty(property);
        }
        System.clearProperty(ZOOKEEPER_CONNECT_PROPERTY);
        if (context.getStore(NAMESPACE).remove(CLOUD_ZOOKEEPER_ENABLED) != null) {
            System.clearProperty(CLOUD_ZOOKEEPER_ENABLED);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedTributaryCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        EmbeddedTributaryCluster cluster =
                context.getStore(NAMESPACE).get(EmbeddedTributaryCluster.class, EmbeddedTributaryCluster.class);
        if (cluster == null) {
            throw new IllegalStateException("the embedded Tributary cluster is not running");
        }
        return cluster;
    }
}
