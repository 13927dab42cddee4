package io.octohost.command;

import io.octohost.state.Role;

/** Who runs a command: a named SSH key with its role, or the local admin on the API socket. */
public record Caller(String name, Role role) {
    public static final Caller LOCAL = new Caller("local", Role.ADMIN);
}
