package io.octohost.app;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The one rule for an app's host names: the default domain first, then DOMAINS, sorted and unique. */
class DomainsTest {
    private final Domains domains = new Domains("test.octohost");
    private final AppName hello = AppName.of("hello");

    @Test
    void theDefaultDomainComesFirstThenTheOthersSortedAndOnce() {
        assertEquals(List.of("hello.test.octohost", "a.example.test", "b.example.test"),
                domains.of(hello, List.of(Domain.of("b.example.test"), Domain.of("a.example.test"), Domain.of("B.example.test"))));
    }

    @Test
    void anAppWithoutDomainsAnswersToItsDefaultDomainOnly() {
        assertEquals(List.of("hello.test.octohost"), domains.of(hello, List.of()));
        assertEquals(Domain.of("hello.test.octohost"), domains.defaultDomain(hello));
    }

    @Test
    void theDefaultDomainGivenAgainIsNotRepeated() {
        assertEquals(List.of("hello.test.octohost", "www.example.test"),
                domains.of(hello, ConfigKeys.parseDomains("www.example.test, hello.test.octohost")));
    }

    @Test
    void aRunConfigRoutesTheSameList() {
        RunConfig run = ConfigKeys.runConfig(hello, new java.util.TreeMap<>(java.util.Map.of("DOMAINS", "z.test a.test")),
                new java.util.TreeMap<>(), domains, 32);
        assertEquals(List.of("hello.test.octohost", "a.test", "z.test"), run.domains());
    }
}
