package io.tributary.common.security.acl;

import io.tributary.common.zk.ZkCachedTree;
import io.tributary.common.zk.ZkJson;
import io.tributary.common.zk.ZkPaths;
import java.io.Closeable;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ACLs in ZooKeeper: one persistent znode per resource pattern,
 * {@code /acls/<resource type>/<pattern type>/<url-encoded name>} (e.g.
 * {@code /acls/TOPIC/PREFIXED/orders-}), holding
 * {@code {"version":1,"acls":[{"principal":"User:alice","host":"*","operation":"READ","permissionType":"ALLOW"}]}}.
 * Every broker and group-coordinator keeps a cache of {@code /acls} ({@link ZkCachedTree}) and
 * rebuilds an immutable list of bindings on each change, so a grant or revoke made through any
 * broker applies on all of them within moments; {@link #acls()} is a volatile read for the request path.
 *
 * <p>Writes are blocking ZooKeeper calls (read-modify-write with a version check): call them off
 * the event loops. Thread-safe.
 */
public final class AclStore implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(AclStore.class);

    private final ZkCachedTree tree;
    private volatile List<AclBinding> acls = List.of();

    /** The znode's JSON. */
    record ResourceAcls(int version, List<Entry> acls) {}

    /** One entry of a resource. */
    record Entry(String principal, String host, String operation, String permissionType) {

        AccessControlEntry toAccessControlEntry() {
            return new AccessControlEntry(
                    principal, host, AclOperation.valueOf(operation), AclPermissionType.valueOf(permissionType));
        }
    }

    public AclStore(CuratorFramework curator) {
        this.tree = new ZkCachedTree(curator, ZkPaths.ACLS, this::rebuild);
    }

    /** Every ACL, as of the last change seen. */
    public List<AclBinding> acls() {
        return acls;
    }

    /** Adds {@code binding} (a no-op if present). */
    public void add(AclBinding binding) throws Exception {
        Entry entry = entry(binding.entry());
        update(binding.pattern(), entries -> {
            if (!entries.contains(entry)) {
                entries.add(entry);
            }
        });
    }

    /** Removes the bindings of {@code pattern} that {@code matches} selects; returns them. */
    public List<AclBinding> remove(ResourcePattern pattern, Predicate<AclBinding> matches) throws Exception {
        List<AclBinding> removed = new ArrayList<>();
        update(pattern, entries -> {
            removed.clear(); // the update may run again, on the entries another broker left
            entries.removeIf(entry -> {
                AclBinding binding = new AclBinding(pattern, entry.toAccessControlEntry());
                if (matches.test(binding)) {
                    removed.add(binding);
                    return true;
                }
                return false;
            });
        });
        return removed;
    }

    /** One compare-and-set of the pattern's znode; a pattern left without entries loses its znode. */
    private void update(ResourcePattern pattern, Consumer<List<Entry>> change) throws Exception {
        tree.update(path(pattern), bytes -> {
            List<Entry> entries = new ArrayList<>(bytes == null || bytes.length == 0 ? List.of() : parse(bytes));
            change.accept(entries);
            return entries.isEmpty() ? null : ZkJson.toBytes(new ResourceAcls(1, entries));
        });
    }

    private void rebuild(ZkCachedTree tree) {
        List<AclBinding> all = new ArrayList<>();
        tree.nodes().forEach(data -> {
            ResourcePattern pattern = pattern(data.getPath());
            if (pattern != null) {
                try {
                    for (Entry entry : parse(data)) {
                        all.add(new AclBinding(pattern, entry.toAccessControlEntry()));
                    }
                } catch (RuntimeException e) {
                    LOG.warn("Ignoring unreadable ACLs at {}: {}", data.getPath(), e.toString());
                }
            }
        });
        acls = List.copyOf(all);
        LOG.debug("ACLs now {}", all.size());
    }

    static String path(ResourcePattern pattern) {
        return ZkPaths.ACLS + "/" + pattern.resourceType() + "/" + pattern.patternType() + "/"
                + URLEncoder.encode(pattern.name(), StandardCharsets.UTF_8);
    }

    /** The pattern a resource znode stands for, or {@code null} for the intermediate znodes. */
    static ResourcePattern pattern(String path) {
        String[] parts = path.substring(ZkPaths.ACLS.length()).split("/");
        // "", type, pattern type, name
        if (parts.length != 4) {
            return null;
        }
        try {
            return new ResourcePattern(
                    ResourceType.valueOf(parts[1]),
                    URLDecoder.decode(parts[3], StandardCharsets.UTF_8),
                    PatternType.valueOf(parts[2]));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static List<Entry> parse(ChildData data) {
        return data.getData() == null || data.getData().length == 0 ? List.of() : parse(data.getData());
    }

    private static List<Entry> parse(byte[] bytes) {
        ResourceAcls resource = ZkJson.fromBytes(bytes, ResourceAcls.class);
        return resource.acls() == null ? List.of() : resource.acls();
    }

    private static Entry entry(AccessControlEntry ace) {
        return new Entry(
                ace.principal(),
                ace.host(),
                ace.operation().name(),
                ace.permissionType().name());
    }

    @Override
    public void close() {
        tree.close();
    }
}
