package io.tributary.spring.autoconfigure.health;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.ClassUtils;

/**
 * Puts the {@code tributary} contributor into the readiness group and only there, as defaults
 * that any setting of the application overrides: Kubernetes should stop routing to an
 * application that cannot write, not restart it. Turns the probe groups on for that
 * ({@code management.endpoint.health.probes.enabled}), since the readiness group must exist.
 * Does nothing when the contributor is switched off or Boot's health support is absent.
 */
class TributaryHealthEnvironmentPostProcessor implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        ClassLoader classLoader = getClass().getClassLoader();
        if (!ClassUtils.isPresent("org.springframework.boot.health.contributor.HealthIndicator", classLoader)
                || !ClassUtils.isPresent("org.springframework.kafka.core.KafkaAdmin", classLoader)
                || !environment.getProperty("tributary.health.enabled", Boolean.class, true)
                || !environment.getProperty(
                        "management.health.tributary.enabled",
                        Boolean.class,
                        environment.getProperty("management.health.defaults.enabled", Boolean.class, true))) {
            return;
        }
        DefaultPropertiesPropertySource.addOrMerge(
                Map.of(
                        "management.endpoint.health.probes.enabled", "true",
                        "management.endpoint.health.group.readiness.include", "readinessState,tributary"),
                environment.getPropertySources());
    }
}
