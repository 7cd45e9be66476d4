/**
 * The broker's side of consumer groups. Clients see only brokers:
 * {@code FindCoordinatorHandler} names a broker per group (a stable
 * hash over the live brokers), and that broker's group API handlers hand each request to
 * {@link io.tributary.broker.group.GroupRelay}, which relays it to the group-coordinator
 * instance that owns the group's partition in ZooKeeper
 * ({@link io.tributary.broker.group.GroupCoordinatorLocator}) inside
 * an Envelope (KIP-590): the client's header and body at the client's version plus the client's
 * address, so the coordinator serves the request as the consumer's own (its client id and host
 * in member ids and DescribeGroups). The coordinator's answer is unwrapped and returned to the
 * client as written. DescribeGroups and ListGroups, which may span several coordinator
 * instances, are split per instance and sent as the broker's own requests.
 */
package io.tributary.broker.group;
