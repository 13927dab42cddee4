package io.octohost.cli;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.ByteChannel;
import java.nio.channels.Channels;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The API socket protocol between octo and octod: frames of {@code type(1) length(4) payload}.
 * The client sends ARGV once, then STDIN/STDIN_EOF if octod asks with NEED_STDIN; octod sends
 * STDOUT and STDERR as the command writes them, and EXIT last. Any octo command fits.
 * Reads and writes go straight to the channel: its stream adapters share one lock and deadlock
 * when one thread reads while another writes. Over HTTP ({@code POST /v1/commands}) the same frames
 * travel in the request body (ARGV, then all of stdin) and the response body.
 */
public final class Frames {
    public static final byte ARGV = 'A';
    public static final byte STDIN = 'I';
    public static final byte STDIN_EOF = 'E';
    public static final byte NEED_STDIN = 'N';
    public static final byte STDOUT = 'O';
    public static final byte STDERR = 'R';
    public static final byte EXIT = 'X';
    /** The largest frame octod reads: an ARGV (octo's arguments) or a chunk of stdin (8 KiB from octo). */
    public static final int MAX_CLIENT_FRAME = 1 << 20;
    /** The largest frame octo reads: a command's output comes in chunks. */
    private static final int MAX_SERVER_FRAME = 16 << 20;

    private final ReadableByteChannel reads;
    private final WritableByteChannel writes;
    /** A stream under {@code writes} that buffers: flushed after each frame, so the reader sees output as it comes. */
    private final OutputStream flushed;
    private final Object writeLock = new Object();

    public Frames(ByteChannel channel) {
        this.reads = channel;
        this.writes = channel;
        this.flushed = null;
    }

    /** Frames read from one stream and written to another (an HTTP request and response; null: that side is not used). */
    public Frames(InputStream in, OutputStream out) {
        this.reads = in == null ? null : Channels.newChannel(in);
        this.writes = out == null ? null : Channels.newChannel(out);
        this.flushed = out;
    }

    /** A received frame. */
    public record Frame(byte type, byte[] payload) {
    }

    public void write(byte type, byte[] payload, int offset, int length) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(5).put(type).putInt(length).flip();
        ByteBuffer body = ByteBuffer.wrap(payload, offset, length);
        synchronized (writeLock) {
            if (writes instanceof GatheringByteChannel socket) {
                while (header.hasRemaining() || body.hasRemaining()) {
                    socket.write(new ByteBuffer[] {header, body});
                }
            }
            while (header.hasRemaining()) {
                writes.write(header);
            }
            while (body.hasRemaining()) {
                writes.write(body);
            }
            if (flushed != null) {
                flushed.flush();
            }
        }
    }

    public void write(byte type, byte[] payload) throws IOException {
        write(type, payload, 0, payload.length);
    }

    /** An output stream whose writes go out as frames of this type (a command's stdout or stderr). */
    public OutputStream output(byte type) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (len > 0) {
                    Frames.this.write(type, b, off, len);
                }
            }
        };
    }

    public void writeExit(int code) throws IOException {
        write(EXIT, ByteBuffer.allocate(4).putInt(code).array());
    }

    public void writeArgv(List<String> argv) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(4 + argv.stream().mapToInt(a -> 4 + a.getBytes(StandardCharsets.UTF_8).length).sum());
        out.putInt(argv.size());
        for (String arg : argv) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            out.putInt(bytes.length).put(bytes);
        }
        write(ARGV, out.array());
    }

    /**
     * The arguments of an ARGV frame. Every count and length is checked against what the frame
     * holds before anything is allocated, and each argument must be UTF-8.
     * @throws IOException saying what is wrong with the frame
     */
    public static List<String> decodeArgv(byte[] payload) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(payload);
        int count = in.remaining() >= 4 ? in.getInt() : -1;
        if (count < 0 || count > in.remaining() / 4) {
            throw new IOException("bad ARGV frame: " + count + " arguments in " + payload.length + " bytes");
        }
        List<String> argv = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = in.remaining() >= 4 ? in.getInt() : -1;
            if (length < 0 || length > in.remaining()) {
                throw new IOException("bad ARGV frame: argument " + (i + 1) + " of " + length + " bytes, " + in.remaining() + " left");
            }
            byte[] bytes = new byte[length];
            in.get(bytes);
            try {
                argv.add(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString());
            } catch (CharacterCodingException e) {
                throw new IOException("argument " + (i + 1) + " is not valid UTF-8: octohost keeps text byte-exact and takes UTF-8 only");
            }
        }
        if (in.hasRemaining()) {
            throw new IOException("bad ARGV frame: " + in.remaining() + " bytes after the last argument");
        }
        return argv;
    }

    public static int decodeExit(byte[] payload) {
        return ByteBuffer.wrap(payload).getInt();
    }

    /** The next frame from octod, or null at a clean end of stream. */
    public Frame read() throws IOException {
        return read(MAX_SERVER_FRAME);
    }

    /** The next frame of at most {@code maxLength} bytes (checked before it is allocated), or null at a clean end of stream. */
    public Frame read(int maxLength) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(5);
        if (!fill(header, true)) {
            return null;
        }
        header.flip();
        byte type = header.get();
        int length = header.getInt();
        if (length < 0 || length > maxLength) {
            throw new IOException("bad frame length " + length + " (at most " + maxLength + ")");
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        fill(body, false);
        return new Frame(type, body.array());
    }

    private boolean fill(ByteBuffer buffer, boolean endAllowed) throws IOException {
        while (buffer.hasRemaining()) {
            if (reads.read(buffer) < 0) {
                if (endAllowed && buffer.position() == 0) {
                    return false;
                }
                throw new EOFException("the connection closed in the middle of a frame");
            }
        }
        return true;
    }
}
