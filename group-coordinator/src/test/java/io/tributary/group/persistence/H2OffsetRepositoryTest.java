package io.tributary.group.persistence;

/** The offset repository contract on H2 (an in-memory database replacing the file one). */
class H2OffsetRepositoryTest extends OffsetRepositoryContract {}
