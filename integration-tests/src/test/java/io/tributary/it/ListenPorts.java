package io.tributary.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for the services a test starts, each handed out once per test JVM and taken from below
 * the kernel's ephemeral range. A port from {@code new ServerSocket(0)} is an ephemeral one: in
 * the seconds before the service's JVM binds it, any outgoing connection of any process (the
 * ZooKeeper clients, the test's own clients) may be given it as its local port, and the service
 * then fails to start with "Address already in use". Two such calls may also return the same
 * port. Below the range, only another listener could take it, and each port is tried first.
 */
final class ListenPorts {

    private static final int LOWEST = 10_000;
    /** Where the ephemeral range starts: the ports handed out lie below it. */
    private static final int END = ephemeralRangeStart();

    /**
     * Failsafe runs test JVMs side by side: each takes its ports from its own quarter of the range
     * (by its fork number), so two never hand out the same port in the seconds before a service
     * binds it.
     */
    private static final int SLICES = 4;

    private static final int SLICE_SIZE = (END - LOWEST) / SLICES;
    private static final int SLICE_LOW =
            LOWEST + Math.floorMod(Integer.getInteger("tributary.it.fork", 1) - 1, SLICES) * SLICE_SIZE;
    private static final int SLICE_END = SLICE_LOW + SLICE_SIZE;

    /** The next port to try; it starts at random within the slice. */
    private static final AtomicInteger next =
            new AtomicInteger(ThreadLocalRandom.current().nextInt(SLICE_LOW, SLICE_END - SLICE_SIZE / 4));

    private ListenPorts() {}

    /** A port nobody listens on now, never returned before in this JVM. */
    static int next() {
        for (int tries = 0; tries < SLICE_SIZE; tries++) {
            int port = next.getAndUpdate(p -> p + 1 >= SLICE_END ? SLICE_LOW : p + 1);
            if (isFree(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + SLICE_LOW + " and " + SLICE_END);
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first port of {@code net.ipv4.ip_local_port_range}; Linux's default where unreadable. */
    private static int ephemeralRangeStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
            int start = Integer.parseInt(range.trim().split("\\s+")[0]);
            return Math.max(start, LOWEST + 2_000);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
