package com.backlogmcp.auth.client;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Which addresses a server-side fetch of a URL someone else chose may connect to: only globally reachable unicast
 * ones. The ranges are the IANA IPv4 and IPv6 special-purpose registries (RFC 6890 and successors). An IPv6 address
 * that carries an IPv4 address — IPv4-mapped ({@code ::ffff:0:0/96}), IPv4-compatible ({@code ::/96}), NAT64
 * ({@code 64:ff9b::/96}) and 6to4 ({@code 2002::/16}) — reaches that IPv4 host, so it is judged by the embedded
 * address; Teredo ({@code 2001::/32}) hides its target and is refused outright, as is everything outside the global
 * unicast block {@code 2000::/3}.
 *
 * <p>Written by hand: the JDK's {@code isSiteLocalAddress()} and friends miss most of these ranges and every
 * embedded form, and no library here keeps the registries.
 */
final class PublicAddresses {

    private record Range(byte[] prefix, int bits) {
        static Range of(String cidr) {
            int slash = cidr.indexOf('/');
            try {
                return new Range(InetAddress.getByName(cidr.substring(0, slash)).getAddress(), Integer.parseInt(cidr.substring(slash + 1)));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(cidr, e);
            }
        }

        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            if (!Arrays.equals(address, 0, full, prefix, 0, full)) {
                return false;
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (prefix[full] & mask);
        }
    }

    /** IPv4 ranges that are not globally reachable (or not unicast). */
    private static final List<Range> IPV4_SPECIAL = List.of(
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.0.2.0/24", "192.31.196.0/24", "192.52.193.0/24", "192.88.99.0/24", "192.168.0.0/16",
            "192.175.48.0/24", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4")
            .stream().map(Range::of).toList();

    private static final Range GLOBAL_UNICAST_V6 = Range.of("2000::/3");
    private static final Range IPV4_MAPPED = Range.of("::ffff:0:0/96");
    private static final Range IPV4_COMPATIBLE = Range.of("::/96");
    private static final Range NAT64 = Range.of("64:ff9b::/96");
    private static final Range SIX_TO_FOUR = Range.of("2002::/16");

    /** Inside 2000::/3 but not globally reachable: IETF protocol assignments (Teredo, ORCHID, …), documentation. */
    private static final List<Range> IPV6_SPECIAL = List.of("2001::/23", "2001:db8::/32", "3fff::/20")
            .stream().map(Range::of).toList();

    private PublicAddresses() {
    }

    static boolean isPublic(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            return IPV4_SPECIAL.stream().noneMatch(r -> r.contains(b));
        }
        if (!(a instanceof Inet6Address)) {
            return false;
        }
        if (IPV4_MAPPED.contains(b) || NAT64.contains(b)) {
            return isPublic(ipv4(b, 12));
        }
        if (IPV4_COMPATIBLE.contains(b)) {
            // ::/128 and ::1 fall in here too: their embedded "IPv4" is 0.0.0.0 / 0.0.0.1, refused as 0/8
            return isPublic(ipv4(b, 12));
        }
        if (SIX_TO_FOUR.contains(b)) {
            return isPublic(ipv4(b, 2));
        }
        return GLOBAL_UNICAST_V6.contains(b) && IPV6_SPECIAL.stream().noneMatch(r -> r.contains(b));
    }

    private static InetAddress ipv4(byte[] b, int from) {
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(b, from, from + 4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
