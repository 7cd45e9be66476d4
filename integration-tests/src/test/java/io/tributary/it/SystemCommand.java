package io.tributary.it;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a system command (iptables, mount, ...) for a fault test; a failure is logged once, never thrown. */
final class SystemCommand {

    private static final Logger log = LoggerFactory.getLogger(SystemCommand.class);

    private SystemCommand() {}

    /** Whether {@code command} exited 0 within 30 s; its output is logged when it did not. */
    static boolean run(List<String> command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            boolean ok = process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
            if (!ok) {
                log.warn("{} failed: {}", String.join(" ", command), output.strip());
            }
            return ok;
        } catch (IOException e) {
            log.warn("{} failed: {}", String.join(" ", command), e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
