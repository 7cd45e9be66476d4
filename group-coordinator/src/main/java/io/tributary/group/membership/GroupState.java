package io.tributary.group.membership;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * States of a classic group, with the names Kafka puts on the wire (DescribeGroups, ListGroups).
 *
 * <pre>
 *   Empty ──join──▶ PreparingRebalance ──all joined / timeout──▶ CompletingRebalance ──leader sync──▶ Stable
 *     ▲                 ▲        │ (no member left)                     │                               │
 *     └─────────────────┼────────┘                                      │                               │
 *                       └─────────── member joins, leaves or expires ◀──┴───────────────────────────────┘
 *   any state ──delete / all offsets expired──▶ Dead
 * </pre>
 */
public enum GroupState {
    /** No members; offsets may still be committed by simple consumers and the admin client. */
    EMPTY("Empty"),
    /** Members are (re)joining; JoinGroup answers are held until all joined or the timeout. */
    PREPARING_REBALANCE("PreparingRebalance"),
    /** Join answers are out; waiting for the leader's SyncGroup with the assignment. */
    COMPLETING_REBALANCE("CompletingRebalance"),
    /** Every member has its assignment; heartbeats keep it this way. */
    STABLE("Stable"),
    /** Deleted or migrated away; requests that find it retry with the coordinator. */
    DEAD("Dead");

    private final String wireName;
    private Set<GroupState> validPrevious;

    static {
        EMPTY.validPrevious = EnumSet.of(PREPARING_REBALANCE);
        PREPARING_REBALANCE.validPrevious = EnumSet.of(STABLE, COMPLETING_REBALANCE, EMPTY);
        COMPLETING_REBALANCE.validPrevious = EnumSet.of(PREPARING_REBALANCE);
        STABLE.validPrevious = EnumSet.of(COMPLETING_REBALANCE);
        DEAD.validPrevious = EnumSet.of(STABLE, PREPARING_REBALANCE, COMPLETING_REBALANCE, EMPTY, DEAD);
    }

    GroupState(String wireName) {
        this.wireName = wireName;
    }

    /** The name on the wire, e.g. {@code PreparingRebalance}. */
    public String wireName() {
        return wireName;
    }

    /** Whether a group may move from {@code previous} to this state. */
    public boolean canFollow(GroupState previous) {
        return validPrevious.contains(previous);
    }

    /** The state with this wire name, ignoring case; {@code null} if there is none. */
    public static GroupState fromWireName(String name) {
        for (GroupState state : values()) {
            if (state.wireName.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return state;
            }
        }
        return null;
    }
}
