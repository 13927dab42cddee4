package io.octohost.callbacks;

import com.fasterxml.jackson.databind.JsonNode;
import io.octohost.app.Credentials;
import io.octohost.app.UserError;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;

import io.octohost.github.CommitStatuses;
import io.octohost.github.GithubApi;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Where builds report: makes the status and log receivers of one build from its callback targets.
 * One HTTP client and one Kafka producer per set of brokers, shared by all builds.
 */
public final class Callbacks implements AutoCloseable {
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_QUEUED_LINES = 10_000;
    private final Duration retryFor;
    private final URI githubApi;
    private final Map<String, KafkaProducer<String, String>> producers = new ConcurrentHashMap<>();
    /** Made by the first build with an HTTP or GitHub callback, not at octod's start: Jetty's client loads, starts threads, sets up TLS. */
    private HttpClient http;
    private CommitStatuses github;

    /** @param retryFor how long one status is retried against a failing receiver before it is given up */
    public Callbacks(Duration retryFor) {
        this(retryFor, URI.create("https://api.github.com"));
    }

    /** @param githubApi where GitHub commit statuses go (--github-api-url) */
    public Callbacks(Duration retryFor, URI githubApi) {
        this.retryFor = retryFor;
        this.githubApi = GithubApi.checked(githubApi);
    }

    private synchronized HttpClient http() {
        if (http == null) {
            HttpClient client = new HttpClient();
            QueuedThreadPool threads = new QueuedThreadPool();
            threads.setName("callbacks-http");
            threads.setDaemon(true);
            client.setExecutor(threads);
            client.setConnectTimeout(REQUEST_TIMEOUT.toMillis());
            client.setFollowRedirects(false);
            try {
                client.start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the callbacks' HTTP client", e);
            }
            github = new GithubApi(client, githubApi, REQUEST_TIMEOUT);
            http = client;
        }
        return http;
    }

    private synchronized CommitStatuses github() {
        http();
        return github;
    }

    /**
     * The callbacks of one build; {@code buildKey} ("app/id") names it in logs and keys its Kafka
     * records, {@code metadata} is echoed as the status body's {@code id}. A Kafka target whose
     * brokers cannot be resolved fails here, before any receiver hears of the build.
     * @throws UserError naming the Kafka target that cannot be used
     */
    public BuildCallbacks open(String buildKey, JsonNode metadata, List<CallbackTarget> status, List<CallbackTarget> logs) {
        Stream.concat(status.stream(), logs.stream()).filter(t -> t instanceof CallbackTarget.Kafka)
                .forEach(t -> producer((CallbackTarget.Kafka) t));
        List<StatusSink> statusSinks = status.stream().map(this::statusSink).toList();
        List<LogSink> logSinks = logs.stream().map(t -> logSink(t, buildKey)).toList();
        return new BuildCallbacks(buildKey, metadata, statusSinks, logSinks, retryFor, daemon("callbacks-" + buildKey));
    }

    private StatusSink statusSink(CallbackTarget target) {
        if (target instanceof CallbackTarget.Http h) {
            return new HttpStatusSink(http(), h, REQUEST_TIMEOUT);
        }
        if (target instanceof CallbackTarget.GithubStatus g) {
            return new CommitStatusSink(github(), g);
        }
        CallbackTarget.Kafka k = (CallbackTarget.Kafka) target;
        return KafkaSinks.status(producer(k), k, REQUEST_TIMEOUT);
    }

    private LogSink logSink(CallbackTarget target, String buildKey) {
        if (target instanceof CallbackTarget.Http h) {
            return new HttpLogSink(http(), h, buildKey, MAX_QUEUED_LINES);
        }
        CallbackTarget.Kafka k = (CallbackTarget.Kafka) target;
        return KafkaSinks.log(producer(k), k, buildKey);
    }

    private KafkaProducer<String, String> producer(CallbackTarget.Kafka target) {
        try {
            return producers.computeIfAbsent(String.join(",", target.brokers()), this::newProducer);
        } catch (KafkaException e) {
            throw new UserError("cannot publish to " + target.describe() + ": " + reason(e));
        }
    }

    private KafkaProducer<String, String> newProducer(String brokers) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.CLIENT_ID_CONFIG, "octod",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) REQUEST_TIMEOUT.toMillis(),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) retryFor.toMillis() + 2 * (int) REQUEST_TIMEOUT.toMillis(),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) REQUEST_TIMEOUT.toMillis(),
                ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new StringSerializer());
    }

    @Override
    public void close() {
        producers.values().forEach(p -> p.close(REQUEST_TIMEOUT));
        HttpClient client;
        synchronized (this) {
            client = http;
        }
        try {
            if (client != null) {
                client.stop();
            }
        } catch (Exception e) {
            // stopping: nothing left to do about it
        }
    }

    /** Why a delivery failed, in one line, without credentials. */
    static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && (root instanceof java.util.concurrent.CompletionException
                || root instanceof java.util.concurrent.ExecutionException)) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return Credentials.redact(message.lines().findFirst().orElse(message));
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
