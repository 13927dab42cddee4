package io.octohost.e2e.hardening;

import io.octohost.e2e.Octohost;
import io.octohost.e2e.cli.Cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a refused input must leave as it was: the whole state (state:export, byte for byte), this
 * octod's images, the nginx routes, and each app's containers and what it serves.
 */
record Snapshot(String state, Set<String> images, String routes, Map<String, List<String>> containers,
                Map<String, String> served) {

    static Snapshot of(Octohost octohost, List<String> apps) {
        String state = Cli.octo(octohost, "state:export").orFail().stdout();
        Map<String, List<String>> containers = new LinkedHashMap<>();
        Map<String, String> served = new LinkedHashMap<>();
        for (String app : apps) {
            containers.put(app, octohost.containers(app).stream().sorted().toList());
            served.put(app, octohost.get(app).status() + " " + octohost.get(app).bodyText());
        }
        return new Snapshot(state, octohost.images(), octohost.routes(), containers, served);
    }
}
