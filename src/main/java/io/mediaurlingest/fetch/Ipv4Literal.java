package io.mediaurlingest.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * IPv4 literals in every notation that browsers, curl and inet_aton accept: 1 to 4 parts,
 * each decimal, octal (leading 0) or hex (0x): 127.0.0.1, 2130706433, 0x7f000001,
 * 017700000001, 127.1, 0x7f.1. A host that parses here is that address, never a DNS name.
 */
public final class Ipv4Literal {

    private Ipv4Literal() {
    }

    public static Optional<InetAddress> parse(String host) {
        if (host == null || host.isEmpty() || host.endsWith(".")) {
            return Optional.empty();
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length > 4) {
            return Optional.empty();
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Long value = number(parts[i]);
            if (value == null) {
                return Optional.empty();
            }
            values[i] = value;
        }
        long address = 0;
        int last = parts.length - 1;
        for (int i = 0; i < last; i++) {
            if (values[i] > 255) {
                return Optional.empty();
            }
            address |= values[i] << (24 - 8 * i);
        }
        long lastLimit = (1L << (8 * (4 - last))) - 1;
        if (values[last] > lastLimit) {
            return Optional.empty();
        }
        address |= values[last];
        byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        try {
            return Optional.of(InetAddress.getByAddress(host, bytes));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static Long number(String part) {
        try {
            if (part.isEmpty()) {
                return null;
            }
            if (part.startsWith("0x") || part.startsWith("0X")) {
                return part.length() == 2 ? 0L : Long.parseLong(part.substring(2), 16);
            }
            if (part.length() > 1 && part.startsWith("0")) {
                return Long.parseLong(part.substring(1), 8);
            }
            return Long.parseLong(part);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
