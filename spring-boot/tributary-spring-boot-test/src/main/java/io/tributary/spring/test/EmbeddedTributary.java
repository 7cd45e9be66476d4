package io.tributary.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the test class against a real Tributary cluster started in the test JVM (see
 * {@link EmbeddedTributaryCluster}), Tributary's answer to {@code @EmbeddedKafka}, without Docker.
 * Before the class's first test the cluster starts and the system properties
 * {@link #bootstrapServersProperty} ({@code spring.kafka.bootstrap-servers}) and
 * {@code tributary.embedded.zookeeper-connect} point at it, so a {@code @SpringBootTest} context
 * built afterwards uses it; after the last test the cluster stops and the properties are cleared.
 * A test method or constructor can take the {@link EmbeddedTributaryCluster} as a parameter.
 *
 * <p>Put this annotation before {@code @SpringBootTest}, so the application stops before the
 * cluster does. Spring caches contexts across test classes without looking at system properties:
 * give each class that uses its own cluster its own context (for example with
 * {@code @DirtiesContext}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(EmbeddedTributaryExtension.class)
public @interface EmbeddedTributary {

    /** Number of brokers, ids 1 to N. */
    int brokers() default 1;

    /** Whether to start a group-coordinator; consumer groups need one. */
    boolean groupCoordinator() default true;

    /** Extra {@code key=value} settings for every broker ({@code tributary.broker.min-insync-replicas=2}). */
    String[] brokerProperties() default {};

    /** The system property that receives the brokers' {@code host:port} list. */
    String bootstrapServersProperty() default "spring.kafka.bootstrap-servers";
}
