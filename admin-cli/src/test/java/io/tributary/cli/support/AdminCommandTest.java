package io.tributary.cli.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.junit.jupiter.api.Test;

/** The "nothing to do" handling every admin verb with --if-exists / --if-not-exists shares. */
class AdminCommandTest {

    private final AdminCommand command = new AdminCommand() {
        @Override
        protected int run(Admin admin) {
            return ExitCodes.OK;
        }
    };

    AdminCommandTest() {
        command.client = new ClientOptions();
    }

    private static KafkaFuture<Void> failed(RuntimeException failure) {
        KafkaFutureImpl<Void> future = new KafkaFutureImpl<>();
        future.completeExceptionally(failure);
        return future;
    }

    @Test
    void shouldReportTrueWhenTheCallSucceeded() {
        assertThat(command.awaitUnless(KafkaFuture.completedFuture(null), TopicExistsException.class, false, () -> {
                    throw new AssertionError("not a failure");
                }))
                .isTrue();
    }

    @Test
    void shouldReportFalseForTheExpectedFailureWhenToleratingIt() {
        assertThat(command.awaitUnless(
                        failed(new TopicExistsException("exists")),
                        TopicExistsException.class,
                        true,
                        () -> CliException.invalid("Topic 't' already exists.")))
                .isFalse();
    }

    @Test
    void shouldGiveTheVerbsOwnFailureForTheExpectedOneWhenNotToleratingIt() {
        assertThatThrownBy(() -> command.awaitUnless(
                        failed(new TopicExistsException("exists")),
                        TopicExistsException.class,
                        false,
                        () -> CliException.invalid("Topic 't' already exists.")))
                .isInstanceOf(CliException.class)
                .hasMessage("Topic 't' already exists.")
                .extracting(e -> ((CliException) e).exitCode())
                .isEqualTo(ExitCodes.INVALID);
    }

    @Test
    void shouldLetAnyOtherFailureThrough() {
        assertThatThrownBy(() -> command.awaitUnless(
                        failed(new UnknownTopicOrPartitionException("gone")),
                        TopicExistsException.class,
                        true,
                        () -> CliException.invalid("Topic 't' already exists.")))
                .isInstanceOf(UnknownTopicOrPartitionException.class)
                .hasMessage("gone");
    }
}
