package io.octohost.route;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A minimal HTTP/1.0 GET with a chosen Host header, enough to ask nginx which configuration answers. */
final class HttpProbe {
    private HttpProbe() {
    }

    /** The status and body, or null when nothing answers. */
    static String[] get(int port, String host, String path) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(2000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String response = all.toString(StandardCharsets.ISO_8859_1);
            int headerEnd = response.indexOf("\r\n\r\n");
            if (headerEnd < 0 || !response.startsWith("HTTP/")) {
                return null;
            }
            String status = response.substring(9, Math.min(12, response.length()));
            return new String[] {status, response.substring(headerEnd + 4)};
        } catch (IOException e) {
            return null;
        }
    }
}
