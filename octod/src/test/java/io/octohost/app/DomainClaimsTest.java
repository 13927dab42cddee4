package io.octohost.app;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which host names an app may claim (issue 12, finding 3): the rules of Domains.checkClaimable, as properties. */
class DomainClaimsTest {
    private static final String BASE = "test.octohost";
    private final Domains domains = new Domains(BASE);
    private final AppName app = AppName.of("shop");

    private void assertRefused(String domain, String reason) {
        UserError e = assertThrows(UserError.class, () -> domains.checkClaimable(app, Domain.of(domain)), domain);
        assertTrue(e.getMessage().startsWith("domain " + domain + " " + reason), e.getMessage());
    }

    @Property
    void anIpAddressIsNoDomain(@ForAll @IntRange(max = 255) int a, @ForAll @IntRange(max = 255) int b,
                               @ForAll @IntRange(max = 255) int c, @ForAll @IntRange(max = 255) int d) {
        assertRefused(a + "." + b + "." + c + "." + d, "is an IP address");
    }

    @Property
    void aBareTopLevelDomainIsRefused(@ForAll("labels") String label) {
        UserError e = assertThrows(UserError.class, () -> domains.checkClaimable(app, Domain.of(label)));
        assertTrue(e.getMessage().matches("domain " + label + " is (a bare top-level domain|a loopback name|an IP address).*"),
                e.getMessage());
    }

    @Property
    void aWildcardNeedsTwoLabelsAndMayNotCoverTheAppsDefaultNames(@ForAll("labels") String label) {
        assertRefused("*." + label, label.chars().allMatch(Character::isDigit) ? "is an IP address"
                : label.equals("localhost") ? "is a loopback name" : "is a wildcard above the second level");
        assertRefused("*." + BASE, "covers the default name of every app");
        UserError e = assertThrows(UserError.class, () -> new Domains("apps.example.com").checkClaimable(app, Domain.of("*.example.com")));
        assertTrue(e.getMessage().contains("covers the default name of every app (APP.apps.example.com)"), e.getMessage());
    }

    @Property
    void everyAppsDefaultNameIsReservedForIt(@ForAll("appNames") String other) {
        Domain name = Domain.of(other + "." + BASE);
        if (other.equals(app.value())) {
            assertDoesNotThrow(() -> domains.checkClaimable(app, name));
        } else {
            assertRefused(name.value(), "is the default name of app " + other);
        }
    }

    @Property
    void anOrdinaryHostNameIsClaimable(@ForAll("labels") String a, @ForAll("labels") String b) {
        String name = "www." + a + "-x." + b + "-y.example";
        assertDoesNotThrow(() -> domains.checkClaimable(app, Domain.of(name)));
        assertDoesNotThrow(() -> domains.checkClaimable(app, Domain.of("*." + a + "-x.example")));
    }

    @Example
    void loopbackAndTheProbeHostAreRefused() {
        assertRefused("localhost", "is a loopback name");
        assertRefused("api.localhost", "is a loopback name");
        assertRefused("*.localhost", "is a loopback name");
        assertRefused(Domains.PROBE_HOST, "is octod's probe host");
        assertRefused("com", "is a bare top-level domain");
        assertRefused("*.com", "is a wildcard above the second level");
    }

    @Example
    void withLocalhostAsTheBaseTheAppsDefaultNamesAreStillReserved() {
        Domains local = new Domains("localhost");
        assertDoesNotThrow(() -> local.checkClaimable(app, Domain.of("shop.localhost")));
        UserError e = assertThrows(UserError.class, () -> local.checkClaimable(app, Domain.of("blog.localhost")));
        assertTrue(e.getMessage().contains("default name of app blog"), e.getMessage());
    }

    @Provide
    Arbitrary<String> labels() {
        return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789").ofMinLength(1).ofMaxLength(20);
    }

    @Provide
    Arbitrary<String> appNames() {
        Arbitrary<String> inner = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789-").ofMaxLength(20);
        Arbitrary<Character> edge = Arbitraries.chars().with("abcdefghijklmnopqrstuvwxyz0123456789".toCharArray());
        return Arbitraries.oneOf(Combinators.combine(edge, inner, edge).as((x, m, y) -> x + m + y), Arbitraries.just("shop"));
    }
}
