package io.octohost.app;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The one rule for the host names an app answers to: {@code APP.DOMAIN} (its default domain) first,
 * then its DOMAINS, sorted and unique.
 */
public record Domains(String base) {
    public Domain defaultDomain(AppName app) {
        return Domain.of(app + "." + base);
    }

    /** Every host name of the app: the default domain first, then the extra ones. */
    public List<String> of(AppName app, Collection<Domain> extra) {
        Domain own = defaultDomain(app);
        List<String> all = new ArrayList<>();
        all.add(own.value());
        new TreeSet<>(extra).stream().filter(d -> !d.equals(own)).forEach(d -> all.add(d.value()));
        return List.copyOf(all);
    }
}
