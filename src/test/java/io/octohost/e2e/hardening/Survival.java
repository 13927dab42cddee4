package io.octohost.e2e.hardening;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Content;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.PushResult;
import io.octohost.e2e.cli.Cli;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every fault scenario checks once the fault is over: the last good release serves, the next
 * push works, and nothing was lost (every record the state held before the fault is still there,
 * unchanged). Each survived fault is written down for RELIABILITY.md.
 */
final class Survival {
    private Survival() {
    }

    /** The whole state as state:export lines (one record each, base64 value). */
    static Set<String> state(Octohost octohost) {
        return new TreeSet<>(Cli.octo(octohost, "state:export").orFail().stdout().lines().toList());
    }

    /**
     * Checks the three promises after a fault and records it. {@code lastGood} is the page the app
     * must serve now; returns the page of the push that showed the next push works.
     */
    static String check(Class<?> test, Octohost octohost, AppRepo app, String lastGood, Set<String> stateBefore, String fault,
                        String whatHappened) {
        String name = app.remotePath();
        assertEquals(lastGood, octohost.get(name).bodyText(), fault + ": the last good release does not serve");
        Set<String> now = state(octohost);
        List<String> lost = stateBefore.stream().filter(line -> !now.contains(line)).toList();
        assertEquals(List.of(), lost, fault + ": records of the state were lost or changed");
        String next = Content.unique(name + " after " + fault);
        app.staticSite(next).commit("after " + fault);
        PushResult push = app.push("master");
        assertTrue(push.ok(), () -> fault + ": the next push failed\n" + push.describe());
        assertEquals(next, octohost.get(name).bodyText(), fault + ": the next push is not served");
        Reliability.fault(test, fault, whatHappened + "; then " + name + " served its last good release, "
                + "every record of the state from before was still there, and the next push was served");
        return next;
    }
}
