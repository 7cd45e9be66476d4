package io.tributary.spring.autoconfigure.topics;

import io.tributary.spring.autoconfigure.TributaryProperties;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The topics declared as {@code tributary.topics.<name>.*}. Their keys are topic names, so they
 * cannot be fields of {@link TributaryProperties}: the names are collected from the property
 * sources (every key under {@code tributary.topics} that is not one of the reserved keys
 * {@code defaults}, {@code drift-policy}, {@code create}, {@code timeout}) and each is bound to a
 * {@link TopicSpec}. A name with dots is written in brackets:
 * {@code tributary.topics[audit.events].partitions=3}. Immutable once built.
 */
public final class TopicDeclarations {

    private static final ConfigurationPropertyName PREFIX = ConfigurationPropertyName.of("tributary.topics");
    private static final Set<String> RESERVED = Set.of("defaults", "drift-policy", "create", "timeout");

    private final List<DeclaredTopic> topics;

    public TopicDeclarations(List<DeclaredTopic> topics) {
        this.topics = List.copyOf(topics);
    }

    /** Reads every declared topic from {@code environment}, applying {@code defaults}. */
    public static TopicDeclarations from(
            ConfigurableEnvironment environment, TributaryProperties.TopicDefaults defaults) {
        Set<String> names = new TreeSet<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                iterable.stream()
                        .filter(name -> PREFIX.isAncestorOf(name) && name.getNumberOfElements() > 3)
                        .map(name -> name.getElement(2, ConfigurationPropertyName.Form.ORIGINAL))
                        .filter(name -> !RESERVED.contains(name))
                        .forEach(names::add);
            }
        }
        Binder binder = Binder.get(environment);
        List<DeclaredTopic> topics = new ArrayList<>();
        for (String name : names) {
            TopicSpec spec = binder.bind(PREFIX.append("[" + name + "]"), Bindable.of(TopicSpec.class))
                    .orElse(new TopicSpec(null, null, null));
            topics.add(resolve(name, spec, defaults));
        }
        return new TopicDeclarations(topics);
    }

    static DeclaredTopic resolve(String name, TopicSpec spec, TributaryProperties.TopicDefaults defaults) {
        Map<String, String> configs = new HashMap<>(defaults.configs());
        if (spec.configs() != null) {
            configs.putAll(spec.configs());
        }
        int partitions = spec.partitions() != null ? spec.partitions() : defaults.partitions();
        short replicationFactor =
                spec.replicationFactor() != null ? spec.replicationFactor() : defaults.replicationFactor();
        if (partitions < 1 || replicationFactor < 1) {
            throw new IllegalArgumentException("tributary.topics." + name + ": partitions (" + partitions
                    + ") and replication-factor (" + replicationFactor + ") must be at least 1");
        }
        return new DeclaredTopic(name, partitions, replicationFactor, configs);
    }

    /** The declared topics, in name order. */
    public List<DeclaredTopic> topics() {
        return topics;
    }

    public List<String> names() {
        return topics.stream().map(DeclaredTopic::name).toList();
    }

    public boolean isEmpty() {
        return topics.isEmpty();
    }
}
