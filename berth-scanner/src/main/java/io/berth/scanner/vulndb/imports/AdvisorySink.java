package io.berth.scanner.vulndb.imports;

import io.berth.scanner.vulndb.Advisory;

/** Where a parser puts each advisory it accepts (the store's replacement, or a list in tests). */
@FunctionalInterface
public interface AdvisorySink {
    void accept(Advisory advisory);
}
