package io.berth.scanner.result;

import io.berth.core.model.Descriptor;
import io.berth.scanner.model.Inventory;
import java.util.List;
import java.util.Objects;

/**
 * What scanning one manifest gives. ECR's {@code imageScanStatus} follows from it: {@link Scanned} is COMPLETE once
 * matched, {@link Failed} is FAILED with the message as description, {@link Unsupported} is UNSUPPORTED_IMAGE, and
 * {@link IndexOf} tells the caller to scan each child manifest (an image index is scanned child by child).
 */
public sealed interface ScanOutcome {

    record Scanned(Inventory inventory) implements ScanOutcome {
        public Scanned { Objects.requireNonNull(inventory, "inventory"); }
    }

    record Failed(FailureReason reason, String message) implements ScanOutcome {
        public Failed { Objects.requireNonNull(reason, "reason"); Objects.requireNonNull(message, "message"); }

        public static Failed of(ScanFailure failure) { return new Failed(failure.reason(), failure.getMessage()); }
    }

    /** Not an image (an artifact such as a signature or an SBOM, a Helm chart, an attestation): UNSUPPORTED_IMAGE. */
    record Unsupported(String why) implements ScanOutcome {
        public Unsupported { Objects.requireNonNull(why, "why"); }
    }

    /** An index: the manifests it lists, each to be scanned as an image of its own. */
    record IndexOf(List<Descriptor> children) implements ScanOutcome {
        public IndexOf { children = List.copyOf(children); }
    }
}
