package io.berth.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void plainOutputHasOneLinePerPhaseAndPerTenthWithPercentAndEta() {
        Progress p = new Progress(out, false, "gc", now::get);
        p.phase("uploads", 200);
        for (int i = 1; i <= 200; i++) {
            now.addAndGet(50_000_000L); // 50 ms an item: 200 items take 10 s
            p.update(i, "1 MiB");
        }
        String[] lines = printed().split("\n");
        assertThat(lines).hasSize(11); // the start, then 10%, 20% ... 100%
        assertThat(lines[0]).isEqualTo("gc: uploads   0% (0/200)");
        // after 20 items in 1 s, 180 remain at the same rate: 9 s
        assertThat(lines[1]).isEqualTo("gc: uploads  10% (20/200) ETA 0:09 1 MiB");
        assertThat(lines[10]).isEqualTo("gc: uploads 100% (200/200) 1 MiB");
        assertThat(printed()).doesNotContain("\r");
    }

    @Test
    void plainOutputWithoutTotalCountsEveryThirtySeconds() {
        Progress p = new Progress(out, false, "vulndb import", now::get);
        p.phase("records read", -1);
        p.update(10, "");
        now.addAndGet(Duration.ofSeconds(31).toNanos());
        p.update(5_000, "(4000 advisories written)");
        assertThat(printed()).isEqualTo("vulndb import: records read 0\n"
                + "vulndb import: records read 5,000 (4000 advisories written)\n");
    }

    @Test
    void terminalRedrawsOneLineInPlaceAtMostTenTimesASecondAndClearsIt() {
        Progress p = new Progress(out, true, "gc", now::get);
        p.phase("blobs", -1);
        p.update(1, "10 B"); // within 100 ms of the phase's start: not drawn
        now.addAndGet(150_000_000L);
        p.update(2, "20 B");
        p.clear();
        assertThat(printed()).isEqualTo("\rgc: blobs 0" + "\rgc: blobs 2 20 B"
                + "\r" + " ".repeat("gc: blobs 2 20 B".length()) + "\r");
        assertThat(printed()).doesNotContain("\n");
    }

    @Test
    void etaNeedsProgressAndStopsWhenDone() {
        Progress p = new Progress(out, false, "x", now::get);
        p.phase("p", 4);
        assertThat(p.eta(0)).isEmpty();
        now.addAndGet(Duration.ofSeconds(3).toNanos());
        assertThat(p.eta(1)).contains(Duration.ofSeconds(9));
        assertThat(p.eta(4)).isEmpty();
        assertThat(Progress.clock(Duration.ofSeconds(3725))).isEqualTo("1:02:05");
        assertThat(Progress.clock(Duration.ofSeconds(65))).isEqualTo("1:05");
    }
}
