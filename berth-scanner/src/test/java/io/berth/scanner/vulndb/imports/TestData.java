package io.berth.scanner.vulndb.imports;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The real data files of src/test/resources/vulndata (see its PROVENANCE.md), copied out to a path. */
public final class TestData {
    private TestData() {}

    public static Path copy(String resource, Path dir) throws IOException {
        Path target = dir.resolve(resource.substring(resource.lastIndexOf('/') + 1));
        try (InputStream in = TestData.class.getResourceAsStream("/vulndata/" + resource)) {
            if (in == null) {
                throw new IOException("no test resource vulndata/" + resource);
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }
}
