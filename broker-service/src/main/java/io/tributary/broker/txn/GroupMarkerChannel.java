package io.tributary.broker.txn;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.WriteTxnMarkersRequest;

/**
 * How the transaction coordinator reaches the group-coordinator instances that keep a
 * transaction's pending offsets: the marker of a group's pseudo-partition
 * {@code __consumer_offsets-p} goes to the instance serving group partition p. Implemented by the
 * broker's group relay (package {@code group}), which knows where groups live.
 */
public interface GroupMarkerChannel {

    /** The group-coordinator instance serving group partition {@code groupPartition}, if any. */
    Optional<Node> ownerOf(int groupPartition);

    /** Sends WriteTxnMarkers to {@code owner} as this broker's own request. */
    CompletableFuture<AbstractResponse> send(Node owner, WriteTxnMarkersRequest.Builder request);
}
