package io.mediaurlingest.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

/**
 * Decides whether an address may be connected to on a caller's behalf. Unless private
 * networks are allowed, everything that is not a public unicast address is refused:
 * loopback, RFC 1918, link-local (cloud metadata), CGNAT, unique-local, multicast, the
 * tunnels into IPv4 (6to4 2002::/16 and its relays 192.88.99.0/24, Teredo and the rest of
 * 2001::/23), and every IPv6 form that carries a refused IPv4 address (mapped, compatible,
 * SIIT, NAT64, ISATAP).
 */
public final class AddressGuard {

    private final boolean allowPrivateNetworks;
    private final List<Cidr> allowedNetworks;

    public AddressGuard(boolean allowPrivateNetworks) {
        this(allowPrivateNetworks, List.of());
    }

    /** @param allowedNetworks ranges exempted from the guard (an internal CDN), the rest stays refused */
    public AddressGuard(boolean allowPrivateNetworks, List<Cidr> allowedNetworks) {
        this.allowPrivateNetworks = allowPrivateNetworks;
        this.allowedNetworks = List.copyOf(allowedNetworks);
    }

    /** A comma-separated CIDR list, as in ingest.fetch.allowed-networks. */
    public static List<Cidr> networks(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(n -> !n.isEmpty()).map(Cidr::parse).toList();
    }

    public boolean isAllowed(InetAddress address) {
        return allowPrivateNetworks || isPublic(address) || allowedNetworks.stream().anyMatch(n -> n.contains(address));
    }

    static boolean isPublic(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            InetAddress embedded = embeddedIpv4(b);
            if (embedded != null) {
                if (!isPublic(embedded)) {
                    return false;
                }
                if (!isatap(b)) {
                    return true; // a translation of a public IPv4 address
                }
            }
            if (v6.isLoopbackAddress() || v6.isAnyLocalAddress() || v6.isLinkLocalAddress() || v6.isSiteLocalAddress()
                    || v6.isMulticastAddress()) {
                return false;
            }
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return false; // fc00::/7 unique local
            }
            if (first == 0x20 && second == 0x02) {
                return false; // 2002::/16 6to4: relays reach the IPv4 address inside it
            }
            if (first == 0x20 && second == 0x01 && (b[2] & 0xfe) == 0x00) {
                return false; // 2001::/23 special purpose: Teredo (2001::/32, tunnels to IPv4), ORCHID, benchmarking
            }
            if (first == 0x20 && second == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
                return false; // 2001:db8::/32 documentation
            }
            return (first & 0xe0) == 0x20; // only 2000::/3 is global unicast
        }
        byte[] b = address.getAddress();
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        if (a0 == 0 || a0 == 10 || a0 == 127 || a0 >= 224) {
            return false; // this network, private, loopback, multicast, reserved, broadcast
        }
        if (a0 == 100 && a1 >= 64 && a1 <= 127) {
            return false; // CGNAT 100.64.0.0/10
        }
        if (a0 == 169 && a1 == 254) {
            return false; // link-local, incl. 169.254.169.254 metadata
        }
        if (a0 == 172 && a1 >= 16 && a1 <= 31) {
            return false;
        }
        if (a0 == 192 && a1 == 168) {
            return false;
        }
        if (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2)) {
            return false; // IETF protocol assignments, TEST-NET-1
        }
        if (a0 == 192 && a1 == 88 && a2 == 99) {
            return false; // 6to4 relay anycast: forwards into IPv6 tunnels
        }
        if (a0 == 198 && (a1 == 18 || a1 == 19)) {
            return false; // benchmarking
        }
        if ((a0 == 198 && a1 == 51 && a2 == 100) || (a0 == 203 && a1 == 0 && a2 == 113)) {
            return false; // TEST-NET-2, TEST-NET-3
        }
        return true;
    }

    /**
     * The IPv4 address in the last 32 bits of ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible),
     * ::ffff:0:a.b.c.d (SIIT), 64:ff9b::a.b.c.d (NAT64), or of an ISATAP interface id
     * (…:0:5efe:a.b.c.d, …:200:5efe:a.b.c.d); null for any other address.
     */
    private static InetAddress embeddedIpv4(byte[] b) {
        boolean mapped = isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = isZero(b, 0, 12) && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] == 0 || b[15] == 1));
        boolean siit = isZero(b, 0, 8) && (b[8] & 0xff) == 0xff && (b[9] & 0xff) == 0xff && b[10] == 0 && b[11] == 0;
        boolean nat64 = b[0] == 0 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                && isZero(b, 4, 12);
        if (!(mapped || compatible || siit || nat64 || isatap(b))) {
            return null;
        }
        try {
            return Inet4Address.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    /** An ISATAP interface id: the tunnel's far end is the IPv4 address in the last 32 bits. */
    private static boolean isatap(byte[] b) {
        return (b[8] & 0xfd) == 0 && b[9] == 0 && (b[10] & 0xff) == 0x5e && (b[11] & 0xff) == 0xfe;
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
