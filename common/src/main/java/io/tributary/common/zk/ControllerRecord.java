package io.tributary.common.zk;

/**
 * Content of the ephemeral {@code /controller} znode.
 *
 * @param instanceId      the metadata-service instance that is controller
 * @param controllerEpoch the epoch it was elected with
 * @param host            host of its HTTP API
 * @param httpPort        port of its HTTP API
 */
public record ControllerRecord(String instanceId, int controllerEpoch, String host, int httpPort) {}
