package io.tributary.group;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.tributary.group.membership.GroupRegistry;
import io.tributary.group.membership.GroupState;
import io.tributary.group.membership.MembershipManager;
import org.springframework.stereotype.Component;

/**
 * Gauges of the groups loaded here: {@code tributary.group.groups{state}} and
 * {@code tributary.group.members}, computed when scraped (each group is read under its lock).
 */
@Component
class GroupMetrics implements MeterBinder {

    private final GroupRegistry registry;
    private final MembershipManager membership;

    GroupMetrics(GroupRegistry registry, MembershipManager membership) {
        this.registry = registry;
        this.membership = membership;
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        for (GroupState state : GroupState.values()) {
            if (state == GroupState.DEAD) {
                continue;
            }
            Gauge.builder("tributary.group.groups", this, m -> m.count(state))
                    .description("Groups loaded in this coordinator, by state")
                    .tag("state", state.wireName())
                    .register(meters);
        }
        Gauge.builder("tributary.group.members", this, GroupMetrics::members)
                .description("Members of the groups loaded in this coordinator")
                .register(meters);
    }

    private double count(GroupState state) {
        return registry.inMemory().stream()
                .filter(g -> membership.view(g).state() == state)
                .count();
    }

    private double members() {
        return registry.inMemory().stream()
                .mapToInt(g -> membership.view(g).members().size())
                .sum();
    }
}
