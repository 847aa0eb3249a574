package io.berth.server.cli;

import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.Tag;
import io.berth.server.auth.Identities;
import io.berth.server.boot.BerthApp;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code berth admin cache}: the pull-through cache. */
@Command(name = "cache", mixinStandardHelpOptions = true, description = "The pull-through cache.",
        subcommands = CacheCommand.Refresh.class)
final class CacheCommand implements Runnable {
    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "name a subcommand: refresh");
    }

    /**
     * {@code berth admin cache refresh REPO:TAG}: the tag's next pull re-checks it upstream, whatever
     * {@code pull-through.refresh-interval} says, and fetches it when it moved (see {@code PullThrough#expire}).
     */
    @Command(name = "refresh", mixinStandardHelpOptions = true,
            description = "Make the next pull of a pull-through cached tag re-check it upstream (and fetch it when "
                    + "it moved), whatever the refresh interval.")
    static final class Refresh extends AdminCommand.Base {
        @Parameters(paramLabel = "REPO:TAG", description = "such as quay/prometheus/busybox:latest") String image;

        @Override
        String eventName() { return "RefreshPullThroughCacheTag"; }

        @Override
        void describeForAudit() {
            auditParameters.put("image", image);
        }

        @Override
        int run(Identities ids, RegistryId acct, PrintStream out) {
            int colon = image.lastIndexOf(':');
            if (colon <= 0 || image.indexOf('/', colon) >= 0) {
                return refuse("InvalidParameterException", "name the image as REPO:TAG, such as quay/app:latest");
            }
            RepositoryName repo = RepositoryName.of(image.substring(0, colon));
            Tag tag = Tag.of(image.substring(colon + 1));
            var checked = BerthApp.pullThrough(stores, config).expire(acct, repo, tag);
            out.println(checked.isPresent() ? "Expired " + repo + ":" + tag + " (last checked upstream at "
                    + checked.get() + "): its next pull re-checks it upstream"
                    : repo + ":" + tag + " is not cached yet: its first pull fetches it");
            return 0;
        }
    }
}
