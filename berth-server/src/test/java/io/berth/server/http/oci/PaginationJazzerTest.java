package io.berth.server.http.oci;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.server.http.paging.PageCursors;
import io.berth.server.http.paging.VisiblePager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer fuzzing of the {@code /v2/} pagination inputs and of the filtered pager behind the catalog:
 * <ul>
 *   <li>{@code n} and {@code last} (plain or a {@code ~} cursor), as any client may send them: each is accepted
 *       or refused with INVALID_PARAMETER, nothing else escapes; a sealed position opens to what was sealed;</li>
 *   <li>{@link VisiblePager} over a fuzzer-chosen store (names, which of them are visible, {@code n}): walking
 *       every page yields each visible name exactly once, in order; no plain continuation is a hidden name; and
 *       no page reads more than {@code n + 1 + 1000} rows.</li>
 * </ul>
 * An ordinary build replays the saved inputs under {@code src/test/resources/.../PaginationJazzerTestInputs};
 * {@code ./mvnw -pl berth-server -am test -Dberth.fuzz=1 -Dtest=PaginationJazzerTest} fuzzes each for 20 s.
 */
class PaginationJazzerTest {
    private static final PageCursors CURSORS = PageCursors.ephemeral();
    private static final AtomicLong INPUTS = new AtomicLong();
    private static final AtomicLong PAGES = new AtomicLong();

    @FuzzTest(maxDuration = "20s")
    void nAndLast_anyText_acceptedOrInvalidParameter(FuzzedDataProvider data) {
        INPUTS.incrementAndGet();
        String n = data.consumeString(40);
        String position = data.consumeString(300);
        String last = data.consumeBoolean() ? Pagination.SEALED + CURSORS.seal("catalog", position)
                : data.consumeRemainingAsString();
        try {
            assertThat(Pagination.parseN(n)).as("n=%s", n).isBetween(0, Pagination.MAX_N);
        } catch (RegistryException e) {
            assertThat(e.code()).as("refusal of n=%s", n).isEqualTo(ErrorCode.INVALID_PARAMETER);
        }
        try {
            String start = Pagination.start(last, CURSORS, "catalog");
            if (last.startsWith(Pagination.SEALED)) {
                assertThat(start).as("a sealed position opens to itself").isEqualTo(position);
            } else {
                assertThat(start).as("a plain last is the client's name").isEqualTo(last);
            }
        } catch (RegistryException e) {
            assertThat(e.code()).as("refusal of last=%s", last).isEqualTo(ErrorCode.INVALID_PARAMETER);
            assertThat(last).startsWith(Pagination.SEALED);
        }
    }

    @FuzzTest(maxDuration = "20s")
    void visiblePager_anyStoreAndVisibility_everyVisibleOnceNothingHiddenInClear(FuzzedDataProvider data) {
        INPUTS.incrementAndGet();
        int n = data.consumeInt(1, 30);
        int size = data.consumeInt(0, 4000);
        List<String> store = new ArrayList<>(size);
        List<String> visible = new ArrayList<>();
        byte[] bits = data.consumeRemainingAsBytes();
        for (int i = 0; i < size; i++) {
            String name = String.format("r%05d", i);
            store.add(name);
            // mostly hidden runs, so the read bound is hit: a row is visible when its fuzzer byte is 0
            if (bits.length > 0 && bits[i % bits.length] == 0 && (i / bits.length) % 2 == 0) {
                visible.add(name);
            }
        }
        java.util.Set<String> shown = new java.util.HashSet<>(visible);
        List<String> seen = new ArrayList<>();
        String after = null;
        for (int page = 0; ; page++) {
            assertThat(page).as("pages for %d rows").isLessThanOrEqualTo(size + 1);
            String from = after;
            VisiblePager.Page<String> p = VisiblePager.page((a, limit) -> after(store, a, limit), s -> s,
                    shown::contains, from, n);
            PAGES.incrementAndGet();
            assertThat(p.rowsRead()).as("rows one page read").isLessThanOrEqualTo(n + 1 + 1000);
            assertThat(p.items()).hasSizeLessThanOrEqualTo(n);
            seen.addAll(p.items());
            if (p.resume() == null) {
                break;
            }
            if (!p.sealed()) {
                assertThat(visible).as("a plain continuation is a shown name").contains(p.resume());
            }
            after = Pagination.start(Pagination.resume(p, CURSORS, "catalog"), CURSORS, "catalog");
        }
        assertThat(seen).as("every visible name once, in order").isEqualTo(visible);
    }

    /** The sorted store's rows strictly after {@code a}, at most {@code limit}, as the database's index gives them. */
    private static List<String> after(List<String> store, String a, int limit) {
        int from = 0;
        if (a != null) {
            int i = java.util.Collections.binarySearch(store, a);
            from = i >= 0 ? i + 1 : -i - 1;
        }
        return store.subList(from, Math.min(store.size(), from + limit));
    }

    @AfterAll
    static void report() {
        System.out.printf("PaginationJazzerTest: %d inputs, %d pages walked%n", INPUTS.get(), PAGES.get());
    }
}
