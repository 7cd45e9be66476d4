package io.tributary.group.consumer;

import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.errors.InvalidRegularExpression;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnsupportedAssignorException;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;

/**
 * The checks Kafka makes of a ConsumerGroupHeartbeat before looking at the group, with its error
 * codes: {@code INVALID_REQUEST} for a malformed request, {@code UNSUPPORTED_ASSIGNOR} for an
 * assignor the coordinator does not have, {@code INVALID_REGULAR_EXPRESSION} for a regex that
 * does not compile. Stateless.
 */
final class HeartbeatValidation {

    /** From v1 the consumer generates its member id and sends it from the first heartbeat on. */
    private static final short CONSUMER_GENERATED_MEMBER_ID_VERSION = 1;

    private HeartbeatValidation() {}

    static void check(ConsumerGroupHeartbeatRequestData request, short version, Set<String> assignors) {
        int epoch = request.memberEpoch();
        if (version >= CONSUMER_GENERATED_MEMBER_ID_VERSION || epoch > 0 || epoch == -1) {
            requireNotEmpty(request.memberId(), "MemberId can't be empty.");
        }
        requireNotEmpty(request.groupId(), "GroupId can't be empty.");
        if (request.instanceId() != null) {
            requireNotEmpty(request.instanceId(), "InstanceId can't be empty.");
        }
        if (request.rackId() != null) {
            requireNotEmpty(request.rackId(), "RackId can't be empty.");
        }
        if (epoch == 0) {
            if (request.rebalanceTimeoutMs() == -1) {
                throw new InvalidRequestException("RebalanceTimeoutMs must be provided in first request.");
            }
            if (request.topicPartitions() == null || !request.topicPartitions().isEmpty()) {
                throw new InvalidRequestException("TopicPartitions must be empty when (re-)joining.");
            }
            boolean names = request.subscribedTopicNames() != null
                    && !request.subscribedTopicNames().isEmpty();
            boolean regex = request.subscribedTopicRegex() != null
                    && !request.subscribedTopicRegex().isEmpty();
            if (!names && !regex) {
                throw new InvalidRequestException(
                        "SubscribedTopicNames or SubscribedTopicRegex must be set in first request.");
            }
        } else if (epoch == ConsumerGroupMember.STATIC_LEFT_EPOCH) {
            if (request.instanceId() == null) {
                throw new InvalidRequestException("InstanceId can't be null.");
            }
        } else if (epoch < ConsumerGroupMember.STATIC_LEFT_EPOCH) {
            throw new InvalidRequestException("MemberEpoch is invalid.");
        }
        if (request.serverAssignor() != null && !assignors.contains(request.serverAssignor())) {
            throw new UnsupportedAssignorException("ServerAssignor " + request.serverAssignor()
                    + " is not supported. Supported assignors: " + String.join(", ", assignors) + ".");
        }
        if (request.subscribedTopicRegex() != null
                && !request.subscribedTopicRegex().isEmpty()) {
            try {
                Pattern.compile(request.subscribedTopicRegex());
            } catch (PatternSyntaxException e) {
                throw new InvalidRegularExpression("SubscribedTopicRegex `" + request.subscribedTopicRegex()
                        + "` is not a valid regular expression: " + e.getDescription() + ".");
            }
        }
    }

    private static void requireNotEmpty(String value, String message) {
        if (value == null || value.isEmpty()) {
            throw new InvalidRequestException(message);
        }
    }
}
