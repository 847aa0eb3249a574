package io.berth.core.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 CIDR block for IpAddress/NotIpAddress (RFC 4632 notation; a bare address means a single host).
 * Only literals are accepted: the text is checked before {@link InetAddress#getByName} so no DNS lookup can happen.
 */
record Cidr(byte[] network, int prefix) {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
            + "(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern PREFIX = Pattern.compile("[0-9]{1,3}");

    /** The block, or null when {@code text} is not an IP literal with an optional prefix length. */
    static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String addr = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes;
        if (IPV4.matcher(addr).matches()) {
            bytes = literal(addr);
        } else if (addr.indexOf(':') >= 0 && IPV6_CHARS.matcher(addr).matches()) {
            bytes = literal(addr);
            if (bytes != null && bytes.length == 4) {
                bytes = mapped(bytes); // getByName folds ::ffff:a.b.c.d to IPv4; keep the IPv6 width written
            }
        } else {
            return null;
        }
        if (bytes == null) {
            return null;
        }
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            String p = text.substring(slash + 1);
            if (!PREFIX.matcher(p).matches()) {
                return null;
            }
            prefix = Integer.parseInt(p);
            if (prefix > max) {
                return null;
            }
        }
        return new Cidr(bytes, prefix);
    }

    boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            if (a.length == 4 && network.length == 16) {
                a = mapped(a);
            } else {
                return false; // an IPv6 client never matches an IPv4 block
            }
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (a[full] & mask) == (network[full] & mask);
    }

    private static byte[] literal(String addr) {
        try {
            return InetAddress.getByName(addr).getAddress();
        } catch (UnknownHostException e) {
            return null; // a malformed literal; the caller refuses the policy with the text it was given
        }
    }

    private static byte[] mapped(byte[] v4) {
        byte[] m = new byte[16];
        m[10] = (byte) 0xFF;
        m[11] = (byte) 0xFF;
        System.arraycopy(v4, 0, m, 12, 4);
        return m;
    }
}
