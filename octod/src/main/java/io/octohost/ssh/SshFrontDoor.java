package io.octohost.ssh;

import io.octohost.app.UserError;
import io.octohost.app.Utf8;
import io.octohost.auth.Principal;
import io.octohost.command.Commands;
import io.octohost.git.GitReceiver;
import io.octohost.state.Keys;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.channel.RequestHandler;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.session.helpers.AbstractConnectionService;
import org.apache.sshd.core.CoreModuleProperties;
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
    /** On a channel whose exec command was not UTF-8: the error to answer it with. */
    static final AttributeRepository.AttributeKey<UserError> NOT_UTF8 = new AttributeRepository.AttributeKey<>();
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

    public SshFrontDoor(SshServer prepared, SshLimits limits, Keys keys, GitReceiver receiver, Commands commands) {
        server = prepared;
        CoreModuleProperties.MAX_AUTH_REQUESTS.set(server, limits.maxAuthAttempts());
        CoreModuleProperties.AUTH_TIMEOUT.set(server, limits.handshakeTimeout());
        CoreModuleProperties.IDLE_TIMEOUT.set(server, limits.idleTimeout());
        // the handshake and git's side-band are small writes: with Nagle one can wait for the
        // client's delayed ACK (~40 ms, seen on a loaded machine); the client's side, QuickAckTransport
        CoreModuleProperties.TCP_NODELAY.set(server, true);
        server.setIoServiceFactoryFactory(new QuickAckTransport());
        server.setIoServiceEventListener(new ConnectionRate(limits.maxConnectionsPerMinute()));
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setGSSAuthenticator(null);
        server.setHostBasedAuthenticator(null);
        server.setPublickeyAuthenticator((username, offered, session) -> keys.find(offered).map(key -> {
            session.setAttribute(CALLER, Principal.key(key.name(), key.role(), key.apps()));
            return true;
        }).orElseGet(() -> {
            log.info("refused an unknown key from {}", session.getClientAddress());
            return false;
        }));
        server.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
        server.setShellFactory(null);
        server.setSubsystemFactories(List.of());
        server.setChannelFactories(List.<ChannelFactory>of(new NoPtyChannelFactory(limits.maxSessions())));
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

    /**
     * Session channels that refuse a PTY (octod runs no interactive programs), that note an exec
     * request whose command is not UTF-8 (decoded, its bytes would silently become U+FFFD), and of
     * which one connection may have {@code maxSessions} open: one more is refused on its own (MINA's
     * own limit would close the whole connection).
     */
    private static final class NoPtyChannelFactory extends ChannelSessionFactory {
        private final int maxSessions;

        NoPtyChannelFactory(int maxSessions) {
            this.maxSessions = maxSessions;
        }

        @Override
        public Channel createChannel(Session session) {
            return new ChannelSession() {
                @Override
                protected OpenFuture doInit(Buffer buffer) {
                    long open = ((AbstractConnectionService) service).getChannels().stream()
                            .filter(c -> c instanceof ChannelSession && c.isOpen()).count();
                    if (open > maxSessions) {
                        DefaultOpenFuture refused = new DefaultOpenFuture(this, new Object());
                        refused.setException(new SshChannelOpenException(getChannelId(), SshConstants.SSH_OPEN_RESOURCE_SHORTAGE,
                                "at most " + maxSessions + " sessions per connection (--ssh-max-sessions)"));
                        return refused;
                    }
                    return super.doInit(buffer);
                }

                @Override
                protected RequestHandler.Result handlePtyReq(Buffer buffer, boolean wantReply) {
                    return RequestHandler.Result.ReplyFailure;
                }

                @Override
                protected RequestHandler.Result handleExec(String request, Buffer buffer, boolean wantReply) throws IOException {
                    int start = buffer.rpos();
                    byte[] command = buffer.getBytes();
                    buffer.rpos(start);
                    try {
                        Utf8.decode(command, "the command");
                    } catch (UserError e) {
                        setAttribute(NOT_UTF8, e);
                    }
                    return super.handleExec(request, buffer, wantReply);
                }
            };
        }
    }
}
