package io.tributary.cli.support;

import io.tributary.cli.output.Output;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.ApiException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A verb that works through one AdminClient: {@link #call} checks the command line
 * ({@link #validate}), opens the client from the shared {@link ClientOptions}, runs {@link #run}
 * and closes it, whatever happens. A failure propagates
 * to the one mapper, {@link ExitCodes}, unless the verb turns it into a {@link CliException} of
 * its own words first ({@link #awaitUnless} for the usual "does not exist" and "already exists").
 *
 * <p>One instance per command-line run; not thread-safe.
 */
public abstract class AdminCommand implements Callable<Integer> {

    @Spec
    protected CommandSpec spec;

    @Mixin
    protected ClientOptions client;

    @Override
    public final Integer call() {
        validate();
        try (Admin admin = client.admin()) {
            return run(admin);
        }
    }

    /** Checks what picocli cannot before anything connects; throws a {@link CliException}. */
    protected void validate() {}

    /** The verb's work with an open admin client; returns the exit code. */
    protected abstract int run(Admin admin);

    /** Where the verb prints its result. */
    protected Output output() {
        return client.output(spec);
    }

    /**
     * Awaits {@code future}, whose failure with {@code expected} means "nothing to do" when
     * {@code tolerate} is set ({@code --if-exists}, {@code --if-not-exists}) and is
     * {@code otherwise}'s failure when it is not.
     *
     * @return true when the call succeeded, false when it failed with {@code expected}, tolerated
     */
    protected boolean awaitUnless(
            KafkaFuture<?> future,
            Class<? extends ApiException> expected,
            boolean tolerate,
            Supplier<CliException> otherwise) {
        try {
            client.await(future);
            return true;
        } catch (ApiException e) {
            if (!expected.isInstance(e)) {
                throw e;
            }
            if (!tolerate) {
                throw otherwise.get();
            }
            return false;
        }
    }
}
