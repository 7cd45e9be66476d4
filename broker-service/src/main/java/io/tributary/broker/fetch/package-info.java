/**
 * Fetch sessions (KIP-227): the partitions and last-answered state a client's incremental fetches
 * refer to, held by the leader in a bounded {@link io.tributary.broker.fetch.FetchSessionCache}.
 */
package io.tributary.broker.fetch;
