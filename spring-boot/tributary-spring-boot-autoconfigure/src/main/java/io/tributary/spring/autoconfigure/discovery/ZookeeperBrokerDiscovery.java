package io.tributary.spring.autoconfigure.discovery;

import io.tributary.curator.CuratorSessionWatchdog;
import io.tributary.spring.autoconfigure.TributaryProperties;
import java.io.Closeable;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovery through the brokers' own registrations: every live broker keeps an ephemeral
 * {@code <chroot>/brokers/ids/<id>} znode with its address, so the children of that path are
 * exactly the live brokers. A {@link CuratorCache} keeps the list current as brokers join and
 * leave (a killed broker disappears when its ZooKeeper session expires).
 *
 * <p>{@link #start} connects, waits for the cache's first full read and, up to
 * {@code broker-wait}, for at least one broker; it throws {@link NoBrokersFoundException}
 * otherwise. The client is private to this class (not a {@code CuratorFramework} bean), so an
 * application's own Curator or Spring Cloud Zookeeper setup is left alone. A
 * {@link CuratorSessionWatchdog}, started and closed with the client, gives it a new session should
 * Curator stop reconnecting after a session expiry, as the services' clients get: the cache would
 * otherwise keep the brokers of that moment for good. Thread-safe: the cache's thread writes the
 * list, any thread reads it.
 */
public class ZookeeperBrokerDiscovery implements BrokerDiscovery, Closeable {

    private static final Logger log = LoggerFactory.getLogger(ZookeeperBrokerDiscovery.class);
    private static final String BROKER_IDS = "/brokers/ids";

    private final TributaryProperties.Zookeeper settings;
    private final Duration brokerWait;
    private final Map<String, BrokerAddress> brokers = new ConcurrentSkipListMap<>();
    private final Object changed = new Object();
    /** The last non-empty list, what clients bootstrap from while every broker is away. */
    private volatile String lastKnown = "";

    private CuratorFramework client;
    private CuratorSessionWatchdog watchdog;
    private CuratorCache cache;

    public ZookeeperBrokerDiscovery(TributaryProperties.Zookeeper settings, Duration brokerWait) {
        this.settings = settings;
        this.brokerWait = brokerWait;
    }

    /** Connects and reads the current brokers; see the class comment for the waits. */
    public void start() {
        client = CuratorFrameworkFactory.builder()
                .connectString(settings.connectString())
                .namespace(settings.namespace().isEmpty() ? null : settings.namespace())
                .sessionTimeoutMs((int) settings.sessionTimeout().toMillis())
                .connectionTimeoutMs((int) settings.connectionTimeout().toMillis())
                .retryPolicy(new ExponentialBackoffRetry(200, 10, 5_000))
                .build();
        client.start();
        watchdog = new CuratorSessionWatchdog(client, settings.sessionTimeout());
        try {
            if (!client.blockUntilConnected((int) settings.connectionTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw fail(settings.connectionTimeout(), new IllegalStateException("ZooKeeper did not answer"));
            }
            CountDownLatch initialized = new CountDownLatch(1);
            cache = CuratorCache.build(client, BROKER_IDS);
            cache.listenable()
                    .addListener(CuratorCacheListener.builder()
                            .forCreates(this::update)
                            .forChanges((before, after) -> update(after))
                            .forDeletes(this::remove)
                            .forInitialized(initialized::countDown)
                            .build());
            cache.start();
            if (!initialized.await(settings.connectionTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw fail(settings.connectionTimeout(), new IllegalStateException("the broker list was not read"));
            }
            awaitBrokers(brokerWait);
            if (brokers.isEmpty()) {
                throw fail(brokerWait, null);
            }
            log.info("Discovered {} Tributary broker(s) in {}: {}", brokers.size(), source(), bootstrapServers());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw fail(Duration.ZERO, e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private NoBrokersFoundException fail(Duration waited, Throwable cause) {
        return new NoBrokersFoundException(source(), waited, cause);
    }

    private void awaitBrokers(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (changed) {
            while (brokers.isEmpty()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return;
                }
                changed.wait(left);
            }
        }
    }

    private void update(ChildData node) {
        String name = childName(node);
        if (name == null) {
            return;
        }
        BrokerAddress broker = BrokerRegistrationReader.read(name, node.getData());
        if (broker == null) {
            log.warn("Ignoring unreadable broker registration {} in {}", node.getPath(), source());
            return;
        }
        BrokerAddress previous = brokers.put(name, broker);
        lastKnown = BrokerDiscovery.super.bootstrapServers();
        if (!broker.equals(previous)) {
            log.info("Broker {} at {} joined ({} live)", broker.id(), broker.hostPort(), brokers.size());
        }
        synchronized (changed) {
            changed.notifyAll();
        }
    }

    private void remove(ChildData node) {
        String name = childName(node);
        if (name != null) {
            BrokerAddress gone = brokers.remove(name);
            if (!brokers.isEmpty()) {
                lastKnown = BrokerDiscovery.super.bootstrapServers();
            }
            if (gone != null) {
                log.info("Broker {} at {} left ({} live)", gone.id(), gone.hostPort(), brokers.size());
            }
        }
    }

    /** The broker id of a direct child of {@code /brokers/ids}; {@code null} for the parent itself. */
    private static String childName(ChildData node) {
        String path = node.getPath();
        if (!path.startsWith(BROKER_IDS + "/")) {
            return null;
        }
        String name = path.substring(BROKER_IDS.length() + 1);
        return name.isEmpty() || name.contains("/") ? null : name;
    }

    @Override
    public List<BrokerAddress> brokers() {
        return brokers.values().stream()
                .sorted(Comparator.comparingInt(BrokerAddress::id))
                .toList();
    }

    /** The live brokers; while none is registered, the last brokers that were (clients retry them). */
    @Override
    public String bootstrapServers() {
        String live = BrokerDiscovery.super.bootstrapServers();
        return live.isEmpty() ? lastKnown : live;
    }

    @Override
    public String source() {
        return "ZooKeeper " + settings.connectString() + " (chroot " + settings.chroot() + ")";
    }

    /** The discovery's own client, for tests that need to reach its ZooKeeper handle. */
    CuratorFramework client() {
        return client;
    }

    @Override
    public void close() {
        // first, so that it does not reset a client being closed
        Optional.ofNullable(watchdog).ifPresent(CuratorSessionWatchdog::close);
        Optional.ofNullable(cache).ifPresent(CuratorCache::close);
        Optional.ofNullable(client).ifPresent(CuratorFramework::close);
        watchdog = null;
        cache = null;
        client = null;
    }
}
