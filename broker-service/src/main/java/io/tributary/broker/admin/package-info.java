/**
 * The broker's side of topic administration: {@link io.tributary.broker.admin.MetadataServiceClient}
 * forwards the admin APIs Kafka clients send to brokers to metadata-service's REST API, and
 * {@link io.tributary.broker.admin.AutoTopicCreator} implements {@code auto.create.topics.enable}
 * with it. The protocol handlers live in {@code server.handler}.
 */
package io.tributary.broker.admin;
