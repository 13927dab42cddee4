package io.octohost.build;

import java.util.OptionalInt;

/** A built image: its id, and the TCP port to route to, if it exposes any. */
public record BuiltImage(String id, OptionalInt exposedPort) {
}
