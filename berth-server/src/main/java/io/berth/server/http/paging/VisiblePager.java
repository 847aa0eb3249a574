package io.berth.server.http.paging;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One page of a listing that shows the caller only what it may see (the catalog, DescribeRepositories), without
 * revealing anything else through the continuation: reads rows in key order until {@code n} visible ones are
 * collected, and continues from the last row SHOWN. A caller who may see little would make that loop read the
 * whole store, so a request reads at most {@code n + 1 + }{@link #HIDDEN_ROWS_PER_PAGE} rows; when it stops there,
 * the continuation is the last row read, which may be hidden and is therefore {@link Page#sealed() sealed}.
 */
public final class VisiblePager {
    /** How many rows beyond the page (and the one look-ahead) a request may read and discard. */
    public static final int HIDDEN_ROWS_PER_PAGE = 1000;
    private static final int MIN_BATCH = 100;

    private VisiblePager() {}

    /** Rows in key order strictly after {@code after} (null for the start), at most {@code limit}. */
    @FunctionalInterface
    public interface Rows<T> {
        List<T> after(String after, int limit);
    }

    /**
     * @param items     the visible rows of this page
     * @param resume    the key to continue after, or null when nothing visible may follow
     * @param sealed    whether {@code resume} is a row the caller was not shown (and must be sent sealed)
     * @param rowsRead  how many rows the page read, for tests and measurement
     */
    public record Page<T>(List<T> items, String resume, boolean sealed, int rowsRead) {}

    public static <T> Page<T> page(Rows<T> rows, Function<T, String> key, Predicate<T> visible, String after,
                                   int n) {
        if (n <= 0) {
            return new Page<>(List.of(), null, false, 0);
        }
        List<T> shown = new ArrayList<>(Math.min(n, 1000));
        int budget = n + 1 + HIDDEN_ROWS_PER_PAGE;
        int read = 0;
        String cursor = after;
        while (read < budget) {
            int batch = Math.min(budget - read, Math.max(n + 1, MIN_BATCH));
            List<T> got = rows.after(cursor, batch);
            for (T row : got) {
                read++;
                cursor = key.apply(row);
                if (visible.test(row)) {
                    if (shown.size() == n) {
                        // a visible row follows the page: continue after the last one shown
                        return new Page<>(shown, key.apply(shown.get(n - 1)), false, read);
                    }
                    shown.add(row);
                }
            }
            if (got.size() < batch) {
                return new Page<>(shown, null, false, read);
            }
        }
        return new Page<>(shown, cursor, true, read);
    }
}
