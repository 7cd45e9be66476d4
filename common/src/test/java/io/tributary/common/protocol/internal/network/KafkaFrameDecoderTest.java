package io.tributary.common.protocol.internal.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KafkaFrameDecoderTest {

    private static final int MAX = 64;

    private final ServerCounters counters = new ServerCounters();
    private final EmbeddedChannel channel = new EmbeddedChannel(new KafkaFrameDecoder(MAX, counters));

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldWaitForPartialSizeAndPartialBody() {
        ByteBuf frame = frame(10, (byte) 7);

        assertThat(channel.writeInbound(frame.readRetainedSlice(2))).isFalse();
        assertThat(channel.writeInbound(frame.readRetainedSlice(5))).isFalse();
        assertThat(channel.writeInbound(frame.readRetainedSlice(frame.readableBytes())))
                .isTrue();
        frame.release();

        ByteBuf decoded = channel.readInbound();
        assertThat(decoded.readableBytes()).isEqualTo(10);
        assertThat(decoded.getByte(9)).isEqualTo((byte) 7);
        decoded.release();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void shouldConsumePipelinedFramesExactly() {
        ByteBuf three = Unpooled.wrappedBuffer(
                frame(3, (byte) 1), frame(0, (byte) 0), frame(MAX, (byte) 3), Unpooled.wrappedBuffer(new byte[] {0, 0
                })); // and the first half of a fourth size prefix

        channel.writeInbound(three);

        int[] sizes = {3, 0, MAX};
        for (int size : sizes) {
            ByteBuf decoded = channel.readInbound();
            assertThat(decoded.readableBytes()).isEqualTo(size);
            decoded.release();
        }
        assertThat((Object) channel.readInbound()).isNull();
        // the rest of the fourth frame arrives later and is cut exactly
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 1, 42}));
        ByteBuf fourth = channel.readInbound();
        assertThat(fourth.readableBytes()).isEqualTo(1);
        assertThat(fourth.getByte(0)).isEqualTo((byte) 42);
        fourth.release();
    }

    @Test
    void shouldCloseConnectionOnOversizedFrame() {
        channel.writeInbound(frame(MAX + 1, (byte) 0));

        assertThat(channel.isOpen()).isFalse();
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(counters.rejectedConnections()).isEqualTo(1);
    }

    @Test
    void shouldCloseConnectionOnNegativeSizeWithoutWaitingForBody() {
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfe}));

        assertThat(channel.isOpen()).isFalse();
        assertThat(counters.rejectedConnections()).isEqualTo(1);
    }

    @Test
    void shouldCloseAConnectionWhoseFrameDoesNotArriveWholeInTime() throws InterruptedException {
        EmbeddedChannel slow = new EmbeddedChannel(new KafkaFrameDecoder(MAX, Duration.ofMillis(50), counters));
        ByteBuf frame = frame(10, (byte) 1);
        slow.writeInbound(frame.readRetainedSlice(6));
        frame.release();

        Thread.sleep(80);
        slow.runScheduledPendingTasks();

        assertThat(slow.isOpen()).isFalse();
        assertThat(counters.rejectedConnections()).isEqualTo(1);
        slow.finishAndReleaseAll();
    }

    @Test
    void shouldReportAPartialFrameWhenTheIdleTimerFiresBeforeThePartialFrameCheck() {
        EmbeddedChannel idle = new EmbeddedChannel(new KafkaFrameDecoder(MAX, Duration.ofMinutes(1), counters));
        ByteBuf frame = frame(10, (byte) 1);
        idle.writeInbound(frame.readRetainedSlice(6));
        frame.release();

        idle.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);

        // closed as a slow sender (counted as a rejection), not passed on as a plain idle close
        assertThat(idle.isOpen()).isFalse();
        assertThat(counters.rejectedConnections()).isEqualTo(1);
        idle.finishAndReleaseAll();
    }

    @Test
    void shouldPassTheIdleEventOnWhenNoFrameIsWaiting() {
        EmbeddedChannel idle = new EmbeddedChannel(new KafkaFrameDecoder(MAX, Duration.ofMinutes(1), counters));
        List<Object> passedOn = new ArrayList<>();
        idle.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                passedOn.add(evt);
            }
        });

        idle.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);

        assertThat(passedOn).containsExactly(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        assertThat(idle.isOpen()).isTrue();
        assertThat(counters.rejectedConnections()).isZero();
        idle.finishAndReleaseAll();
    }

    @Test
    void shouldStartTheClockAgainForEachFrameOfABusyConnection() throws InterruptedException {
        EmbeddedChannel busy = new EmbeddedChannel(new KafkaFrameDecoder(MAX, Duration.ofMillis(100), counters));
        // 9-byte reads of 8-byte frames: every read completes a frame and leaves the start of the
        // next, so a frame is always partial for 210 ms, yet none takes longer than 30 ms
        ByteBuf stream = Unpooled.buffer();
        for (int i = 0; i < 8; i++) {
            stream.writeBytes(frame(4, (byte) i));
        }
        for (int i = 0; i < 7; i++) {
            busy.writeInbound(stream.readRetainedSlice(9));
            Thread.sleep(30);
            busy.runScheduledPendingTasks();
            ByteBuf decoded;
            while ((decoded = busy.readInbound()) != null) {
                decoded.release();
            }
        }
        stream.release();

        assertThat(busy.isOpen()).isTrue();
        assertThat(counters.rejectedConnections()).isZero();
        busy.finishAndReleaseAll();
    }

    private static ByteBuf frame(int size, byte fill) {
        ByteBuf buf = Unpooled.buffer(4 + size);
        buf.writeInt(size);
        for (int i = 0; i < size; i++) {
            buf.writeByte(fill);
        }
        return buf;
    }
}
