package io.tributary.spring.autoconfigure.topics;

import org.springframework.context.ApplicationEvent;

/** Published after every drift check (at startup and when the endpoint is read). */
public class TopicDriftEvent extends ApplicationEvent {

    private final transient DriftReport report;

    public TopicDriftEvent(Object source, DriftReport report) {
        super(source);
        this.report = report;
    }

    public DriftReport report() {
        return report;
    }
}
