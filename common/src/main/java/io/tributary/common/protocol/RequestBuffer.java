package io.tributary.common.protocol;

/**
 * The network buffer a request's body still refers to, counted: a Produce request's records are
 * parsed in place from the frame the server read, not copied out of it, so the frame must outlive
 * every use of them. The server holds one reference until the request's response is written (or
 * the connection closes); a handler that uses the body after its {@code handle} returns (an append
 * queued on another thread) takes its own with {@link #retain()} first and gives it back with
 * {@link #release()} when that use ends. Releasing more often than retaining is a bug, and Netty
 * reports it.
 *
 * <p>A request whose body was copied to the heap, or built in memory, has {@link #NONE}: both calls
 * do nothing, so handlers call them without asking which kind they hold.
 *
 * <p>Thread-safe.
 */
public interface RequestBuffer {

    /** A body that owns its memory: nothing to count. */
    RequestBuffer NONE = new RequestBuffer() {
        @Override
        public void retain() {}

        @Override
        public void release() {}

        @Override
        public String toString() {
            return "RequestBuffer.NONE";
        }
    };

    /** Keeps the buffer alive for one more use. */
    void retain();

    /** Ends one use; the buffer goes back to its pool when the last one ends. */
    void release();
}
