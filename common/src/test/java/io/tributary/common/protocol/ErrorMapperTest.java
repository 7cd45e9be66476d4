package io.tributary.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ErrorMapperTest {

    private final ErrorMapper mapper = new ErrorMapper();

    @Test
    void shouldMapKafkaExceptionsToTheirOwnCode() {
        assertThat(mapper.toErrors(new UnknownTopicOrPartitionException("x")))
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(mapper.toErrors(new TimeoutException("x"))).isEqualTo(Errors.REQUEST_TIMED_OUT);
    }

    @Test
    void shouldMapOurSubclassesToTheNearestKafkaCode() {
        assertThat(mapper.toErrors(new StaleLeaderException())).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
    }

    @Test
    void shouldUnwrapFutureWrappers() {
        assertThat(mapper.toErrors(
                        new CompletionException(new ExecutionException(new UnknownTopicOrPartitionException("x")))))
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
    }

    @Test
    void shouldMapEverythingElseToUnknownServerError() {
        assertThat(mapper.toErrors(new IOException("disk"))).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
        assertThat(mapper.toErrors(new NullPointerException())).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
    }

    @Test
    void shouldGiveAPartitionItsOwnErrorAndSendNoInternalMessageForAnUnexpectedFailure() {
        assertThat(mapper.partitionError("Fetch of t-0", new StaleLeaderException()))
                .isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
        assertThat(ErrorMapper.clientMessage(new StaleLeaderException())).isEqualTo("leader epoch moved on");

        assertThat(mapper.partitionError("Fetch of t-0", new IllegalStateException("/var/data/t-0 is broken")))
                .isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
        assertThat(ErrorMapper.clientMessage(new IllegalStateException("/var/data/t-0 is broken")))
                .isNull();
    }

    private static final class StaleLeaderException extends NotLeaderOrFollowerException {
        private static final long serialVersionUID = 1L;

        StaleLeaderException() {
            super("leader epoch moved on");
        }
    }
}
