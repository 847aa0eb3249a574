package io.berth.scanner.layer;

import io.berth.scanner.model.InstalledPackage;
import io.berth.scanner.result.ScanFailure;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * A finder that reads a file while the layer streams past (a jar, a Go binary, an rpm database) instead of having
 * its bytes kept: such files can be hundreds of MiB. What it returns is attached to the path, so a whiteout in a
 * later layer removes it as it would remove the file.
 */
public interface StreamAnalyzer {
    /**
     * Reads one file. {@code content} ends at the end of the entry and must not be closed.
     * @return the packages the file holds, empty for none
     */
    List<InstalledPackage> analyze(String path, long size, InputStream content) throws IOException, ScanFailure;
}
