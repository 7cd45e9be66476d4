package io.tributary.cli.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LineParserTest {

    @Test
    void shouldSendTheWholeLineAsValueWithoutParseKey() {
        assertThat(new LineParser(Map.of()).parse("a:b", 1)).isEqualTo(new LineParser.KeyValue(null, "a:b"));
    }

    @Test
    void shouldSplitAtTheFirstSeparator() {
        LineParser parser = new LineParser(Map.of("parse.key", "true", "key.separator", ":"));
        assertThat(parser.parse("k1:v:1", 1)).isEqualTo(new LineParser.KeyValue("k1", "v:1"));
        assertThat(parser.parse(":v", 2)).isEqualTo(new LineParser.KeyValue("", "v"));
    }

    @Test
    void shouldDefaultToATabAndAcceptAnEscapedTab() {
        assertThat(new LineParser(Map.of("parse.key", "true")).parse("k\tv", 1))
                .isEqualTo(new LineParser.KeyValue("k", "v"));
        assertThat(new LineParser(Map.of("parse.key", "true", "key.separator", "\\t")).parse("k\tv", 1))
                .isEqualTo(new LineParser.KeyValue("k", "v"));
    }

    @Test
    void shouldFailOnALineWithoutSeparatorUnlessIgnoringErrors() {
        assertThatThrownBy(() -> new LineParser(Map.of("parse.key", "true", "key.separator", ":")).parse("novalue", 7))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 7");
        assertThat(new LineParser(Map.of("parse.key", "true", "key.separator", ":", "ignore.error", "true"))
                        .parse("novalue", 7))
                .isEqualTo(new LineParser.KeyValue(null, "novalue"));
    }

    @Test
    void shouldSendTheNullMarkerAsNull() {
        LineParser parser = new LineParser(Map.of("parse.key", "true", "key.separator", ":", "null.marker", "NULL"));
        assertThat(parser.parse("NULL:v", 1)).isEqualTo(new LineParser.KeyValue(null, "v"));
        assertThat(parser.parse("k:NULL", 1)).isEqualTo(new LineParser.KeyValue("k", null));
    }

    @Test
    void shouldRefuseUnknownPropertiesAndNonBooleans() {
        assertThatThrownBy(() -> new LineParser(Map.of("parse.keys", "true")))
                .hasMessageContaining("Unknown --property parse.keys");
        assertThatThrownBy(() -> new LineParser(Map.of("parse.key", "yes"))).hasMessageContaining("true or false");
    }
}
