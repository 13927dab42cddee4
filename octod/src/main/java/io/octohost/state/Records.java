package io.octohost.state;

import io.octohost.app.AppName;
import io.octohost.app.ConfigKeys;
import io.octohost.app.Domain;
import io.octohost.app.Printable;
import io.octohost.app.UserError;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.function.BiConsumer;

/**
 * Every kind of record the state holds, each checked by its keeper with the parser octod reads it
 * with ({@link AppConfigs}, {@link AppClaims}, {@link Releases}, {@link Keys}, and the keepers of
 * higher layers, such as API tokens, given by key prefix). state:import checks each record of its
 * input here, so that nothing it stores breaks a later command or deploy.
 */
public final class Records {
    private final AppConfigs configs;
    private final Map<String, BiConsumer<String, byte[]>> others;

    /** {@code others}: the checks of records kept by higher layers, by key prefix (each throws a UserError saying why). */
    public Records(AppConfigs configs, Map<String, BiConsumer<String, byte[]>> others) {
        this.configs = configs;
        this.others = Map.copyOf(others);
    }

    /** A record that cannot be stored: its key and why. */
    public record Refusal(String key, String reason) {
    }

    /**
     * Fails, saying why, unless octod reads the record as one of its own and it moves no app to
     * another owner ({@code current}: the state now).
     */
    public void check(String key, byte[] value, Map<String, byte[]> current) {
        if (key.startsWith(AppConfigs.PREFIX)) {
            configs.checkRecord(key, value);
        } else if (key.startsWith(AppClaims.APPS) || key.startsWith(AppClaims.MAIN)) {
            AppClaims.checkRecord(key, value, current);
        } else if (key.startsWith(Releases.PREFIX)) {
            Releases.checkRecord(key, value);
        } else if (key.startsWith(Keys.PREFIX)) {
            Keys.checkRecord(key.substring(Keys.PREFIX.length()), value);
        } else if (key.startsWith(Projects.PREFIX)) {
            Projects.checkRecord(key, value);
        } else if (key.equals(Deliveries.KEY)) {
            Deliveries.checkRecord(value);
        } else {
            others.entrySet().stream().filter(e -> key.startsWith(e.getKey())).findFirst()
                    .orElseThrow(() -> new UserError("octod keeps no such record")).getValue().accept(key, value);
        }
    }

    /** The first DOMAINS record of {@code state} (in key order) naming a domain an app before it has too. */
    public Optional<Refusal> sharedDomain(SortedMap<String, byte[]> state) {
        Map<Domain, AppName> holders = new HashMap<>();
        String suffix = "/" + ConfigKeys.DOMAINS;
        for (Map.Entry<String, byte[]> e : state.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(AppConfigs.PREFIX) || !key.endsWith(suffix)) {
                continue;
            }
            AppName app = AppName.of(key.substring(AppConfigs.PREFIX.length(), key.length() - suffix.length()));
            for (Domain d : ConfigKeys.parseDomains(new String(e.getValue(), StandardCharsets.UTF_8))) {
                AppName other = holders.putIfAbsent(d, app);
                if (other != null && !other.equals(app)) {
                    return Optional.of(new Refusal(key, "domain " + Printable.of(d.value()) + " belongs to app " + other));
                }
            }
        }
        return Optional.empty();
    }
}
