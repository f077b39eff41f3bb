package io.mediaurlingest.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** One network in CIDR notation (10.20.0.0/16, 127.0.0.2/32, fd00::/8), for allowed-networks. */
public record Cidr(byte[] network, int prefix) {

    public static Cidr parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        try {
            byte[] address = InetAddress.getByName(slash < 0 ? t : t.substring(0, slash)).getAddress();
            int prefix = slash < 0 ? address.length * 8 : Integer.parseInt(t.substring(slash + 1));
            if (prefix < 0 || prefix > address.length * 8) {
                throw new IllegalArgumentException("bad prefix in " + text);
            }
            return new Cidr(address, prefix);
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("not a CIDR network: " + text, e);
        }
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((a[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }
}
