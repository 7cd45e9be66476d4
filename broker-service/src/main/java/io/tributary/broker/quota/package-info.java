/**
 * Client quotas, as Kafka has them: produce and fetch byte rates and a request-time share per user
 * and client id (with default entities and Kafka's precedence), stored in ZooKeeper, managed with
 * AlterClientQuotas/DescribeClientQuotas, and enforced by throttling (KIP-219) around the handlers.
 */
package io.tributary.broker.quota;
