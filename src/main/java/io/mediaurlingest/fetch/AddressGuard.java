package io.mediaurlingest.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

/**
 * Decides whether an address may be connected to on a caller's behalf. Unless private
 * networks are allowed, everything that is not a public unicast address is refused:
 * loopback, RFC 1918, link-local (cloud metadata), CGNAT, unique-local, multicast, and the
 * IPv4 ranges hidden in IPv4-mapped or IPv4-compatible IPv6 addresses.
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
                return isPublic(embedded);
            }
            if (v6.isLoopbackAddress() || v6.isAnyLocalAddress() || v6.isLinkLocalAddress() || v6.isSiteLocalAddress()
                    || v6.isMulticastAddress()) {
                return false;
            }
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return false; // fc00::/7 unique local
            }
            if (first == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
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
        if (a0 == 198 && (a1 == 18 || a1 == 19)) {
            return false; // benchmarking
        }
        if ((a0 == 198 && a1 == 51 && a2 == 100) || (a0 == 203 && a1 == 0 && a2 == 113)) {
            return false; // TEST-NET-2, TEST-NET-3
        }
        return true;
    }

    /** The IPv4 address inside ::ffff:a.b.c.d, ::a.b.c.d, 64:ff9b::a.b.c.d, or null. */
    private static InetAddress embeddedIpv4(byte[] b) {
        boolean zeroPrefix = true;
        for (int i = 0; i < 10; i++) {
            zeroPrefix &= b[i] == 0;
        }
        boolean mapped = zeroPrefix && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = zeroPrefix && b[10] == 0 && b[11] == 0
                && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] == 0 || b[15] == 1));
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        if (!(mapped || compatible || nat64)) {
            return null;
        }
        try {
            return Inet4Address.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }
}
