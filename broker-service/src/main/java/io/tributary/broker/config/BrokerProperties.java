package io.tributary.broker.config;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The broker's identity and listener.
 *
 * @param id               {@code broker.id}: unique among live brokers
 * @param host             the host name advertised to clients and other brokers
 * @param kafkaPort        port of the Kafka-protocol listener (0 picks a free port)
 * @param rack             {@code broker.rack}, or empty when racks are not used
 * @param registrationWait how long to wait, at start, for a previous holder of this id to
 *                         disappear (a broker killed moments ago keeps its znode until its
 *                         ZooKeeper session expires); a holder still present then is live
 */
@Validated
@ConfigurationProperties("tributary.broker")
public record BrokerProperties(
        @Min(0) int id,
        @NotBlank @DefaultValue("localhost") String host,
        @Min(0) @Max(65535) @DefaultValue("9092") int kafkaPort,
        @DefaultValue("") String rack,
        @DefaultValue("10s") Duration registrationWait) {

    public String rackOrNull() {
        return rack.isBlank() ? null : rack;
    }
}
