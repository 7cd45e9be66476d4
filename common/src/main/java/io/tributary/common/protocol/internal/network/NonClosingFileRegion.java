package io.tributary.common.protocol.internal.network;

import io.netty.channel.DefaultFileRegion;
import java.nio.channels.FileChannel;

/**
 * A sendfile region over a {@link FileChannel} this region does not own. Netty's
 * {@link DefaultFileRegion} closes its channel when released, which would close a log
 * segment's shared channel after the first Fetch served from it; here release does nothing,
 * and the segment keeps the channel open until it closes it itself.
 *
 * <p>Like any Netty message it belongs to one write on one event loop.
 */
final class NonClosingFileRegion extends DefaultFileRegion {

    NonClosingFileRegion(FileChannel file, long position, long count) {
        super(file, position, count);
    }

    @Override
    protected void deallocate() {
        // the FileChannel belongs to the log segment (FileRecords), not to this write
    }
}
