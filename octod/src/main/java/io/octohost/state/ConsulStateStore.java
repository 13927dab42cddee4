package io.octohost.state;

import io.octohost.app.UserError;
import org.kiwiproject.consul.Consul;
import org.kiwiproject.consul.ConsulException;
import org.kiwiproject.consul.KeyValueClient;
import org.kiwiproject.consul.model.ConsulResponse;
import org.kiwiproject.consul.model.kv.ImmutableOperation;
import org.kiwiproject.consul.model.kv.Operation;
import org.kiwiproject.consul.model.kv.Value;
import org.kiwiproject.consul.model.kv.Verb;
import org.kiwiproject.consul.option.QueryOptions;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The state in Consul's KV store, octohost's layout unchanged: {@code consul kv get octohost/hello/GREETING}
 * shows what octod stored, and a value put there with {@code consul kv put} is what octod reads.
 * A change is one request to Consul's transaction endpoint ({@code PUT /v1/txn}), so it is applied
 * whole or not at all; values travel base64-encoded and are kept byte-exact.
 *
 * <p>When Consul cannot be reached or refuses a request, every method throws {@link StateUnavailable}. The ACL token (OCTOD_CONSUL_TOKEN) goes in a header and is
 * never part of a message.
 */
public final class ConsulStateStore implements StateStore, AutoCloseable {
    /**
     * The most operations one transaction may hold. Consul 1.14 accepts 128, older agents 64; a
     * change with more is refused rather than split, because split it would not be all-or-nothing.
     */
    public static final int MAX_TXN_OPS = 64;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(15);
    /** How much longer than the blocking wait the read of a blocking query may take. */
    private static final Duration BLOCKING_MARGIN = Duration.ofSeconds(15);

    private final URI url;
    private final Optional<String> token;
    private final Consul consul;
    private final KeyValueClient kv;
    private volatile Consul blocking;

    public ConsulStateStore(URI url, Optional<String> token) {
        this.url = url;
        this.token = token.filter(t -> !t.isBlank());
        this.consul = connect(url, this.token, READ_TIMEOUT);
        this.kv = consul.keyValueClient();
    }

    /**
     * A client of the Consul agent at {@code url}. It does not contact the agent: a Consul that is
     * down at octod's start is not fatal.
     */
    public static Consul connect(URI url, Optional<String> token, Duration readTimeout) {
        Consul.Builder builder = Consul.builder()
                .withUrl(url.toString())
                .withPing(false)
                .withConnectTimeoutMillis(CONNECT_TIMEOUT.toMillis())
                .withReadTimeoutMillis(readTimeout.toMillis())
                .withWriteTimeoutMillis(READ_TIMEOUT.toMillis());
        token.filter(t -> !t.isBlank()).ifPresent(builder::withTokenAuth);
        return builder.build();
    }

    /** The agent's address, for messages. */
    public URI url() {
        return url;
    }

    public Optional<String> token() {
        return token;
    }

    /** Fails with {@link StateUnavailable} unless the agent answers and has a leader. */
    public void ping() {
        call(() -> {
            String leader = consul.statusClient().getLeader();
            if (leader == null || leader.isBlank()) {
                throw new StateUnavailable("Consul at " + url + " has no leader");
            }
            return null;
        });
    }

    @Override
    public Optional<byte[]> get(String key) {
        return call(() -> kv.getValue(key).map(ConsulStateStore::bytes));
    }

    @Override
    public SortedMap<String, byte[]> list(String prefix) {
        return call(() -> toMap(kv.getValues(prefix)));
    }

    /** The keys under a prefix and the index of that answer: the snapshot of one blocking query. */
    public record Snapshot(BigInteger index, SortedMap<String, byte[]> entries) {
    }

    /**
     * A blocking query: returns when something under {@code prefix} changes after {@code index}
     * (0 returns at once), or after about {@code wait} with the same index.
     */
    public Snapshot listBlocking(String prefix, BigInteger index, Duration wait) {
        Consul client = blocking;
        if (client == null) {
            synchronized (this) {
                if (blocking == null) {
                    blocking = connect(url, token, wait.plus(BLOCKING_MARGIN));
                }
                client = blocking;
            }
        }
        KeyValueClient blockingKv = client.keyValueClient();
        QueryOptions options = QueryOptions.blockSeconds((int) Math.max(1, wait.toSeconds()), index).build();
        return call(() -> {
            ConsulResponse<List<Value>> response = blockingKv.getConsulResponseWithValues(prefix, options);
            BigInteger next = response.getIndex() == null ? BigInteger.ZERO : response.getIndex();
            return new Snapshot(next, toMap(response.getResponse()));
        });
    }

    @Override
    public void apply(List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        if (changes.size() > MAX_TXN_OPS) {
            throw new UserError("too many changes at once for Consul: " + changes.size() + " (at most " + MAX_TXN_OPS
                    + " per transaction); split them");
        }
        Base64.Encoder b64 = Base64.getEncoder();
        Operation[] ops = new Operation[changes.size()];
        for (int i = 0; i < ops.length; i++) {
            Change change = changes.get(i);
            ImmutableOperation.Builder op;
            if (change instanceof Change.Put put) {
                ops[i] = new EncodedSet(put.key(), b64.encodeToString(put.value()));
                continue;
            } else if (change instanceof Change.Delete delete) {
                op = Operation.builder(Verb.DELETE).key(delete.key());
            } else if (change instanceof Change.DeletePrefix prefix) {
                op = Operation.builder(Verb.DELETE_TREE).key(prefix.prefix());
            } else {
                throw new IllegalArgumentException("unknown change " + change);
            }
            ops[i] = op.build();
        }
        call(() -> {
            // Consul answers 409 and rolls back when any operation fails: nothing is half-written
            var response = kv.performTransaction(ops).getResponse();
            if (response != null && response.errors() != null && !response.errors().isEmpty()) {
                throw new StateUnavailable("Consul refused the change: " + response.errors().get(0).what().orElse("?"));
            }
            return null;
        });
    }

    private static byte[] bytes(Value value) {
        // Consul answers null for an empty value
        return value.getValueAsBytes().orElseGet(() -> new byte[0]);
    }

    private static SortedMap<String, byte[]> toMap(List<Value> values) {
        TreeMap<String, byte[]> result = new TreeMap<>();
        if (values != null) {
            for (Value v : values) {
                result.put(v.getKey(), bytes(v));
            }
        }
        return result;
    }

    private interface ConsulCall<T> {
        T run();
    }

    private <T> T call(ConsulCall<T> work) {
        try {
            return work.run();
        } catch (UserError e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StateUnavailable(reason(e), e);
        }
    }

    /** Why a request to Consul failed, in a few words, without the token. */
    public String reason(Throwable e) {
        String text;
        Throwable io = e;
        while (io != null && !(io instanceof IOException)) {
            io = io.getCause();
        }
        if (io != null) {
            text = "cannot reach Consul at " + url + " (" + describe(io) + ")";
        } else if (e instanceof ConsulException ce && ce.hasCode() && ce.getCode() == 500 && leaderless(ce)) {
            // an agent whose servers have no leader (electing one, or shutting down) serves no data: as good as down
            text = "cannot reach Consul at " + url + " (no cluster leader)";
        } else if (e instanceof ConsulException ce && ce.hasCode()) {
            text = "Consul at " + url + " answered " + ce.getCode() + " (" + detail(ce) + ")";
        } else {
            text = "Consul at " + url + ": " + describe(e);
        }
        return redact(text);
    }

    private static boolean leaderless(ConsulException e) {
        return detail(e).toLowerCase(java.util.Locale.ROOT).contains("no cluster leader");
    }

    private static String detail(ConsulException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        // a refused transaction: 409 {"Results": null, "Errors": [{"OpIndex": 0, "What": "Permission denied"}]}
        java.util.regex.Matcher what = java.util.regex.Pattern.compile("\"What\"\\s*:\\s*\"([^\"]*)\"").matcher(message);
        if (what.find()) {
            return what.group(1);
        }
        // "Consul request failed with status [403]: Permission denied ..." -> "Permission denied ..."
        int colon = message.indexOf("]: ");
        String rest = colon >= 0 ? message.substring(colon + 3) : message;
        rest = rest.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
        return rest.length() > 200 ? rest.substring(0, 200) + "..." : rest;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return message.lines().findFirst().orElse(message).strip();
    }

    private String redact(String text) {
        String out = text.replace('\n', ' ');
        if (token.isPresent()) {
            out = out.replace(token.get(), "***");
        }
        return out;
    }

    @Override
    public void close() {
        consul.destroy();
        Consul b = blocking;
        if (b != null) {
            b.destroy();
        }
    }
}
