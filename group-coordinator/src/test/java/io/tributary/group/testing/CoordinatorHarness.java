package io.tributary.group.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.common.zk.GroupPartitionOwner;
import io.tributary.group.config.ConsumerGroupProperties;
import io.tributary.group.config.GroupCoordinatorProperties;
import io.tributary.group.consumer.ConsumerGroupCoordinator;
import io.tributary.group.consumer.ConsumerGroups;
import io.tributary.group.consumer.TopicsImage;
import io.tributary.group.consumer.assignor.RangeAssignor;
import io.tributary.group.consumer.assignor.UniformAssignor;
import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.OffsetExpiration;
import io.tributary.group.coordinator.RequestContext;
import io.tributary.group.membership.ClassicGroupSnapshot;
import io.tributary.group.membership.ClassicGroupStore;
import io.tributary.group.membership.GroupMetadataStore;
import io.tributary.group.membership.GroupRegistry;
import io.tributary.group.membership.GroupTimer;
import io.tributary.group.membership.MembershipManager;
import io.tributary.group.membership.StoredGroup;
import io.tributary.group.offset.OffsetManager;
import io.tributary.group.persistence.GroupMetadataEntity;
import io.tributary.group.txnoffset.PendingTxnOffsets;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.util.unit.DataSize;

/**
 * The whole coordinator without Spring, network or database: manual time, map-backed
 * repositories, database work run on the calling thread. Every future it hands out is
 * checked to serialize at its request version.
 */
public final class CoordinatorHarness {

    public static final long START = 1_700_000_000_000L;
    public static final int SESSION_MS = 10_000;
    public static final int REBALANCE_MS = 30_000;

    public final ManualGroupTimer timer;
    /** The timer the coordinator runs on: {@link #timer}, or a real one. */
    public final GroupTimer groupTimer;

    public final InMemoryOffsetRepository offsetRepository = new InMemoryOffsetRepository();
    public final InMemoryGroupRepository groupRepository = new InMemoryGroupRepository();
    public final GroupMetadataStore store = new SyncStore(groupRepository);
    /** The stored Stable generations of classic groups, by group id (the shared store's table). */
    public final Map<String, ClassicGroupSnapshot> classicGroups = new ConcurrentHashMap<>();

    public final GroupCoordinatorProperties config;
    public final GroupRegistry registry;
    public final MembershipManager membership;
    public final PendingTxnOffsets pendingTxnOffsets;
    public final OffsetManager offsets;
    public final GroupCoordinator coordinator;
    /** KIP-848 groups, over {@link #topics}. */
    public final ConsumerGroupCoordinator consumerGroups;
    /** The topics the KIP-848 groups see; tests replace it to create, grow or delete topics. */
    public volatile TopicsImage topics = TopicsImage.EMPTY;

    public final OffsetExpiration expiration;

    /** Whether this coordinator serves a group now (every group unless a test moves some away). */
    public volatile Predicate<String> serves = groupId -> true;

    public CoordinatorHarness() {
        this(properties(Duration.ofSeconds(3), Integer.MAX_VALUE));
    }

    public CoordinatorHarness(GroupCoordinatorProperties config) {
        this(config, null);
    }

    /** With {@code realTimer} (wall-clock time, its own thread) instead of manual time, if given. */
    public CoordinatorHarness(GroupCoordinatorProperties config, GroupTimer realTimer) {
        this.config = config;
        this.timer = new ManualGroupTimer(START);
        this.groupTimer = realTimer != null ? realTimer : timer;
        GroupTimer time = groupTimer;
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(time.nowMs());
            }
        };
        registry = new GroupRegistry(store, Runnable::run, time, groupId -> serves.test(groupId));
        membership = new MembershipManager(config, time, registry, store, new ClassicGroupStore() {
            @Override
            public void save(ClassicGroupSnapshot group) {
                classicGroups.put(group.groupId(), group);
            }

            @Override
            public void delete(String groupId) {
                classicGroups.remove(groupId);
            }

            @Override
            public List<ClassicGroupSnapshot> loadPartitions(Collection<Integer> partitions) {
                return classicGroups.values().stream()
                        .filter(g -> partitions.contains(GroupPartitionOwner.partitionOf(g.groupId())))
                        .toList();
            }
        });
        offsets = new OffsetManager(
                offsetRepository, groupRepository, TransactionOperations.withoutTransaction(), clock, config);
        consumerGroups = new ConsumerGroupCoordinator(
                ConsumerGroupProperties.defaults(),
                new ConsumerGroups(),
                () -> topics,
                time,
                List.of(new UniformAssignor(), new RangeAssignor()));
        pendingTxnOffsets = new PendingTxnOffsets(
                new InMemoryPendingTxnOffsetRepository(), offsets, TransactionOperations.withoutTransaction(), clock);
        coordinator = new GroupCoordinator(
                membership, offsets, registry, store, Runnable::run, consumerGroups, pendingTxnOffsets);
        expiration = new OffsetExpiration(registry, membership, offsets, pendingTxnOffsets, store, time, config);
    }

    public static GroupCoordinatorProperties properties(Duration initialDelay, int maxSize) {
        return new GroupCoordinatorProperties(
                Path.of("unused"),
                "127.0.0.1",
                0,
                1,
                initialDelay,
                Duration.ofSeconds(6),
                Duration.ofMinutes(30),
                maxSize,
                Duration.ofDays(7),
                Duration.ofMinutes(10),
                DataSize.ofBytes(4096),
                1,
                Duration.ofDays(7),
                Duration.ofSeconds(1));
    }

    public static RequestContext ctx(int version) {
        return RequestContext.of("client", "/127.0.0.1", version);
    }

    public static JoinGroupRequestProtocolCollection protocols(Object... nameAndMetadata) {
        JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestProtocolCollection();
        for (int i = 0; i < nameAndMetadata.length; i += 2) {
            protocols.add(new JoinGroupRequestProtocol()
                    .setName((String) nameAndMetadata[i])
                    .setMetadata((byte[]) nameAndMetadata[i + 1]));
        }
        return protocols;
    }

    public static JoinGroupRequestData joinRequest(
            String groupId, String memberId, String instanceId, JoinGroupRequestProtocolCollection protocols) {
        return new JoinGroupRequestData()
                .setGroupId(groupId)
                .setMemberId(memberId)
                .setGroupInstanceId(instanceId)
                .setSessionTimeoutMs(SESSION_MS)
                .setRebalanceTimeoutMs(REBALANCE_MS)
                .setProtocolType("consumer")
                .setProtocols(protocols);
    }

    /** The completed value of {@code future}, after checking that it serializes at {@code version}. */
    public static <T extends ApiMessage> T done(CompletableFuture<T> future, int version) {
        assertThat(future).as("answer is ready").isDone();
        T value;
        try {
            value = future.join();
        } catch (CompletionException e) {
            throw new AssertionError("future failed", e.getCause());
        }
        serializes(value, version);
        return value;
    }

    /** Writes {@code message} at {@code version} and reads it back; fails on fields the version lacks. */
    public static void serializes(ApiMessage message, int version) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = message.size(cache, (short) version);
        ByteBuffer buffer = ByteBuffer.allocate(size);
        message.write(new ByteBufferAccessor(buffer), cache, (short) version);
        assertThat(buffer.remaining()).isZero();
    }

    /** A synchronous group store over the map repository. */
    private static final class SyncStore implements GroupMetadataStore {
        private final InMemoryGroupRepository repository;

        SyncStore(InMemoryGroupRepository repository) {
            this.repository = repository;
        }

        @Override
        public Optional<StoredGroup> load(String groupId) {
            return repository.findById(groupId).map(SyncStore::toStored);
        }

        @Override
        public List<StoredGroup> loadAll() {
            return repository.findAll().stream().map(SyncStore::toStored).toList();
        }

        @Override
        public void save(StoredGroup g) {
            repository.save(new GroupMetadataEntity(
                    g.groupId(),
                    g.protocolType(),
                    g.protocolName(),
                    g.generationId(),
                    g.state(),
                    g.stateTimestampMs()));
        }

        @Override
        public CompletableFuture<Void> delete(String groupId) {
            return CompletableFuture.runAsync(() -> repository.deleteByGroupId(groupId), Runnable::run);
        }

        private static StoredGroup toStored(GroupMetadataEntity e) {
            return new StoredGroup(
                    e.getGroupId(),
                    e.getProtocolType(),
                    e.getProtocolName(),
                    e.getGenerationId(),
                    e.getState(),
                    e.getStateTimestamp());
        }
    }
}
