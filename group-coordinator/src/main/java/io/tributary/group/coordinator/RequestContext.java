package io.tributary.group.coordinator;

/**
 * Who sent a group request and at which version: the little the group logic needs of the
 * network. For a request a broker forwards, the client id and host are the original client's.
 *
 * @param clientId   the client's {@code client.id} (shown by DescribeGroups)
 * @param clientHost the client's address (shown by DescribeGroups)
 * @param apiVersion the version of the request; the answer is written at the same version
 */
public record RequestContext(String clientId, String clientHost, short apiVersion) {

    public RequestContext {
        clientId = clientId == null ? "" : clientId;
        clientHost = clientHost == null ? "" : clientHost;
    }

    public static RequestContext of(String clientId, String clientHost, int apiVersion) {
        return new RequestContext(clientId, clientHost, (short) apiVersion);
    }
}
