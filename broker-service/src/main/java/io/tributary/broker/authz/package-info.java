/**
 * Authorization: Kafka's ACL model (resource patterns, operations with their implications,
 * ALLOW/DENY, principals and hosts) stored in ZooKeeper and checked by the handlers.
 */
package io.tributary.broker.authz;
