package io.tributary.metadata.controller;

import io.tributary.common.zk.ControllerRecord;
import io.tributary.metadata.store.ClusterView;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code controller} health contributor: UP while the cluster has a controller (this
 * instance or another), DOWN while it has none; details say which instance it is and whether
 * it is this one. Reads only cached state, so it never blocks on ZooKeeper.
 */
public class ControllerHealthIndicator extends AbstractHealthIndicator {

    private final ClusterController controller;
    private final ClusterView view;

    public ControllerHealthIndicator(ClusterController controller, ClusterView view) {
        super("Controller health check failed");
        this.controller = controller;
        this.view = view;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.withDetail("instanceId", controller.instanceId());
        builder.withDetail("isController", controller.isActive());
        controller.activeEpoch().ifPresent(epoch -> builder.withDetail("controllerEpoch", epoch.epoch()));
        ControllerRecord current = view.controller().orElse(null);
        if (current == null && !controller.isActive()) {
            builder.down().withDetail("controller", "none elected");
            return;
        }
        if (current != null) {
            builder.withDetail("controller", current.instanceId())
                    .withDetail("clusterControllerEpoch", current.controllerEpoch());
        }
        builder.up();
    }
}
