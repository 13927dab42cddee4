package io.octohost.deploy;

import io.octohost.app.ConfigKeys;
import io.octohost.app.Domain;
import io.octohost.app.SourceTree;
import io.octohost.app.UserError;
import io.octohost.state.AppConfigs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/** Adds the domains of the pushed tree's CNAME file (one per line, # comments) to the app's DOMAINS, as octohost did. */
final class Cname implements ConfigEdit {
    private final SourceTree tree;
    private final AppConfigs configs;
    private final io.octohost.app.AppName app;

    Cname(io.octohost.app.AppName app, SourceTree tree, AppConfigs configs) {
        this.app = app;
        this.tree = tree;
        this.configs = configs;
    }

    @Override
    public SortedMap<String, String> apply(SortedMap<String, String> own) {
        Optional<byte[]> cname = tree.file("CNAME");
        if (cname.isEmpty()) {
            return own;
        }
        List<Domain> added = new ArrayList<>();
        for (String line : new String(cname.get(), StandardCharsets.UTF_8).split("\n")) {
            String text = line.strip();
            if (!text.isEmpty() && !text.startsWith("#")) {
                try {
                    added.add(Domain.of(text));
                } catch (UserError e) {
                    throw new UserError("CNAME: " + e.getMessage());
                }
            }
        }
        configs.checkDomainsFree(app, added);
        TreeSet<Domain> all = new TreeSet<>(ConfigKeys.domains(own));
        all.addAll(added);
        SortedMap<String, String> next = new TreeMap<>(own);
        next.put(ConfigKeys.DOMAINS, ConfigKeys.formatDomains(all));
        return next;
    }
}
