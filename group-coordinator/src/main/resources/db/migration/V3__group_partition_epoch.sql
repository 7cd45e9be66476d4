-- The ownership epoch (ZooKeeper's /group_coordinators/partitions/{p}) under which each group
-- partition was last written. Every offset write updates its partition's row in its own
-- transaction, and only if the stored epoch is not higher than the writer's: a coordinator that
-- lost a partition without noticing yet (a paused process, an expired session) cannot overwrite
-- what the new owner wrote. The row also serializes the writes of one partition.
CREATE TABLE group_partition_epoch (
    partition_index INTEGER NOT NULL,
    owner_epoch     BIGINT  NOT NULL,
    CONSTRAINT pk_group_partition_epoch PRIMARY KEY (partition_index)
);
