package io.octohost.app;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The one size parser, for --min-free-space and MEMORY_LIMIT alike. */
class ByteSizeTest {
    @ParameterizedTest
    @CsvSource({"1024,1024", "512m,536870912", "512MB,536870912", "2G,2147483648", "2GiB,2147483648", "1k,1024",
        "1t,1099511627776", " 6m ,6291456", "100b,100"})
    void readsSizes(String text, long bytes) {
        assertEquals(bytes, ByteSize.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "lots", "-1m", "1.5g", "1x", "1ib", "m"})
    void refusesWhatIsNotASize(String text) {
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse(text));
    }
}
