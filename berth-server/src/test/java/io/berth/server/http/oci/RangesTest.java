package io.berth.server.http.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.server.http.oci.Ranges.ByteRange;
import org.junit.jupiter.api.Test;

class RangesTest {
    @Test
    void absentRangeMeansEverything() {
        assertThat(Ranges.parseRange(null, 10)).isNull();
    }

    @Test
    void rangeForms() {
        assertThat(Ranges.parseRange("bytes=0-4", 10)).isEqualTo(new ByteRange(0, 4));
        assertThat(Ranges.parseRange("bytes=3-", 10)).isEqualTo(new ByteRange(3, 9));
        assertThat(Ranges.parseRange("bytes=-3", 10)).isEqualTo(new ByteRange(7, 9));
        assertThat(Ranges.parseRange("bytes=-30", 10)).as("suffix longer than blob").isEqualTo(new ByteRange(0, 9));
        assertThat(Ranges.parseRange("bytes=5-100", 10)).as("end clamped").isEqualTo(new ByteRange(5, 9));
        assertThat(Ranges.parseRange("bytes=9-9", 10).length()).isEqualTo(1);
    }

    @Test
    void unsatisfiableOrMalformedRangesAre416() {
        for (String h : new String[] {"bytes=10-", "bytes=10-20", "bytes=5-2", "bytes=-0", "bytes=a-b", "bytes=",
                "bytes=1-2,4-5", "items=0-1", "0-1", "bytes=-", "bytes=99999999999999999999-"}) {
            assertThatThrownBy(() -> Ranges.parseRange(h, 10)).as("Range %s", h)
                    .isInstanceOfSatisfying(RegistryException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.RANGE_INVALID));
        }
        assertThatThrownBy(() -> Ranges.parseRange("bytes=0-", 0)).as("any range of an empty blob")
                .isInstanceOf(RegistryException.class);
    }

    @Test
    void contentRangeForms() {
        assertThat(Ranges.parseContentRange(null)).isNull();
        assertThat(Ranges.parseContentRange("0-99")).isEqualTo(new ByteRange(0, 99));
        assertThat(Ranges.parseContentRange("bytes 100-199/*")).isEqualTo(new ByteRange(100, 199));
        assertThat(Ranges.parseContentRange("bytes 100-199/1000")).isEqualTo(new ByteRange(100, 199));
    }

    @Test
    void malformedContentRangeIs416() {
        for (String h : new String[] {"", "-", "5", "5-", "-5", "9-3", "a-b", "0-1-2", "bytes */100"}) {
            assertThatThrownBy(() -> Ranges.parseContentRange(h)).as("Content-Range %s", h)
                    .isInstanceOfSatisfying(RegistryException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.BLOB_UPLOAD_RANGE_INVALID));
        }
    }
}
