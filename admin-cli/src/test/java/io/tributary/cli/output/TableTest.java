package io.tributary.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void shouldAlignColumnsTwoSpacesApartAndPrintNullAsDash() {
        Table table =
                new Table("TOPIC", "PARTITION", "LEADER").row("orders", 0, 1).row("a", 10, null);
        StringWriter text = new StringWriter();
        table.print(new PrintWriter(text));

        assertThat(text.toString().lines())
                .containsExactly("TOPIC   PARTITION  LEADER", "orders  0          1", "a       10         -");
    }

    @Test
    void shouldNotPadAnEmptyLastCell() {
        StringWriter text = new StringWriter();
        new Table("NAME", "CONFIGS").row("orders", "").print(new PrintWriter(text));

        assertThat(text.toString().lines()).containsExactly("NAME    CONFIGS", "orders");
    }

    @Test
    void shouldRefuseARowOfTheWrongWidth() {
        assertThatThrownBy(() -> new Table("A", "B").row("only one")).isInstanceOf(IllegalArgumentException.class);
    }
}
