// A minimal ZooKeeper client for bin/tributary-local zk-ha-test, run by Java's source launcher
// on the ZooKeeper classpath (no commons-cli needed, unlike ZooKeeperMain):
//   java -cp ZK_CLASSPATH bin/ZkClient.java HOST:PORT get PATH | set PATH VALUE | seed
// 'set' creates the znode when missing. 'get' prints VALUE:<value> (ZooKeeper logs to standard
// output too). 'seed' (bin/tributary-local prepare) reads lines "PATH VALUE" from standard input
// and sets each, creating missing parents. Exits 1 on any failure.

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

public class ZkClient {
    public static void main(String[] args) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(args[0], 6000, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        try {
            if (!connected.await(10, TimeUnit.SECONDS)) {
                System.err.println("not connected to " + args[0]);
                System.exit(1);
            }
            switch (args[1]) {
                case "get" -> System.out.println(
                        "VALUE:" + new String(zk.getData(args[2], false, null), StandardCharsets.UTF_8));
                case "set" -> set(zk, args[2], args[3]);
                case "seed" -> {
                    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        if (line.isBlank()) continue;
                        int space = line.indexOf(' ');
                        String path = space < 0 ? line : line.substring(0, space);
                        for (int slash = path.indexOf('/', 1); slash > 0; slash = path.indexOf('/', slash + 1)) {
                            createIfMissing(zk, path.substring(0, slash), new byte[0]);
                        }
                        set(zk, path, space < 0 ? "" : line.substring(space + 1));
                    }
                }
                default -> {
                    System.err.println("usage: ZkClient HOST:PORT get PATH | set PATH VALUE | seed");
                    System.exit(2);
                }
            }
        } catch (KeeperException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        } finally {
            zk.close();
        }
    }

    private static void set(ZooKeeper zk, String path, String text) throws Exception {
        byte[] value = text.getBytes(StandardCharsets.UTF_8);
        if (!createIfMissing(zk, path, value)) {
            zk.setData(path, value, -1);
        }
    }

    /** @return false when the znode was already there (left as it is) */
    private static boolean createIfMissing(ZooKeeper zk, String path, byte[] value) throws Exception {
        try {
            zk.create(path, value, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            return true;
        } catch (KeeperException.NodeExistsException e) {
            return false;
        }
    }
}
