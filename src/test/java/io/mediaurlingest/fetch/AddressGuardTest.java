package io.mediaurlingest.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The guard decides on resolved addresses; nothing here opens a connection. */
class AddressGuardTest {

    private final AddressGuard guard = new AddressGuard(false);

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.255.0.9", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
            "169.254.169.254", "100.64.0.1", "100.127.255.255", "0.0.0.0", "0.1.2.3", "224.0.0.1", "255.255.255.255",
            "240.0.0.1", "192.0.2.10", "198.51.100.1", "203.0.113.7", "198.18.0.1", "::1", "::", "fe80::1", "fc00::1",
            "fd12:3456::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::127.0.0.1", "64:ff9b::a9fe:a9fe",
            "2001:db8::1"})
    void refusesNonPublicAddresses(String literal) throws Exception {
        assertThat(guard.isAllowed(InetAddress.getByName(literal))).as(literal).isFalse();
    }

    /** Tunnels into IPv4 are refused whole; translations and ISATAP ids are judged by the IPv4 address inside. */
    @ParameterizedTest
    @ValueSource(strings = {"2002:7f00:1::1", "2002:a9fe:a9fe::", "2002:808:808::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2",
            "2001::1", "2001:2::1", "2001:10::1", "2001:1ff:ffff::1", "192.88.99.1", "192.88.99.255",
            "::ffff:0:7f00:1", "::ffff:0:a9fe:a9fe", "64:ff9b::7f00:1", "64:ff9b::a00:1", "64:ff9b:1::a9fe:a9fe",
            "2606:2800::5efe:a9fe:a9fe", "2606:2800::200:5efe:7f00:1", "2606:2800::5efe:a00:1", "fe80::200:5efe:808:808",
            "2001:db8::5efe:808:808"})
    void refusesTunnelsAndEveryIpv6FormOfARefusedIpv4(String literal) throws Exception {
        assertThat(guard.isAllowed(InetAddress.getByName(literal))).as(literal).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"64:ff9b::808:808", "2606:2800::5efe:808:808", "2001:200::1", "2003::1", "192.88.98.1"})
    void publicAddressesNextToTheRefusedRangesStayAllowed(String literal) throws Exception {
        assertThat(guard.isAllowed(InetAddress.getByName(literal))).as(literal).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.1", "172.15.255.255",
            "172.32.0.1", "2606:2800:220:1:248:1893:25c8:1946", "::ffff:8.8.8.8"})
    void allowsPublicAddresses(String literal) throws Exception {
        assertThat(guard.isAllowed(InetAddress.getByName(literal))).as(literal).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.0.0.1", "::1"})
    void privateNetworksCanBeAllowed(String literal) throws Exception {
        assertThat(new AddressGuard(true).isAllowed(InetAddress.getByName(literal))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "127.0.0.1", "2130706433", "127.1", "::1", "0x7f000001", "0x7F.0.0.1",
            "017700000001", "0177.0.0.01", "0x7f.1", "127.0.1", "0", "0.0.0.0", "0xa9fea9fe", "169.254.43518",
            "0300.0250.0.1", "[::1]", "::ffff:127.0.0.1", "[::ffff:7f00:1]"})
    void theResolverRefusesLoopbackNamesBeforeAnyConnection(String host) {
        GuardedDnsResolver resolver = new GuardedDnsResolver(guard);
        assertThatThrownBy(() -> resolver.resolve(host)).isInstanceOf(AddressNotAllowedException.class);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"2130706433,127.0.0.1", "0x7f000001,127.0.0.1", "017700000001,127.0.0.1",
            "127.1,127.0.0.1", "10.1,10.0.0.1", "0xa.0x1.0x2.0x3,10.1.2.3", "192.168.257,192.168.1.1", "8.8.8.8,8.8.8.8"})
    void everyIpv4NotationIsNormalised(String literal, String dotted) {
        assertThat(Ipv4Literal.parse(literal)).get().extracting(InetAddress::getHostAddress).isEqualTo(dotted);
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "1.2.3.4.5", "256.1.1.1", "0x100.1.1.1", "08.1.1.1", "1..1", "127.0.0.1.", "", "a.1"})
    void namesAndImpossibleNumbersAreNotLiterals(String host) {
        assertThat(Ipv4Literal.parse(host)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.2", "10.20.3.4", "fd00::5"})
    void allowedNetworksExemptOnlyTheirRanges(String literal) throws Exception {
        AddressGuard exempting = new AddressGuard(false, AddressGuard.networks("127.0.0.2/32, 10.20.0.0/16, fd00::/8"));
        assertThat(exempting.isAllowed(InetAddress.getByName(literal))).isTrue();
        assertThat(exempting.isAllowed(InetAddress.getByName("127.0.0.1"))).isFalse();
        assertThat(exempting.isAllowed(InetAddress.getByName("10.21.0.1"))).isFalse();
        assertThat(exempting.isAllowed(InetAddress.getByName("fe80::1"))).isFalse();
    }
}
