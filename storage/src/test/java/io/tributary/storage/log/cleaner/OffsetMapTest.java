package io.tributary.storage.log.cleaner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OffsetMapTest {

    private static ByteBuffer key(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldKeepTheLatestOffsetOfEachKeyWithinItsMemoryBudget() {
        OffsetMap map = new OffsetMap(24 * 100);
        assertThat(map.capacity()).isEqualTo(90);
        for (int i = 0; i < 90; i++) {
            assertThat(map.isFull()).isFalse();
            map.put(key("k" + (i % 45)), i);
        }
        assertThat(map.size()).isEqualTo(45);
        assertThat(map.get(key("k0"))).isEqualTo(45);
        assertThat(map.get(key("k44"))).isEqualTo(89);
        assertThat(map.get(key("absent"))).isEqualTo(-1);
        assertThat(map.latestOffset()).isEqualTo(89);
        for (int i = 45; i < 90; i++) {
            map.put(key("n" + i), 100 + i);
        }
        assertThat(map.isFull()).isTrue();

        map.clear();
        assertThat(map.size()).isZero();
        assertThat(map.get(key("k0"))).isEqualTo(-1);
        assertThat(map.latestOffset()).isEqualTo(-1);
    }
}
