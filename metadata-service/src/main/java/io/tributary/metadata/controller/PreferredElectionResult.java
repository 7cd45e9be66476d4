package io.tributary.metadata.controller;

import org.apache.kafka.common.protocol.Errors;

/**
 * Outcome of a preferred-leader election for one partition.
 *
 * @param topic     the topic
 * @param partition the partition
 * @param error     {@link Errors#NONE} when leadership moved, else why not
 *                  ({@code ELECTION_NOT_NEEDED}, {@code PREFERRED_LEADER_NOT_AVAILABLE},
 *                  {@code UNKNOWN_TOPIC_OR_PARTITION})
 * @param leader    the leader afterwards, -1 when unknown
 */
public record PreferredElectionResult(String topic, int partition, Errors error, int leader) {}
