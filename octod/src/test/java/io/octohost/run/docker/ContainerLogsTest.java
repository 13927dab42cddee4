package io.octohost.run.docker;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A worker's lines in octo logs start with its container's name, however Docker cuts its output into frames. */
class ContainerLogsTest {
    @Test
    void everyLineIsPrefixedOnceAcrossFrames() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Consumer<byte[]> sink = ContainerLogs.prefixed("hello.worker.x.1| ", out::writeBytes);
        for (String frame : new String[] {"one\ntw", "o\n", "", "\nthree"}) {
            sink.accept(frame.getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("hello.worker.x.1| one\nhello.worker.x.1| two\nhello.worker.x.1| \nhello.worker.x.1| three",
                out.toString(StandardCharsets.UTF_8));
    }
}
