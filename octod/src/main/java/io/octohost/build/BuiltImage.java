package io.octohost.build;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.InternetProtocol;

import java.util.Arrays;
import java.util.OptionalInt;

/** An image to run, built or pulled: its id, and the TCP port to route to, if it exposes any. */
public record BuiltImage(String id, OptionalInt exposedPort) {
    /** The image as the engine has it; the lowest exposed TCP port (Docker keeps exposed ports unordered). */
    public static BuiltImage inspect(DockerClient docker, String image) {
        var inspected = docker.inspectImageCmd(image).exec();
        ExposedPort[] ports = inspected.getConfig() == null ? null : inspected.getConfig().getExposedPorts();
        return new BuiltImage(inspected.getId(), ports == null ? OptionalInt.empty()
                : Arrays.stream(ports).filter(p -> p.getProtocol() == InternetProtocol.TCP).mapToInt(ExposedPort::getPort).min());
    }
}
