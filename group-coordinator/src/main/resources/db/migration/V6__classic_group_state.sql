-- The Stable generation of each classic group (JoinGroup/SyncGroup), as Kafka keeps it in its
-- group metadata record: written when the leader's SyncGroup completes a generation, deleted when
-- the group empties or is deleted, and loaded by the coordinator that takes its group partition
-- over, so that the members' heartbeats and commits go on in the same generation with no
-- rebalance. group_partition is the group's partition of /group_coordinators/partitions; state is
-- a JSON document of the protocol type and name, the leader and the members (with their session
-- and rebalance timeouts, protocol metadata and assignments, base64).
CREATE TABLE classic_group_state (
    group_id        VARCHAR(1024) NOT NULL,
    group_partition INTEGER       NOT NULL,
    generation_id   INTEGER       NOT NULL,
    state           VARCHAR       NOT NULL,
    CONSTRAINT pk_classic_group_state PRIMARY KEY (group_id)
);

CREATE INDEX ix_classic_group_state_partition ON classic_group_state (group_partition);
