package io.tributary.broker.group;

import io.tributary.broker.txn.GroupMarkerChannel;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.WriteTxnMarkersRequest;
import org.springframework.stereotype.Component;

/** The transaction coordinator's markers for groups, sent over the group relay to the partition's owner. */
@Component
class GroupTxnMarkerChannel implements GroupMarkerChannel {

    private final GroupRelay relay;

    GroupTxnMarkerChannel(GroupRelay relay) {
        this.relay = relay;
    }

    @Override
    public Optional<Node> ownerOf(int groupPartition) {
        return relay.locator().ownerOfPartition(groupPartition);
    }

    @Override
    public CompletableFuture<AbstractResponse> send(Node owner, WriteTxnMarkersRequest.Builder request) {
        return relay.send(owner, request, ApiKeys.WRITE_TXN_MARKERS.latestVersion());
    }
}
