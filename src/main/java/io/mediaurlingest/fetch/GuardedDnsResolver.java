package io.mediaurlingest.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;

/**
 * Resolves a host once and hands HttpClient only addresses the guard allows, so the
 * connection goes to exactly the address that was checked (no DNS rebinding between check
 * and connect). Used for source downloads, every redirect hop, and callbacks.
 */
public final class GuardedDnsResolver implements DnsResolver {

    private final AddressGuard guard;

    /** Resolves a host and checks it, without connecting: for refusing a URL before any job exists. */
    public void check(String host) throws UnknownHostException {
        resolve(host);
    }

    private final DnsResolver system = SystemDefaultDnsResolver.INSTANCE;

    public GuardedDnsResolver(AddressGuard guard) {
        this.guard = guard;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        // numeric hosts in any notation (2130706433, 0x7f000001, 017700000001, 127.1) are addresses, not names
        InetAddress[] all = Ipv4Literal.parse(host).map(a -> new InetAddress[] {a}).orElse(null);
        if (all == null) {
            all = system.resolve(host);
        }
        InetAddress[] allowed = Arrays.stream(all).filter(guard::isAllowed).toArray(InetAddress[]::new);
        if (allowed.length == 0) {
            throw new AddressNotAllowedException("the address of " + host + " is not allowed");
        }
        return allowed;
    }

    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
        return system.resolveCanonicalHostname(host);
    }
}
