package io.tributary.group.server.handler;

import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ConsumerGroupDescribeRequest;
import org.apache.kafka.common.requests.ConsumerGroupDescribeResponse;
import org.springframework.stereotype.Component;

/** ConsumerGroupDescribe (KIP-848): epochs, members and assignments of consumer groups. */
@Component
class ConsumerGroupDescribeHandler
        extends GroupApiHandler<
                ConsumerGroupDescribeRequest, ConsumerGroupDescribeRequestData, ConsumerGroupDescribeResponseData> {

    ConsumerGroupDescribeHandler(GroupCoordinator coordinator) {
        super(coordinator, ApiKeys.CONSUMER_GROUP_DESCRIBE, ConsumerGroupDescribeRequest.class);
    }

    @Override
    CompletableFuture<ConsumerGroupDescribeResponseData> call(
            RequestContext context, ConsumerGroupDescribeRequestData data) {
        return coordinator.consumerGroupDescribe(context, data);
    }

    @Override
    AbstractResponse wrap(ConsumerGroupDescribeResponseData data, short version) {
        return new ConsumerGroupDescribeResponse(data);
    }
}
