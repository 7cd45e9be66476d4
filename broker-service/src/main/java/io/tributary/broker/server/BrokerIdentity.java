package io.tributary.broker.server;

/** Who this broker is, as the handlers report it: its id and the cluster's id. */
public record BrokerIdentity(int brokerId, String clusterId) {}
