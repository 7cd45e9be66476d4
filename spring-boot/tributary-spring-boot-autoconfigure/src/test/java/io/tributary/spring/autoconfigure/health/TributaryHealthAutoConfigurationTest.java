package io.tributary.spring.autoconfigure.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.spring.autoconfigure.topics.TributaryTopicsAutoConfiguration;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.test.context.support.TestPropertySourceUtils;

class TributaryHealthAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    KafkaAutoConfiguration.class,
                    TributaryTopicsAutoConfiguration.class,
                    TributaryHealthAutoConfiguration.class))
            // nothing listens on port 1: the cluster is unreachable
            .withPropertyValues(
                    "spring.kafka.bootstrap-servers=localhost:1",
                    "tributary.health.timeout=300ms",
                    "tributary.health.interval=1h");

    @Test
    void shouldRegisterTheTributaryContributor() {
        runner.run(context ->
                assertThat(context).hasBean("tributaryHealthIndicator").hasSingleBean(TributaryHealthIndicator.class));
    }

    @Test
    void shouldReportDownFromTheCacheWhenTheClusterIsUnreachable() {
        runner.run(context -> {
            TributaryHealthIndicator indicator = context.getBean(TributaryHealthIndicator.class);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> indicator.health().getStatus() == Status.DOWN);
            long started = System.nanoTime();
            Health cached = indicator.health();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(100));
            assertThat(cached.getStatus()).isEqualTo(Status.DOWN);
        });
    }

    @Test
    void shouldBeOutOfServiceUntilTheFirstCheck() {
        // not started: no check has run
        TributaryHealthIndicator indicator = new TributaryHealthIndicator(null, Duration.ofHours(1));
        assertThat(indicator.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(indicator.health().getDetails()).containsEntry("reason", "not checked yet");
    }

    @Test
    void shouldBackOffWhenSwitchedOff() {
        runner.withPropertyValues("tributary.health.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(TributaryHealthIndicator.class));
        runner.withPropertyValues("management.health.tributary.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(TributaryHealthIndicator.class));
    }

    @Test
    void shouldBackOffWithoutBootsHealthSupport() {
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(TributaryHealthIndicator.class));
    }

    @Test
    void shouldBackOffWithoutAKafkaAdmin() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        TributaryTopicsAutoConfiguration.class, TributaryHealthAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(TributaryHealthIndicator.class));
    }

    @Test
    void shouldRegisterTheContributorWithoutActuatorsEndpoints() {
        runner.withClassLoader(
                        new FilteredClassLoader(org.springframework.boot.actuate.endpoint.annotation.Endpoint.class))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(TributaryHealthIndicator.class));
    }

    @Test
    void shouldBackOffForTheApplicationsOwnContributor() {
        runner.withBean(
                        "tributaryHealthIndicator",
                        HealthIndicator.class,
                        () -> () -> Health.up().build())
                .run(context -> assertThat(context).doesNotHaveBean(TributaryHealthIndicator.class));
    }

    @Test
    void shouldPutTheContributorIntoTheReadinessGroupOnlyAsADefault() {
        StandardEnvironment environment = new StandardEnvironment();
        new TributaryHealthEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty("management.endpoint.health.group.readiness.include"))
                .isEqualTo("readinessState,tributary");
        assertThat(environment.getProperty("management.endpoint.health.group.liveness.include"))
                .isNull();
        assertThat(environment.getProperty("management.endpoint.health.probes.enabled"))
                .isEqualTo("true");

        StandardEnvironment own = new StandardEnvironment();
        TestPropertySourceUtils.addInlinedPropertiesToEnvironment(
                own, "management.endpoint.health.group.readiness.include=readinessState,db");
        new TributaryHealthEnvironmentPostProcessor().postProcessEnvironment(own, new SpringApplication());
        assertThat(own.getProperty("management.endpoint.health.group.readiness.include"))
                .isEqualTo("readinessState,db");
    }

    @Test
    void shouldLeaveTheReadinessGroupAloneWhenTheContributorIsOff() {
        StandardEnvironment environment = new StandardEnvironment();
        TestPropertySourceUtils.addInlinedPropertiesToEnvironment(environment, "tributary.health.enabled=false");
        new TributaryHealthEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty("management.endpoint.health.group.readiness.include"))
                .isNull();
    }
}
