package io.tributary.group.membership;

import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * The error answers of the membership APIs, with the fields a client reads besides the error
 * code set to what Kafka sends (no generation, no leader, an empty assignment). Stateless.
 */
final class ErrorResponses {

    private ErrorResponses() {}

    static JoinGroupResponseData joinError(String memberId, Errors error) {
        return new JoinGroupResponseData()
                .setMemberId(memberId)
                .setErrorCode(error.code())
                .setGenerationId(-1)
                .setLeader("");
    }

    static SyncGroupResponseData syncError(Errors error) {
        return new SyncGroupResponseData().setErrorCode(error.code()).setAssignment(new byte[0]);
    }

    static HeartbeatResponseData heartbeatError(Errors error) {
        return new HeartbeatResponseData().setErrorCode(error.code());
    }
}
