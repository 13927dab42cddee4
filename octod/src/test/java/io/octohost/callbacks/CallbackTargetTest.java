package io.octohost.callbacks;

import io.octohost.app.Credentials;
import io.octohost.app.UserError;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Seed 004's webhook URLs: http(s) with user info as basic auth, kafka:// and failover(kafka://...). */
class CallbackTargetTest {
    @Test
    void httpUserInfoBecomesCredentialsAndLeavesTheUrl() {
        CallbackTarget.Http h = (CallbackTarget.Http) CallbackTarget.parse("https://user:pass@example.com");
        assertEquals(URI.create("https://example.com"), h.url());
        assertEquals(Optional.of(new Credentials("user", "pass")), h.credentials());
        assertEquals("https://example.com", h.describe());
        assertFalse(h.toString().contains("pass"), h.toString());
        CallbackTarget.Http token = (CallbackTarget.Http) CallbackTarget.parse("http://token@127.0.0.1:9/hook?b=1");
        assertEquals(URI.create("http://127.0.0.1:9/hook?b=1"), token.url());
        assertEquals(Optional.of(new Credentials("token", "")), token.credentials());
    }

    @Test
    void kafkaTopicsAndFailoverAcrossBrokers() {
        assertEquals(new CallbackTarget.Kafka(List.of("10.0.0.1:9092"), "buildlogs"), CallbackTarget.parse("kafka://10.0.0.1:9092/buildlogs"));
        CallbackTarget failover = CallbackTarget.parse(
                "failover(kafka://10.0.0.1:9092/buildlogs, kafka://10.0.0.2:9092/buildlogs, kafka://10.0.0.3:9092/buildlogs)");
        assertEquals(new CallbackTarget.Kafka(List.of("10.0.0.1:9092", "10.0.0.2:9092", "10.0.0.3:9092"), "buildlogs"), failover);
        assertEquals("failover(kafka://10.0.0.1:9092/buildlogs, kafka://10.0.0.2:9092/buildlogs, kafka://10.0.0.3:9092/buildlogs)",
                failover.describe());
    }

    @Test
    void badTargetsAreRefusedWithoutCredentials() {
        for (String bad : new String[] {"ftp://u:pw@x/", "kafka://x/topic", "kafka://x:1/", "kafka://u:pw@x:1/t",
                "failover(kafka://a:1/t, kafka://b:1/u)", "https://u:pw@", ""}) {
            UserError e = assertThrows(UserError.class, () -> CallbackTarget.parse(bad), bad);
            assertFalse(e.getMessage().contains("pw"), e.getMessage());
        }
    }
}
