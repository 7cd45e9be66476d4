package io.tributary.broker.server.handler;

import io.tributary.broker.authz.Authorization;
import io.tributary.broker.cluster.ClusterMetadataCache;
import io.tributary.broker.cluster.ClusterSnapshot;
import io.tributary.broker.server.BrokerIdentity;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.security.acl.Authorizer;
import io.tributary.common.zk.BrokerRegistration;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeClusterResponseData.DescribeClusterBroker;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeClusterRequest;
import org.apache.kafka.common.requests.DescribeClusterResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/** DescribeCluster: the live brokers, the cluster id and the broker named as controller. */
@Authorization(
        value = {},
        note = "None, as in Kafka: any authenticated client may learn the brokers;"
                + " clusterAuthorizedOperations filled when asked")
@Component
class DescribeClusterHandler implements ApiHandler {

    /** DescribeCluster v1+ endpoint type for brokers; controllers (2) are not exposed. */
    private static final byte BROKER_ENDPOINT = 1;

    private final ClusterMetadataCache cache;
    private final BrokerIdentity identity;

    private Authorizer authorizer = Authorizer.allowAll();

    /** The ACL checks (for authorizedOperations); without it (unit tests) everything is allowed. */
    @Autowired
    void authorizer(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    DescribeClusterHandler(ClusterMetadataCache cache, BrokerIdentity identity) {
        this.cache = cache;
        this.identity = identity;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CLUSTER;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        DescribeClusterRequestData data =
                request.body(DescribeClusterRequest.class).data();
        byte endpointType = data.endpointType();
        DescribeClusterResponseData response = new DescribeClusterResponseData().setClusterId(identity.clusterId());
        if (request.apiVersion() >= 1 && endpointType != BROKER_ENDPOINT) {
            response.setErrorCode(Errors.UNSUPPORTED_ENDPOINT_TYPE.code())
                    .setErrorMessage("Tributary exposes broker endpoints only");
            return HandlerResult.completed(new DescribeClusterResponse(response));
        }
        ClusterSnapshot snapshot = cache.snapshot();
        response.setControllerId(snapshot.controllerBrokerId()).setEndpointType(BROKER_ENDPOINT);
        for (BrokerRegistration broker : snapshot.liveBrokers()) {
            response.brokers()
                    .add(new DescribeClusterBroker()
                            .setBrokerId(broker.id())
                            .setHost(broker.host())
                            .setPort(broker.kafkaPort())
                            .setRack(broker.rack()));
        }
        if (data.includeClusterAuthorizedOperations()) {
            response.setClusterAuthorizedOperations(
                    authorizer.authorizedOperations(request, ResourceType.CLUSTER, Authorizer.CLUSTER));
        }
        return HandlerResult.completed(new DescribeClusterResponse(response));
    }
}
