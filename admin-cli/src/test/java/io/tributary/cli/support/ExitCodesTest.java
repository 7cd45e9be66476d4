package io.tributary.cli.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.InconsistentGroupProtocolException;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidSessionTimeoutException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.junit.jupiter.api.Test;

class ExitCodesTest {

    @Test
    void shouldMapKafkaErrorsPastTheirWrappers() {
        assertThat(ExitCodes.map(new ExecutionException(new UnknownTopicOrPartitionException("gone"))))
                .isEqualTo(new ExitCodes.Failure(ExitCodes.NOT_FOUND, "gone"));
        assertThat(ExitCodes.map(new KafkaException(new InvalidReplicationFactorException("RF 5 > 3 brokers"))))
                .isEqualTo(new ExitCodes.Failure(ExitCodes.INVALID, "RF 5 > 3 brokers"));
        assertThat(ExitCodes.map(new GroupNotEmptyException("busy")).exitCode()).isEqualTo(ExitCodes.INVALID);
        assertThat(ExitCodes.map(new TimeoutException("slow")).exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    }

    @Test
    void shouldTreatEveryRefusalOfAGroupMemberAsARefusal() {
        assertThat(ExitCodes.map(new InvalidGroupIdException("The configured groupId is invalid."))
                        .exitCode())
                .isEqualTo(ExitCodes.INVALID);
        assertThat(ExitCodes.map(new InvalidSessionTimeoutException("out of range"))
                        .exitCode())
                .isEqualTo(ExitCodes.INVALID);
        assertThat(ExitCodes.map(new InconsistentGroupProtocolException("range vs sticky"))
                        .exitCode())
                .isEqualTo(ExitCodes.INVALID);
        // in kafka-clients 4 an AuthorizationException is an InvalidConfigurationException
        assertThat(ExitCodes.map(GroupAuthorizationException.forGroupId("billing")))
                .isEqualTo(new ExitCodes.Failure(ExitCodes.INVALID, "Not authorized to access group: billing"));
    }

    @Test
    void shouldSayWhenTheClusterDoesNotServeAnApi() {
        assertThat(ExitCodes.map(new UnsupportedVersionException("The node does not support CREATE_TOPICS")))
                .isEqualTo(new ExitCodes.Failure(
                        ExitCodes.ERROR,
                        "The cluster does not support this operation yet: The node does not support CREATE_TOPICS"));
    }

    @Test
    void shouldKeepOurOwnExitCodeAndMessage() {
        assertThat(ExitCodes.map(new CliException(ExitCodes.USAGE, "no"))).isEqualTo(new ExitCodes.Failure(2, "no"));
    }

    @Test
    void shouldMakeEveryMessageOneLine() {
        assertThat(ExitCodes.map(new IllegalStateException("first\n  second\r\nthird"))
                        .message())
                .isEqualTo("first second third");
        assertThat(ExitCodes.map(new IllegalStateException()).message()).isEqualTo("IllegalStateException");
    }

    @Test
    void shouldTreatAnUnresolvableBootstrapAsUnreachable() {
        assertThat(ExitCodes.map(new ConfigException("No resolvable bootstrap urls given in bootstrap.servers"))
                        .exitCode())
                .isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(ExitCodes.map(new ConfigException("acks", "7", "bad")).exitCode())
                .isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void shouldPutTheContextBeforeTheMappedMessageAndKeepTheCause() {
        InvalidReplicationFactorException cause = new InvalidReplicationFactorException("RF 5 > 3 brokers");

        CliException e = ExitCodes.asCliException("After 2 records were acknowledged: ", cause);

        assertThat(e.exitCode()).isEqualTo(ExitCodes.INVALID);
        assertThat(e)
                .hasMessage("After 2 records were acknowledged: RF 5 > 3 brokers")
                .hasCause(cause);
    }
}
