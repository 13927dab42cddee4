package io.octohost.callbacks;

import io.octohost.app.Credentials;
import io.octohost.app.UserError;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a build's status or log goes (seed 004): {@code http(s)://[user:pass@|token@]host/...}, whose
 * user info becomes basic auth, or a Kafka topic, {@code kafka://host:port/topic}, or several brokers of
 * one cluster, {@code failover(kafka://a:9092/topic, kafka://b:9092/topic)}; or a GitHub commit status.
 */
public sealed interface CallbackTarget {
    /** The target as it may be logged: no credentials. */
    String describe();

    /** An HTTP receiver: the URL without user info, and the credentials that were in it. */
    record Http(URI url, Optional<Credentials> credentials) implements CallbackTarget {
        @Override
        public String describe() {
            return url.toString();
        }
    }

    /** A Kafka topic, with the brokers to bootstrap from (more than one: failover). */
    record Kafka(List<String> brokers, String topic) implements CallbackTarget {
        public Kafka {
            brokers = List.copyOf(brokers);
        }

        @Override
        public String describe() {
            return brokers.size() == 1 ? "kafka://" + brokers.get(0) + "/" + topic
                    : "failover(" + String.join(", ", brokers.stream().map(b -> "kafka://" + b + "/" + topic).toList()) + ")";
        }
    }

    /**
     * A GitHub commit status of one commit (seed 002), posted with the project's token; made by octod
     * for a webhook build, never parsed from a request.
     */
    record GithubStatus(String repo, String sha, String token, URI targetUrl) implements CallbackTarget {
        @Override
        public String describe() {
            return "GitHub status of " + repo + "@" + sha.substring(0, Math.min(7, sha.length()));
        }

        @Override
        public String toString() {
            return describe();
        }
    }

    Pattern FAILOVER = Pattern.compile("failover\\((.*)\\)", Pattern.DOTALL);
    Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    /** Parses a callback URL; a UserError says what is wrong with it, without repeating credentials. */
    static CallbackTarget parse(String text) {
        String s = text == null ? "" : text.strip();
        Matcher failover = FAILOVER.matcher(s);
        if (failover.matches()) {
            List<String> brokers = new ArrayList<>();
            String topic = null;
            for (String part : failover.group(1).split(",")) {
                Kafka one = kafka(part.strip());
                if (topic != null && !topic.equals(one.topic())) {
                    throw new UserError("failover(...) names two topics, '" + topic + "' and '" + one.topic() + "': give one");
                }
                topic = one.topic();
                brokers.addAll(one.brokers());
            }
            return new Kafka(brokers, topic);
        }
        if (s.startsWith("kafka://")) {
            return kafka(s);
        }
        URI uri = uri(s);
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new UserError("'" + Credentials.redact(s) + "' is not an http(s)://, kafka:// or failover(kafka://...) URL");
        }
        return new Http(Credentials.strip(uri, uri.getScheme().toLowerCase(java.util.Locale.ROOT)), Credentials.of(uri));
    }

    private static Kafka kafka(String s) {
        URI uri = uri(s);
        String topic = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (!"kafka".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 1 || uri.getRawUserInfo() != null
                || !TOPIC.matcher(topic).matches()) {
            throw new UserError("'" + Credentials.redact(s) + "' is not kafka://HOST:PORT/TOPIC");
        }
        return new Kafka(List.of(uri.getHost() + ":" + uri.getPort()), topic);
    }

    private static URI uri(String s) {
        try {
            return new URI(s);
        } catch (URISyntaxException e) {
            throw new UserError("'" + Credentials.redact(s) + "' is not a valid URL");
        }
    }
}
