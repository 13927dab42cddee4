package io.octohost.ssh;

import jdk.net.ExtendedSocketOptions;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.io.IoHandler;
import org.apache.sshd.common.io.IoServiceFactory;
import org.apache.sshd.common.io.nio2.Nio2CompletionHandler;
import org.apache.sshd.common.io.nio2.Nio2Service;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactory;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactoryFactory;
import org.apache.sshd.common.io.nio2.Nio2Session;
import org.apache.sshd.common.util.Readable;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;

/**
 * MINA's NIO2 transport, with each read acknowledged at once (Linux's TCP_QUICKACK). An SSH client
 * writes some of its messages two in a row (KEXINIT then its key exchange, NEWKEYS then its service
 * request) and, with Nagle's algorithm on as OpenSSH leaves it for non-interactive sessions, holds the
 * second until the first is acknowledged. The server has nothing to answer the first with, so its
 * kernel delays the ACK (~40 ms): every connection paid that once (BENCHMARKS.md).
 */
final class QuickAckTransport extends Nio2ServiceFactoryFactory {
    @Override
    public IoServiceFactory create(FactoryManager manager) {
        return new Nio2ServiceFactory(manager, newExecutor(), newExecutor()) {
            @Override
            public Nio2Session createSession(Nio2Service service, IoHandler handler, AsynchronousSocketChannel socket,
                                             SocketAddress acceptanceAddress) throws Throwable {
                return new QuickAckSession(service, getFactoryManager(), handler, socket, acceptanceAddress);
            }
        };
    }

    private static final class QuickAckSession extends Nio2Session {
        QuickAckSession(Nio2Service service, FactoryManager manager, IoHandler handler, AsynchronousSocketChannel socket,
                        SocketAddress acceptanceAddress) throws IOException {
            super(service, manager, handler, socket, acceptanceAddress);
        }

        @Override
        protected void handleReadCycleCompletion(ByteBuffer buffer, Readable bufReader, Nio2CompletionHandler<Integer, Object> handler,
                                                 Integer result, Object attachment) {
            try {
                // sends the ACK the kernel is holding for what was just read; not sticky, so after every read
                getSocket().setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
            } catch (IOException | UnsupportedOperationException e) {
                // a closed socket, or a kernel without the option: the ACK just comes later
            }
            super.handleReadCycleCompletion(buffer, bufReader, handler, result, attachment);
        }
    }
}
