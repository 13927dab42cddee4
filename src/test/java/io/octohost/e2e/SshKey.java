package io.octohost.e2e;

import java.nio.file.Path;

/** An ed25519 key pair made with ssh-keygen; {@code privateKey} is the file for {@code ssh -i}. */
public record SshKey(String name, Path privateKey, Path publicKey) {
}
