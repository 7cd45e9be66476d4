package io.tributary.common.zk;

/**
 * The ZooKeeper layout every Tributary service shares (see docs/architecture.md, "ZooKeeper layout").
 * Paths are relative to the chroot ({@code /tributary} by default), which the Curator client
 * applies as its namespace, so code never spells the chroot itself.
 */
public final class ZkPaths {

    /** Parent of the brokers' ephemeral registrations. */
    public static final String BROKER_IDS = "/brokers/ids";
    /** Parent of the persistent topic znodes. */
    public static final String TOPICS = "/topics";
    /** Ephemeral: the current controller. */
    public static final String CONTROLLER = "/controller";
    /** Persistent: the monotonically increasing controller epoch. */
    public static final String CONTROLLER_EPOCH = "/controller_epoch";
    /** Parent of the controller election's latch nodes. */
    public static final String CONTROLLER_ELECTION = "/controller_election";
    /** Persistent: the last block of producer ids a broker claimed. */
    public static final String PRODUCER_ID_BLOCK = "/latest_producer_id_block";
    /** Persistent: the cluster id, created once by the first broker. */
    public static final String CLUSTER_ID = "/cluster/id";
    /** Spring Cloud Zookeeper discovery root. */
    public static final String SERVICES = "/services";
    /** Parent of the group-coordinator instances' ephemeral ownership registrations. */
    public static final String GROUP_COORDINATOR_INSTANCES = "/group_coordinators/instances";
    /** Parent of the persistent group-partition ownership znodes ({@link GroupPartitionOwner}). */
    public static final String GROUP_PARTITIONS = "/group_coordinators/partitions";

    /** Parent of the users' SCRAM credentials, one persistent znode per user (Kafka's layout). */
    public static final String USERS = "/config/users";
    /** Parent of the ACLs, one persistent znode per resource: {@code /acls/<type>/<pattern>/<name>}. */
    public static final String ACLS = "/acls";
    /**
     * Parent of the client quotas: {@code /quotas/users/<user>}, {@code /quotas/users/<user>/clients/<id>}
     * and {@code /quotas/clients/<id>}, names URL-encoded, a default entity named {@code <default>}.
     */
    public static final String QUOTAS = "/quotas";

    private ZkPaths() {}

    /** A user's SCRAM credentials; the name is URL-encoded, as user names may hold '/'. */
    public static String user(String user) {
        return USERS + "/" + java.net.URLEncoder.encode(user, java.nio.charset.StandardCharsets.UTF_8);
    }

    public static String broker(int brokerId) {
        return BROKER_IDS + "/" + brokerId;
    }

    public static String topic(String topic) {
        return TOPICS + "/" + topic;
    }

    public static String partitions(String topic) {
        return topic(topic) + "/partitions";
    }

    public static String partition(String topic, int partition) {
        return partitions(topic) + "/" + partition;
    }

    public static String partitionState(String topic, int partition) {
        return partition(topic, partition) + "/state";
    }

    public static String groupCoordinatorInstance(String memberId) {
        return GROUP_COORDINATOR_INSTANCES + "/" + memberId;
    }

    public static String groupPartition(int partition) {
        return GROUP_PARTITIONS + "/" + partition;
    }

    public static String service(String serviceName) {
        return SERVICES + "/" + serviceName;
    }
}
