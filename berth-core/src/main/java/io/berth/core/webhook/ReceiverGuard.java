package io.berth.core.webhook;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * SSRF: which receiver URLs Berth posts to. Refused always: other schemes than http/https, user info, and Berth
 * itself (an address of this host on one of Berth's ports: a webhook that posts to the registry loops). Refused
 * unless {@code allowPrivate}: loopback, link-local (169.254.0.0/16 with the cloud metadata service, fe80::/10),
 * the unspecified address and any address of this host. Checked when a webhook is added and again before every
 * delivery, so a name that later resolves to such an address is refused then.
 */
public final class ReceiverGuard {
    private final boolean allowPrivate;
    private final Supplier<Set<Integer>> ownPorts;

    /** @param ownPorts the ports Berth listens on; a supplier, since a port 0 is bound only at start */
    public ReceiverGuard(boolean allowPrivate, Supplier<Set<Integer>> ownPorts) {
        this.allowPrivate = allowPrivate;
        this.ownPorts = ownPorts;
    }

    /** Why the URL is refused, or empty when Berth may post to it. */
    public Optional<String> refusal(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("the URL must be http or https");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            return Optional.of("the URL must name a host, without user info");
        }
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            return Optional.of("the host " + uri.getHost() + " does not resolve");
        }
        Set<Integer> own = ownPorts.get();
        for (InetAddress a : addresses) {
            boolean local = isLocal(a);
            if (local && own.contains(port)) {
                return Optional.of("the URL points at Berth itself (" + a.getHostAddress() + ":" + port + ")");
            }
            if (!allowPrivate && (local || a.isLinkLocalAddress() || isLinkLocalV4(a))) {
                return Optional.of("the URL resolves to a loopback, link-local or local address ("
                        + a.getHostAddress() + "); set webhooks.allow-private to allow it");
            }
        }
        return Optional.empty();
    }

    private static boolean isLinkLocalV4(InetAddress a) {
        byte[] b = a.getAddress();
        return b.length == 4 && (b[0] & 0xff) == 169 && (b[1] & 0xff) == 254;
    }

    /** Loopback, unspecified, or an address of one of this host's interfaces. */
    private static boolean isLocal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress()) {
            return true;
        }
        if (a instanceof Inet6Address v6 && v6.isIPv4CompatibleAddress()) {
            return true; // ::a.b.c.d, deprecated and never a legitimate receiver
        }
        try {
            return NetworkInterface.getByInetAddress(a) != null;
        } catch (SocketException e) {
            return true; // cannot tell: refuse
        }
    }
}
