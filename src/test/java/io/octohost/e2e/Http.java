package io.octohost.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A tiny HTTP/1.1 client over a raw socket, because java.net.http.HttpClient refuses to
 * set the Host header, and nginx routes by Host. One request per connection.
 */
public final class Http {
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_TIMEOUT_MS = 15_000;

    private Http() {
    }

    /** A parsed response; header names are lower-case. */
    public record Response(int status, Map<String, List<String>> headers, byte[] body) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        @Override
        public String toString() {
            String text = bodyText();
            if (text.length() > 2000) text = text.substring(0, 2000) + "...";
            return "HTTP " + status + " " + headers + "\n" + text;
        }
    }

    /** GET http://127.0.0.1:port/path with the given Host header. */
    public static Response get(int port, String host, String path) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MS);
            s.setSoTimeout(READ_TIMEOUT_MS);
            String req = "GET " + path + " HTTP/1.1\r\n"
                    + "Host: " + host + "\r\n"
                    + "User-Agent: octohost-e2e\r\n"
                    + "Accept: */*\r\n"
                    + "Connection: close\r\n\r\n";
            s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return parse(s.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("GET http://127.0.0.1:" + port + path + " (Host: " + host + ") failed: " + e, e);
        }
    }

    static Response parse(byte[] raw) throws IOException {
        int headerEnd = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (headerEnd < 0) throw new IOException("no complete HTTP header in " + raw.length + " bytes: "
                + new String(raw, StandardCharsets.ISO_8859_1));
        String head = new String(raw, 0, headerEnd, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) throw new IOException("bad status line: " + lines[0]);
        int status = Integer.parseInt(statusLine[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            if (c <= 0) continue;
            headers.computeIfAbsent(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(lines[i].substring(c + 1).trim());
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, headerEnd + 4, raw.length);
        List<String> te = headers.get("transfer-encoding");
        if (te != null && te.stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))) {
            body = dechunk(body);
        } else if (headers.containsKey("content-length")) {
            int len = Integer.parseInt(headers.get("content-length").get(0));
            if (body.length < len) throw new IOException("body truncated: " + body.length + " of " + len + " bytes");
            body = java.util.Arrays.copyOf(body, len);
        }
        return new Response(status, headers, body);
    }

    private static byte[] dechunk(byte[] in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        while (true) {
            int eol = indexOf(in, pos, "\r\n".getBytes(StandardCharsets.US_ASCII));
            if (eol < 0) throw new IOException("bad chunked body");
            String sizeLine = new String(in, pos, eol - pos, StandardCharsets.US_ASCII);
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim(), 16);
            pos = eol + 2;
            if (size == 0) return out.toByteArray();
            if (pos + size > in.length) throw new IOException("chunk truncated");
            out.write(in, pos, size);
            pos += size + 2;
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        return indexOf(hay, 0, needle);
    }

    private static int indexOf(byte[] hay, int from, byte[] needle) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
