package io.tributary.spring.test;

import io.tributary.broker.BrokerApplication;
import io.tributary.group.GroupCoordinatorApplication;
import io.tributary.metadata.MetadataServiceApplication;
import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * Keeps the services' own {@code application.yml} out of the application under test. This module
 * puts the services' jars on the test classpath, and an application whose configuration is an
 * {@code application.properties} (or that has none) would otherwise also load the first
 * {@code classpath:application.yml} found there: a broker's port, name and health groups. The
 * embedded services themselves read their file through a {@code jar:} or {@code file:} location
 * (see {@link EmbeddedTributaryCluster}), which this leaves alone.
 */
class ServiceConfigFilter implements EnvironmentPostProcessor, Ordered {

    private static final List<String> NAMES = List.of("application.yml", "application.yaml");

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        List<String> services = Stream.of(
                        BrokerApplication.class, MetadataServiceApplication.class, GroupCoordinatorApplication.class)
                .map(type ->
                        type.getProtectionDomain().getCodeSource().getLocation().toString())
                .toList();
        for (String name : NAMES) {
            URL resolved = resolve(name);
            if (resolved == null || services.stream().noneMatch(resolved.toString()::contains)) {
                continue;
            }
            List<String> remove = new ArrayList<>();
            for (PropertySource<?> source : environment.getPropertySources()) {
                if (source.getName().contains("class path resource [" + name + "]")) {
                    remove.add(source.getName());
                }
            }
            remove.forEach(environment.getPropertySources()::remove);
        }
    }

    private static URL resolve(String name) {
        try {
            ClassPathResource resource = new ClassPathResource(name);
            return resource.exists() ? resource.getURL() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
