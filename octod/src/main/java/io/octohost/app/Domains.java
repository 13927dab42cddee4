package io.octohost.app;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The one rule for the host names an app answers to: {@code APP.DOMAIN} (its default domain) first,
 * then its DOMAINS, sorted and unique; and which names an app may claim at all.
 */
public record Domains(String base) {
    /** A host name no app can have (.invalid is reserved): nginx answers octod's probes there. */
    public static final String PROBE_HOST = "octohost-probe.invalid";

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

    /** The app whose default name this is ({@code APP.DOMAIN} is reserved for APP, pushed or not). */
    public Optional<AppName> reservedFor(Domain domain) {
        String suffix = "." + base;
        String name = domain.value();
        if (!name.endsWith(suffix)) {
            return Optional.empty();
        }
        String label = name.substring(0, name.length() - suffix.length());
        try {
            return label.contains(".") ? Optional.empty() : Optional.of(AppName.of(label));
        } catch (UserError e) {
            return Optional.empty();
        }
    }

    /**
     * Fails, saying why, unless {@code app} may claim the domain: never the probe host, a bare
     * top-level domain, an IP address, a loopback name, a wildcard above the second level or one
     * that covers the apps' default names, nor another app's default name.
     */
    public void checkClaimable(AppName app, Domain domain) {
        String name = domain.value();
        boolean wildcard = name.startsWith("*.");
        String rest = wildcard ? name.substring(2) : name;
        String[] labels = rest.split("\\.");
        String why = null;
        if (name.equals(PROBE_HOST)) {
            why = "is octod's probe host";
        } else if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            why = "is an IP address, not a host name";
        } else if (rest.equals("localhost") || rest.endsWith(".localhost") && reservedFor(domain).isEmpty()) {
            why = "is a loopback name";
        } else if (labels.length < 2) {
            why = wildcard ? "is a wildcard above the second level" : "is a bare top-level domain";
        } else if (wildcard && (rest.equals(base) || base.endsWith("." + rest))) {
            why = "covers the default name of every app (APP." + base + ")";
        } else {
            Optional<AppName> owner = reservedFor(domain).filter(a -> !a.equals(app));
            if (owner.isPresent()) {
                why = "is the default name of app " + owner.get();
            }
        }
        if (why != null) {
            throw new UserError("domain " + name + " " + why + ": it cannot be an app's domain");
        }
    }
}
