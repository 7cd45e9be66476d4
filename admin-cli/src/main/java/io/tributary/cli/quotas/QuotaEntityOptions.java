package io.tributary.cli.quotas;

import io.tributary.cli.support.CliException;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import picocli.CommandLine.Option;

/** The entity a quota verb works on: a user and/or a client id, each named or the default. */
final class QuotaEntityOptions {

    @Option(names = "--user", paramLabel = "USER", description = "A user (the principal's name).")
    String user;

    @Option(names = "--user-default", description = "The default user: every user without a quota of its own.")
    boolean userDefault;

    @Option(names = "--client-id", paramLabel = "ID", description = "A client id.")
    String clientId;

    @Option(
            names = "--client-default",
            description = "The default client id: every client id without a quota of its own.")
    boolean clientDefault;

    boolean isEmpty() {
        return user == null && !userDefault && clientId == null && !clientDefault;
    }

    /** The entity as the AdminClient names it (a {@code null} name is the default). */
    ClientQuotaEntity entity() {
        if (user != null && userDefault || clientId != null && clientDefault) {
            throw CliException.invalid("Name a user or its default, and a client id or its default, not both");
        }
        if (isEmpty()) {
            throw CliException.invalid("Name the entity: --user, --user-default, --client-id or --client-default");
        }
        Map<String, String> components = new HashMap<>();
        if (user != null || userDefault) {
            components.put(ClientQuotaEntity.USER, user);
        }
        if (clientId != null || clientDefault) {
            components.put(ClientQuotaEntity.CLIENT_ID, clientId);
        }
        return new ClientQuotaEntity(components);
    }
}
