package io.tributary.spring.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.spring.autoconfigure.topics.DriftKind;
import io.tributary.spring.autoconfigure.topics.TopicReconciler;
import io.tributary.spring.test.app.DemoApplication;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Risky settings are named at startup, one WARN line each, against a real two-broker cluster:
 * a declared replication factor above the live brokers (the application still starts, the topic
 * stays missing), and acks=all with min.insync.replicas equal to the replication factor.
 */
@ExtendWith(OutputCaptureExtension.class)
@EmbeddedTributary(brokers = 2, groupCoordinator = false)
@SpringBootTest(
        classes = DemoApplication.class,
        properties = {
            "tributary.discovery.zookeeper.connect-string=${tributary.embedded.zookeeper-connect}",
            "demo.listener.enabled=false",
            "tributary.health.enabled=false",
            "spring.kafka.producer.acks=all",
            "tributary.topics.strict.replication-factor=2",
            "tributary.topics.strict.configs.min.insync.replicas=2",
            "tributary.topics.relaxed.replication-factor=2",
            "tributary.topics.relaxed.configs.min.insync.replicas=1",
            "tributary.topics.wide.replication-factor=3"
        })
@DirtiesContext
class StartupWarningsIT {

    @Autowired
    TopicReconciler reconciler;

    @Test
    void shouldWarnOnceForEachRiskySettingAndStillStart(CapturedOutput output) {
        String log = output.getAll();
        assertThat(warnings(log, "Declared topic wide has replication factor 3 but only 2 broker(s) are live"))
                .isEqualTo(1);
        assertThat(warnings(log, "Producers use acks=all and topic strict has min.insync.replicas=2"))
                .isEqualTo(1);
        assertThat(log).doesNotContain("topic relaxed has min.insync.replicas", "Declared topic strict has");
        assertThat(reconciler.lastReport().topic("wide").orElseThrow().count(DriftKind.MISSING))
                .isEqualTo(1);
        assertThat(reconciler.lastReport().topic("strict").orElseThrow().count(DriftKind.MISSING))
                .isZero();
    }

    private static int warnings(String log, String message) {
        Matcher matcher = Pattern.compile("WARN.*" + Pattern.quote(message)).matcher(log);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }
}
