package io.tributary.group;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.tributary.group.consumer.ConsumerGroup;
import io.tributary.group.consumer.ConsumerGroupCoordinator;
import io.tributary.group.consumer.ConsumerGroups;
import org.springframework.stereotype.Component;

/**
 * Gauges of the KIP-848 consumer groups held here: {@code tributary.group.consumer.groups{state}}
 * and {@code tributary.group.consumer.members}, computed when scraped (each group is read under
 * its monitor).
 */
@Component
class ConsumerGroupMetrics implements MeterBinder {

    private final ConsumerGroups groups;

    ConsumerGroupMetrics(ConsumerGroupCoordinator coordinator) {
        this.groups = coordinator.groups();
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        for (ConsumerGroup.State state : ConsumerGroup.State.values()) {
            if (state == ConsumerGroup.State.DEAD) {
                continue;
            }
            Gauge.builder("tributary.group.consumer.groups", this, m -> m.count(state))
                    .description("KIP-848 consumer groups in this coordinator, by state")
                    .tag("state", state.wireName())
                    .register(meters);
        }
        Gauge.builder("tributary.group.consumer.members", this, ConsumerGroupMetrics::members)
                .description("Members of the KIP-848 consumer groups in this coordinator")
                .register(meters);
    }

    double count(ConsumerGroup.State state) {
        return groups.all().stream().filter(g -> stateOf(g) == state).count();
    }

    double members() {
        int members = 0;
        for (ConsumerGroup group : groups.all()) {
            synchronized (group) {
                members += group.members().size();
            }
        }
        return members;
    }

    private static ConsumerGroup.State stateOf(ConsumerGroup group) {
        synchronized (group) {
            return group.state();
        }
    }
}
