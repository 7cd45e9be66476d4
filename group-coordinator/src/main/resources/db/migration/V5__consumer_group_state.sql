-- The membership of each KIP-848 consumer group, written after every change by the coordinator
-- serving it and loaded by the coordinator that takes its group partition over, so that members
-- keep their epochs and assignments across a coordinator's death. group_partition is the group's
-- partition of /group_coordinators/partitions (what a new owner loads); state is a JSON document
-- of the members (with epochs, subscriptions, owned partitions), the target assignment and the
-- subscribed topics.
CREATE TABLE consumer_group_state (
    group_id         VARCHAR(1024) NOT NULL,
    group_partition  INTEGER       NOT NULL,
    group_epoch      INTEGER       NOT NULL,
    assignment_epoch INTEGER       NOT NULL,
    state            VARCHAR       NOT NULL,
    CONSTRAINT pk_consumer_group_state PRIMARY KEY (group_id)
);

CREATE INDEX ix_consumer_group_state_partition ON consumer_group_state (group_partition);
