package io.octohost.run.docker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Container;
import io.octohost.app.Backend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Where a container is reached, read from the engine's list of containers (GET /containers/json) alone. */
class ListedContainerTest {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** One entry as Docker 20.10 lists it: the port published on the loopback, and the bridge address. */
    private static Container listed(String ports, String networks) throws Exception {
        return JSON.readValue("""
                {"Id": "4f1c0ffee", "Names": ["/hello.mx80.1"], "State": "running",
                 "Ports": %s, "NetworkSettings": {"Networks": %s}}""".formatted(ports, networks), Container.class);
    }

    @Test
    void theLoopbackPortOfTheContainerPortAndTheBridgeAddress() throws Exception {
        Container c = listed("""
                [{"PrivatePort": 9000, "Type": "tcp"},
                 {"IP": "127.0.0.1", "PrivatePort": 80, "PublicPort": 32771, "Type": "udp"},
                 {"IP": "127.0.0.1", "PrivatePort": 80, "PublicPort": 32770, "Type": "tcp"}]""",
                """
                {"bridge": {"IPAddress": "172.17.0.5"}}""");
        assertEquals(new Backend("4f1c0ffee", "hello.mx80.1", "172.17.0.5", 80, "127.0.0.1", 32770),
                DockerContainerRunner.backendOf(c, "hello.mx80.1", 80));
    }

    @Test
    void noPortPublishedOnTheLoopbackAndNoAddressReadAsNone() throws Exception {
        Container c = listed("""
                [{"IP": "0.0.0.0", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"}]""", "{\"none\": {\"IPAddress\": \"\"}}");
        assertEquals(new Backend("4f1c0ffee", "hello.mx80.1", "", 80, "127.0.0.1", 0),
                DockerContainerRunner.backendOf(c, "hello.mx80.1", 80));
    }
}
