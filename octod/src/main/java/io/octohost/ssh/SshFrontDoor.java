package io.octohost.ssh;

import io.octohost.auth.Principal;
import io.octohost.command.Commands;
import io.octohost.git.GitReceiver;
import io.octohost.state.Keys;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.channel.RequestHandler;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.channel.ChannelSessionFactory;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * The SSH server: public keys from octod's key list only, and exec requests only. Shells, PTYs,
 * forwarding of ports, agents and X11, and subsystems (sftp) are all refused.
 */
public final class SshFrontDoor implements AutoCloseable {
    static final AttributeRepository.AttributeKey<Principal> CALLER = new AttributeRepository.AttributeKey<>();
    private static final Logger log = LoggerFactory.getLogger(SshFrontDoor.class);
    private final SshServer server;

    /**
     * The server with its address and host key, and nothing let in yet: the costly part of the set-up
     * (the crypto providers, reading or making the host key), which octod does while it connects to Docker.
     */
    public static SshServer prepare(InetSocketAddress listen, Path hostKey) {
        SshServer server = SshServer.setUpDefaultServer();
        server.setHost(listen.getHostString());
        server.setPort(listen.getPort());
        SimpleGeneratorHostKeyProvider hostKeys = new SimpleGeneratorHostKeyProvider(hostKey);
        hostKeys.setAlgorithm("EC");
        hostKeys.setKeySize(256);
        hostKeys.loadKeys(null);
        server.setKeyPairProvider(hostKeys);
        // OpenSSH clients pick sntrup761x25519 when offered, and MINA's Java implementation of it cost
        // ~0.25 s of every connection (BENCHMARKS.md): without it they pick curve25519-sha256
        server.setKeyExchangeFactories(server.getKeyExchangeFactories().stream()
                .filter(kex -> !kex.getName().startsWith("sntrup761")).toList());
        return server;
    }

    public SshFrontDoor(SshServer prepared, Keys keys, GitReceiver receiver, Commands commands) {
        server = prepared;
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setGSSAuthenticator(null);
        server.setHostBasedAuthenticator(null);
        server.setPublickeyAuthenticator((username, offered, session) -> keys.find(offered).map(key -> {
            session.setAttribute(CALLER, Principal.key(key.name(), key.role()));
            return true;
        }).orElseGet(() -> {
            log.info("refused an unknown key from {}", session.getClientAddress());
            return false;
        }));
        server.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
        server.setShellFactory(null);
        server.setSubsystemFactories(List.of());
        server.setChannelFactories(List.<ChannelFactory>of(new NoPtyChannelFactory()));
        server.setCommandFactory(new ExecCommands(receiver, commands));
    }

    public void start() throws IOException {
        server.start();
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }

    /** Session channels that refuse a PTY: octod runs no interactive programs. */
    private static final class NoPtyChannelFactory extends ChannelSessionFactory {
        @Override
        public Channel createChannel(Session session) {
            return new ChannelSession() {
                @Override
                protected RequestHandler.Result handlePtyReq(Buffer buffer, boolean wantReply) {
                    return RequestHandler.Result.ReplyFailure;
                }
            };
        }
    }
}
