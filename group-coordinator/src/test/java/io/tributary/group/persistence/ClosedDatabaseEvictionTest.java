package io.tributary.group.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.SQLExceptionOverride.Override;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class ClosedDatabaseEvictionTest {

    private final ClosedDatabaseEviction eviction = new ClosedDatabaseEviction();

    @Test
    void shouldEvictAConnectionWhoseH2DatabaseClosedItself() {
        assertThat(eviction.adjudicate(new SQLException("The database has been closed", "90098", 90098)))
                .isEqualTo(Override.MUST_EVICT);
        assertThat(eviction.adjudicate(new SQLException("Database is already closed", "90121", 90121)))
                .isEqualTo(Override.MUST_EVICT);
    }

    @Test
    void shouldLeaveOtherFailuresToHikari() {
        assertThat(eviction.adjudicate(new SQLException("Unique index violation", "23505", 23505)))
                .isEqualTo(Override.CONTINUE_EVICT);
    }
}
