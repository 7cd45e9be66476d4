package io.tributary.group.coordinator;

import io.tributary.group.consumer.ConsumerGroupQueries;
import io.tributary.group.membership.ClassicGroup;
import io.tributary.group.membership.GroupIds;
import io.tributary.group.membership.GroupRegistry;
import io.tributary.group.membership.GroupState;
import io.tributary.group.membership.GroupView;
import io.tributary.group.membership.MembershipManager;
import io.tributary.group.membership.StoredGroup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroupMember;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeGroups and ListGroups: read-only views of groups, in memory and (for groups not
 * loaded since start) in the database, where they count as Empty. DescribeGroups knows classic
 * groups only (a consumer group is described by ConsumerGroupDescribe); ListGroups lists both
 * types. Thread-safe.
 */
final class GroupQueries {

    /** What a classic group allows, for {@code includeAuthorizedOperations}: there are no ACLs. */
    static final int GROUP_OPERATIONS = bits(
            AclOperation.READ,
            AclOperation.DESCRIBE,
            AclOperation.DELETE,
            AclOperation.DESCRIBE_CONFIGS,
            AclOperation.ALTER_CONFIGS);

    static final String CLASSIC_TYPE = "classic";

    private final MembershipManager membership;
    private final GroupRegistry registry;
    private final Executor databaseExecutor;

    GroupQueries(MembershipManager membership, GroupRegistry registry, Executor databaseExecutor) {
        this.membership = membership;
        this.registry = registry;
        this.databaseExecutor = databaseExecutor;
    }

    CompletableFuture<DescribeGroupsResponseData> describe(DescribeGroupsRequestData request, short version) {
        List<CompletableFuture<DescribedGroup>> groups = new ArrayList<>();
        for (String groupId : request.groups()) {
            groups.add(describeOne(groupId, request.includeAuthorizedOperations(), version)
                    .exceptionally(failure -> new DescribedGroup()
                            .setGroupId(groupId)
                            .setGroupState(GroupState.DEAD.wireName())
                            .setErrorCode(CoordinatorErrors.toError("DescribeGroups", groupId, failure)
                                    .code())));
        }
        return CompletableFuture.allOf(groups.toArray(CompletableFuture[]::new))
                .thenApply(v -> new DescribeGroupsResponseData()
                        .setGroups(groups.stream().map(CompletableFuture::join).toList()));
    }

    private CompletableFuture<DescribedGroup> describeOne(String groupId, boolean withOperations, short version) {
        if (!GroupIds.isValid(groupId)) {
            return CompletableFuture.completedFuture(new DescribedGroup()
                    .setGroupId(groupId == null ? "" : groupId)
                    .setGroupState(GroupState.DEAD.wireName())
                    .setErrorCode(Errors.INVALID_GROUP_ID.code()));
        }
        return registry.lookup(groupId).thenApply(group -> {
            GroupView view = group == null ? null : membership.view(group);
            if (view == null || view.state() == GroupState.DEAD) {
                DescribedGroup dead =
                        new DescribedGroup().setGroupId(groupId).setGroupState(GroupState.DEAD.wireName());
                if (version >= 6) {
                    dead.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                            .setErrorMessage("Group " + groupId + " not found.");
                }
                return dead;
            }
            boolean stable = view.state() == GroupState.STABLE;
            DescribedGroup described = new DescribedGroup()
                    .setGroupId(groupId)
                    .setGroupState(view.state().wireName())
                    .setProtocolType(view.protocolType() == null ? "" : view.protocolType())
                    .setProtocolData(stable ? view.protocolName() : "");
            for (GroupView.MemberView member : view.members()) {
                DescribedGroupMember m = new DescribedGroupMember()
                        .setMemberId(member.memberId())
                        .setClientId(member.clientId())
                        .setClientHost(member.clientHost())
                        // metadata and assignment mean something only once the generation settled
                        .setMemberMetadata(stable ? member.metadata() : new byte[0])
                        .setMemberAssignment(stable ? member.assignment() : new byte[0]);
                if (version >= 4) {
                    m.setGroupInstanceId(member.groupInstanceId());
                }
                described.members().add(m);
            }
            if (withOperations && version >= 3) {
                described.setAuthorizedOperations(GROUP_OPERATIONS);
            }
            return described;
        });
    }

    CompletableFuture<ListGroupsResponseData> list(
            ListGroupsRequestData request, short version, ConsumerGroupQueries consumerGroups) {
        Set<String> states = request.statesFilter() == null
                ? Set.of()
                : request.statesFilter().stream()
                        .map(s -> s.toLowerCase(Locale.ROOT))
                        .collect(Collectors.toSet());
        Set<String> types = request.typesFilter() == null
                ? Set.of()
                : request.typesFilter().stream()
                        .map(s -> s.toLowerCase(Locale.ROOT))
                        .collect(Collectors.toSet());
        return CompletableFuture.supplyAsync(registry::storedGroups, databaseExecutor)
                .thenApply(stored -> {
                    Map<String, ListedGroup> listed = new HashMap<>();
                    for (StoredGroup group : stored) {
                        // not loaded since start: no members here
                        listed.put(
                                group.groupId(),
                                listed(group.groupId(), group.protocolType(), GroupState.EMPTY, version));
                    }
                    for (ClassicGroup group : registry.inMemory()) {
                        GroupView view = membership.view(group);
                        if (view.state() == GroupState.DEAD) {
                            listed.remove(view.groupId());
                        } else {
                            listed.put(
                                    view.groupId(), listed(view.groupId(), view.protocolType(), view.state(), version));
                        }
                    }
                    if (!types.isEmpty() && !types.contains(CLASSIC_TYPE)) {
                        listed.clear();
                    }
                    // KIP-848 groups hold their ids alone: a classic row of the same id is stale
                    consumerGroups.list(states, types).forEach(g -> listed.put(g.groupId(), g));
                    ListGroupsResponseData response = new ListGroupsResponseData();
                    listed.values().stream()
                            .filter(g -> states.isEmpty()
                                    || states.contains(stateOf(g).toLowerCase(Locale.ROOT)))
                            .sorted(java.util.Comparator.comparing(ListedGroup::groupId))
                            .map(g -> version >= 4 ? g : g.setGroupState(new ListedGroup().groupState()))
                            .map(g -> version >= 5 ? g : g.setGroupType(new ListedGroup().groupType()))
                            .forEach(response.groups()::add);
                    return response;
                });
    }

    private static String stateOf(ListedGroup group) {
        return group.groupState();
    }

    private static ListedGroup listed(String groupId, String protocolType, GroupState state, short version) {
        ListedGroup group =
                new ListedGroup().setGroupId(groupId).setProtocolType(protocolType == null ? "" : protocolType);
        // the state is kept even below v4 for filtering, and cleared before answering
        group.setGroupState(state.wireName());
        if (version >= 5) {
            group.setGroupType(CLASSIC_TYPE);
        }
        return group;
    }

    private static int bits(AclOperation... operations) {
        int bits = 0;
        for (AclOperation op : operations) {
            bits |= 1 << op.code();
        }
        return bits;
    }
}
