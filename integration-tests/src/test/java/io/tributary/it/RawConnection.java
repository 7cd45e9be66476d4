package io.tributary.it;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * A plain socket speaking raw Kafka frames, for tests that must send what no Kafka client would:
 * it writes any bytes and reads whole response frames or the end of the stream. The local
 * address is chosen by the test (any of 127.0.0.0/8 on Linux), so that per-address limits of the
 * broker see hostile traffic apart from the well-behaved clients on 127.0.0.1.
 *
 * <p>Not thread-safe.
 */
final class RawConnection implements Closeable {

    /** A parsed response: its correlation id and body. */
    record Response(int correlationId, AbstractResponse body) {}

    private final Socket socket;
    private final DataInputStream in;

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Connects from {@code localIp} to the broker on 127.0.0.1:{@code port}; reads time out after {@code readTimeout}. */
    static RawConnection open(String localIp, int port, Duration readTimeout) {
        Socket socket = new Socket();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(localIp, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout((int) readTimeout.toMillis());
            socket.setTcpNoDelay(true);
            return new RawConnection(socket);
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // the connect failure is what matters
            }
            throw new UncheckedIOException("cannot connect from " + localIp + " to port " + port, e);
        }
    }

    /**
     * Writes {@code bytes}; false if the server already closed the connection (a reset while
     * writing is one of the outcomes a hostile frame may get).
     */
    boolean send(byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return true;
        } catch (SocketException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next response frame, or empty if the server closed the connection instead. */
    Optional<ByteBuffer> readFrame() {
        try {
            int size = in.readInt();
            byte[] frame = new byte[size];
            in.readFully(frame);
            return Optional.of(ByteBuffer.wrap(frame));
        } catch (EOFException e) {
            return Optional.empty();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no response and no close within the read timeout", e);
        } catch (SocketException e) {
            // reset by the server: closed
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next response, parsed as {@code apiKey} at {@code version}, or empty if the server closed the connection. */
    Optional<Response> read(ApiKeys apiKey, short version) {
        return readFrame().map(frame -> parse(frame, apiKey, version));
    }

    static Response parse(ByteBuffer frame, ApiKeys apiKey, short version) {
        // ApiVersions responses always carry header v0 (KIP-511)
        short headerVersion = apiKey == ApiKeys.API_VERSIONS ? 0 : apiKey.responseHeaderVersion(version);
        ResponseHeader header = ResponseHeader.parse(frame, headerVersion);
        return new Response(
                header.correlationId(), AbstractResponse.parseResponse(apiKey, new ByteBufferAccessor(frame), version));
    }

    /** Whether the server closed the connection: end of stream or reset, with no bytes before it. */
    boolean isClosedByServer() {
        return readFrame().isEmpty();
    }

    /** Sends a well-formed request and returns its response; fails if the connection is closed. */
    Response roundTrip(ApiKeys apiKey, short version, int correlationId, ApiMessage body) {
        if (!send(Frames.request(apiKey, version, correlationId, body))) {
            throw new AssertionError("the server closed the connection before " + apiKey + " v" + version);
        }
        return read(apiKey, version)
                .orElseThrow(
                        () -> new AssertionError("the server closed the connection on " + apiKey + " v" + version));
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a test socket: nothing to do
        }
    }
}
