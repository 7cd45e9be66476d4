package io.tributary.broker.quota;

import java.util.ArrayList;
import java.util.List;

/**
 * What a quota is set on: a user, a client id, or a client id of a user. A component is
 * {@code null} when the entity does not have it, and {@link #DEFAULT} for the default entity of
 * its type (Kafka's {@code <default>}: every user or client id without a quota of its own).
 *
 * @param user     the user (the principal's name), {@link #DEFAULT}, or {@code null}
 * @param clientId the client id, {@link #DEFAULT}, or {@code null}
 */
public record QuotaEntity(String user, String clientId) {

    /** The name of a default entity, in memory and in ZooKeeper (Kafka's). */
    public static final String DEFAULT = "<default>";
    /** Kafka's entity type names. */
    public static final String USER = "user";

    public static final String CLIENT_ID = "client-id";

    public QuotaEntity {
        if (user == null && clientId == null) {
            throw new IllegalArgumentException("A quota entity needs a user or a client id");
        }
    }

    /**
     * The entities whose quota applies to a request of {@code user} with {@code clientId}, in the
     * order Kafka looks for a quota: the most specific first.
     */
    static List<QuotaEntity> precedence(String user, String clientId) {
        List<QuotaEntity> order = new ArrayList<>(8);
        order.add(new QuotaEntity(user, clientId));
        order.add(new QuotaEntity(user, DEFAULT));
        order.add(new QuotaEntity(user, null));
        order.add(new QuotaEntity(DEFAULT, clientId));
        order.add(new QuotaEntity(DEFAULT, DEFAULT));
        order.add(new QuotaEntity(DEFAULT, null));
        order.add(new QuotaEntity(null, clientId));
        order.add(new QuotaEntity(null, DEFAULT));
        return order;
    }

    /**
     * Who shares the rate of this entity's quota for a request of {@code user}/{@code clientId}: a
     * default stands for each user or client id on its own, an absent component for all of them
     * (Kafka's quota metric tags; {@code ""} for all).
     */
    QuotaEntity sharedBy(String requestUser, String requestClientId) {
        return new QuotaEntity(user == null ? "" : requestUser, clientId == null ? "" : requestClientId);
    }

    @Override
    public String toString() {
        return (user == null ? "" : "user=" + user)
                + (user != null && clientId != null ? "," : "")
                + (clientId == null ? "" : "client-id=" + clientId);
    }
}
