package io.octohost.e2e.api;

import io.octohost.callbacks.KafkaBroker;
import io.octohost.e2e.Content;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Json;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, acceptance 7: an API build of a real octod sends its statuses and its log lines to Kafka
 * topics of a real broker (KRaft, started by the test from the kafka_2.13 artifact, as octod's own
 * KafkaCallbacksTest does), read back with a consumer.
 */
@Tag("docker")
@Tag("kafka")
class KafkaCallbacksE2eTest {
    @RegisterExtension
    static final Octohost octohost = Octohost.withDefaults();
    @RegisterExtension
    static final ApiScenario scenario = new ApiScenario(octohost);
    private static KafkaBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = KafkaBroker.start();
        broker.createTopics("octod-status", "octod-logs");
    }

    @AfterAll
    static void stop() throws IOException {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void statusesAndLogLinesOfAnApiBuildArriveOnKafkaTopics() {
        BuildApi api = scenario.api();
        String admin = scenario.admin();
        octohost.deployed("kfk", Content.unique("kfk v1"));
        String v2 = Content.unique("kfk v2");
        String source = scenario.site("kfk", v2);
        String body = "{\"webhooks\": {\"status\": \"kafka://" + broker.address() + "/octod-status\","
                + " \"logs\": [\"failover(kafka://" + broker.address() + "/octod-logs, kafka://127.0.0.1:9/octod-logs)\"]},"
                + " \"metadata\": \"k1\", \"source\": {\"url\": " + BuildApi.quote(source) + "}}";

        assertEquals(200, api.call("POST", "/v1/shuttle/kfk/k1", admin, body).statusCode());
        assertEquals("succeeded", api.awaitEnd("kfk", "k1", admin, Duration.ofSeconds(120)).get("status"), () -> api.log("kfk", "k1", admin));
        assertEquals(v2, octohost.get("kfk").bodyText());

        List<ConsumerRecord<String, String>> statuses = broker.read("octod-status", got -> got.size() >= 4, Duration.ofSeconds(60));
        assertEquals(List.of("pending", "queued", "building", "succeeded"),
                statuses.stream().map(r -> Json.parse(r.value()).path("status").asText()).toList());
        assertTrue(statuses.stream().allMatch(r -> r.key().equals("kfk/k1")
                && "k1".equals(Json.parse(r.value()).path("id").asText())), statuses::toString);
        List<ConsumerRecord<String, String>> lines = broker.read("octod-logs",
                got -> got.stream().anyMatch(r -> r.value().contains("build succeeded")), Duration.ofSeconds(60));
        assertTrue(lines.stream().anyMatch(r -> r.value().startsWith("-----> Building kfk (")), lines::toString);
        assertTrue(lines.stream().allMatch(r -> r.key().equals("kfk/k1")), lines::toString);
        assertEquals(api.log("kfk", "k1", admin).strip(), String.join("\n", lines.stream().map(ConsumerRecord::value).toList()).strip(),
                "the topic has the whole log, in order");
    }
}
