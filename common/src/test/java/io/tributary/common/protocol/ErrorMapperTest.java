package io.tributary.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicCollection;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.RequestHeader;
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

    /** As the group coordinator extends it: its storage failures have an error of their own. */
    private final ErrorMapper extended =
            new ErrorMapper(cause -> cause instanceof UncheckedIOException ? Errors.COORDINATOR_NOT_AVAILABLE : null);

    @Test
    void shouldLetTheExtensionNameTheErrorOfTheServicesOwnFailures() {
        assertThat(extended.toErrors(new CompletionException(new UncheckedIOException(new IOException("db down")))))
                .isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(extended.errorOf("OffsetFetch billing", new UncheckedIOException(new IOException("db down"))))
                .isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(extended.toErrors(new IllegalStateException("bug"))).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
    }

    @Test
    void shouldNotAskTheExtensionAboutKafkaExceptions() {
        ErrorMapper greedy = new ErrorMapper(cause -> Errors.COORDINATOR_NOT_AVAILABLE);

        assertThat(greedy.toErrors(new UnknownTopicOrPartitionException("x")))
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(greedy.toErrors(new StaleLeaderException())).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
    }

    @Test
    void shouldSendNoMessageWithAnErrorTheExtensionNamed() {
        short version = ApiKeys.CREATE_TOPICS.latestVersion();
        CreatableTopicCollection topics = new CreatableTopicCollection();
        topics.add(new CreatableTopic().setName("t").setNumPartitions(1).setReplicationFactor((short) 1));
        DecodedRequest request = new DecodedRequest(
                new RequestHeader(ApiKeys.CREATE_TOPICS, version, "c", 7),
                ApiKeys.CREATE_TOPICS,
                version,
                new CreateTopicsRequest.Builder(new CreateTopicsRequestData().setTopics(topics)).build(version),
                "c",
                new InetSocketAddress("127.0.0.1", 1),
                "conn-1",
                0);

        CreatableTopicResult result = ((CreateTopicsResponse) extended.errorResponse(
                        request, new UncheckedIOException(new IOException("jdbc:postgresql://db/groups refused"))))
                .data()
                .topics()
                .find("t");

        assertThat(Errors.forCode(result.errorCode())).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(String.valueOf(result.errorMessage())).doesNotContain("jdbc");
    }

    private static final class StaleLeaderException extends NotLeaderOrFollowerException {
        private static final long serialVersionUID = 1L;

        StaleLeaderException() {
            super("leader epoch moved on");
        }
    }

    @Test
    void shouldNameTheDeepestCauseOfAWrappedFailure() {
        Throwable wrapped = new IllegalStateException(
                "Unable to commit", new RuntimeException("write failed", new java.io.IOException("No space left")));

        assertThat(ErrorMapper.withRootCause(wrapped))
                .isEqualTo("java.lang.IllegalStateException: Unable to commit "
                        + "(caused by java.io.IOException: No space left)");
        assertThat(ErrorMapper.withRootCause(new IllegalStateException("alone")))
                .isEqualTo("java.lang.IllegalStateException: alone");
    }
}
