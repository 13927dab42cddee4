package io.octohost.callbacks;

import com.fasterxml.jackson.databind.node.TextNode;
import io.octohost.app.BuildStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Status and log callbacks to Kafka topics, on a real broker started by the test, read back with a consumer. */
@Tag("kafka")
class KafkaCallbacksTest {
    private static KafkaBroker broker;
    private static Callbacks callbacks;

    @BeforeAll
    static void startBroker() throws Exception {
        long t0 = System.nanoTime();
        broker = KafkaBroker.start();
        System.out.println("kafka broker at " + broker.address() + " started in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        callbacks = new Callbacks(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (callbacks != null) {
            callbacks.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** Every record of the topic (key, value), read from the start until {@code count} came or the time is up. */
    private static List<ConsumerRecord<String, String>> read(String topic, int count) {
        return broker.read(topic, got -> got.size() >= count, Duration.ofSeconds(30));
    }

    @Test
    void statusesAndLogLinesArriveOnTheirTopicsInOrder() throws Exception {
        String address = broker.address();
        BuildCallbacks build = callbacks.open("shop/k1", TextNode.valueOf("deploymentt-namespacce"),
                List.of(CallbackTarget.parse("kafka://" + address + "/buildstatus")),
                List.of(CallbackTarget.parse("kafka://" + address + "/buildlogs")));
        List<BuildStatus> statuses = List.of(BuildStatus.PENDING, BuildStatus.QUEUED, BuildStatus.BUILDING, BuildStatus.SUCCEEDED);
        build.status(statuses.get(0));
        build.status(statuses.get(1));
        build.status(statuses.get(2));
        for (int i = 1; i <= 5; i++) {
            build.line("Step " + i + "/5");
        }
        build.status(statuses.get(3));
        build.close();
        assertTrue(build.awaitDelivered(Duration.ofSeconds(60)));

        List<ConsumerRecord<String, String>> status = read("buildstatus", 4);
        assertEquals(statuses.stream().map(s -> "{\"id\":\"deploymentt-namespacce\",\"type\":\"octohost\",\"building\":"
                + s.building() + ",\"status\":\"" + s.label() + "\"}").toList(), status.stream().map(ConsumerRecord::value).toList());
        status.forEach(r -> assertEquals("shop/k1", r.key()));
        List<ConsumerRecord<String, String>> logs = read("buildlogs", 5);
        assertEquals(List.of("Step 1/5", "Step 2/5", "Step 3/5", "Step 4/5", "Step 5/5"), logs.stream().map(ConsumerRecord::value).toList());
    }

    @Test
    void failoverReachesTheBrokerThatAnswers() throws Exception {
        BuildCallbacks build = callbacks.open("shop/k2", TextNode.valueOf("m"),
                List.of(CallbackTarget.parse("failover(kafka://127.0.0.1:1/failover, kafka://" + broker.address() + "/failover)")), List.of());
        build.status(BuildStatus.FAILED);
        build.close();
        assertTrue(build.awaitDelivered(Duration.ofSeconds(60)));
        List<ConsumerRecord<String, String>> got = read("failover", 1);
        assertEquals(1, got.size());
        assertTrue(got.get(0).value().contains("\"status\":\"failed\""), got.get(0).value());
    }

    @Test
    void brokersThatCannotBeResolvedAreRefusedBeforeAnyReceiverHearsOfTheBuild() {
        io.octohost.app.UserError e = org.junit.jupiter.api.Assertions.assertThrows(io.octohost.app.UserError.class,
                () -> callbacks.open("shop/b1", TextNode.valueOf("m"), List.of(CallbackTarget.parse("https://ci.invalid/status")),
                        List.of(CallbackTarget.parse("kafka://no-such-broker.invalid:9092/logs"))));
        assertTrue(e.getMessage().startsWith("cannot publish to kafka://no-such-broker.invalid:9092/logs: "), e.getMessage());
    }
}
