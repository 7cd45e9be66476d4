package io.tributary.group.persistence;

/** The classic group store contract on H2 (an in-memory database replacing the file one). */
class H2ClassicGroupStoreTest extends ClassicGroupStoreContract {}
