package io.tributary.common.spring;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How every Tributary service reaches ZooKeeper.
 *
 * @param connect           ZooKeeper connect string, {@code host:port[,host:port…]}
 * @param chroot            the path under which all of Tributary's znodes live
 * @param sessionTimeout    ZooKeeper session timeout: bounds how long a dead broker or controller
 *                          goes unnoticed, so it is short (Kafka's broker uses 9 s, Curator 60 s)
 * @param connectionTimeout how long to wait for a connection before an operation fails
 */
@ConfigurationProperties("tributary.zookeeper")
public record TributaryZookeeperProperties(
        @DefaultValue("localhost:2181") String connect,
        @DefaultValue("/tributary") String chroot,
        @DefaultValue("6s") Duration sessionTimeout,
        @DefaultValue("5s") Duration connectionTimeout) {

    /** The chroot as a Curator namespace (no leading or trailing slash). */
    public String namespace() {
        return chroot.replaceAll("^/+|/+$", "");
    }
}
