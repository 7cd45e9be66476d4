// A minimal ZooKeeper client for bin/tributary-local zk-ha-test, run by Java's source launcher
// on the ZooKeeper classpath (no commons-cli needed, unlike ZooKeeperMain):
//   java -cp ZK_CLASSPATH bin/ZkClient.java HOST:PORT get PATH | set PATH VALUE
// 'set' creates the znode when missing. 'get' prints VALUE:<value> (ZooKeeper logs to standard
// output too); exits 1 on any failure.

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
                case "set" -> {
                    byte[] value = args[3].getBytes(StandardCharsets.UTF_8);
                    try {
                        zk.create(args[2], value, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                    } catch (KeeperException.NodeExistsException e) {
                        zk.setData(args[2], value, -1);
                    }
                }
                default -> {
                    System.err.println("usage: ZkClient HOST:PORT get PATH | set PATH VALUE");
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
}
