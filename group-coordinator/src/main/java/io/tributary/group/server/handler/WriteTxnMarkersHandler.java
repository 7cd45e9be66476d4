package io.tributary.group.server.handler;

import io.tributary.common.protocol.DecodedRequest;
import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.WriteTxnMarkersRequest;
import org.apache.kafka.common.requests.WriteTxnMarkersResponse;
import org.springframework.stereotype.Component;

/**
 * WriteTxnMarkers from a broker's transaction coordinator, for the groups' pseudo-partitions
 * {@code __consumer_offsets-p}: the COMMIT or ABORT of a producer's transactional offsets.
 */
@Component
class WriteTxnMarkersHandler
        extends GroupApiHandler<WriteTxnMarkersRequest, WriteTxnMarkersRequestData, WriteTxnMarkersResponseData> {

    WriteTxnMarkersHandler(GroupCoordinator coordinator) {
        super(coordinator, ApiKeys.WRITE_TXN_MARKERS, WriteTxnMarkersRequest.class);
    }

    /** As Kafka: only a broker (CLUSTER_ACTION on the cluster) writes transaction markers. */
    @Override
    void authorize(DecodedRequest request, WriteTxnMarkersRequestData data) {
        authorizer().requireCluster(request, AclOperation.CLUSTER_ACTION);
    }

    @Override
    CompletableFuture<WriteTxnMarkersResponseData> call(RequestContext context, WriteTxnMarkersRequestData data) {
        return coordinator.writeTxnMarkers(context, data);
    }

    @Override
    AbstractResponse wrap(WriteTxnMarkersResponseData data, short version) {
        return new WriteTxnMarkersResponse(data);
    }
}
