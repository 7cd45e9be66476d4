-- Group metadata that survives restarts: enough to list and describe an Empty group and to
-- continue its generations. Members are never stored; they rejoin.
CREATE TABLE consumer_group (
    group_id        VARCHAR(1024) NOT NULL,
    protocol_type   VARCHAR(255)  NOT NULL,
    protocol_name   VARCHAR(255),
    generation_id   INTEGER       NOT NULL,
    state           VARCHAR(32)   NOT NULL,
    state_timestamp BIGINT        NOT NULL,
    CONSTRAINT pk_consumer_group PRIMARY KEY (group_id)
);

-- One committed offset per group and partition. leader_epoch is -1 when the client sent none;
-- expire_timestamp is set only by OffsetCommit v2-4 with an explicit retention time.
CREATE TABLE committed_offset (
    group_id         VARCHAR(1024)  NOT NULL,
    topic            VARCHAR(255)   NOT NULL,
    partition_index  INTEGER        NOT NULL,
    committed_offset BIGINT         NOT NULL,
    leader_epoch     INTEGER        NOT NULL,
    metadata         VARCHAR(65535),
    commit_timestamp BIGINT         NOT NULL,
    expire_timestamp BIGINT,
    CONSTRAINT pk_committed_offset PRIMARY KEY (group_id, topic, partition_index)
);
