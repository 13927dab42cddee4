package io.octohost.callbacks;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Status bodies and log lines published to a Kafka topic, keyed by the build (so they stay in order). */
final class KafkaSinks {
    private static final Logger log = LoggerFactory.getLogger(KafkaSinks.class);

    private KafkaSinks() {
    }

    static StatusSink status(KafkaProducer<String, String> producer, CallbackTarget.Kafka target, Duration timeout) {
        return new StatusSink() {
            @Override
            public void deliver(String buildKey, StatusBody body) throws Exception {
                producer.send(new ProducerRecord<>(target.topic(), buildKey, body.json())).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }

            @Override
            public String describe() {
                return target.describe();
            }
        };
    }

    static LogSink log(KafkaProducer<String, String> producer, CallbackTarget.Kafka target, String buildKey) {
        AtomicBoolean warned = new AtomicBoolean();
        return new LogSink() {
            @Override
            public void line(String line) {
                try {
                    producer.send(new ProducerRecord<>(target.topic(), buildKey, line), (metadata, e) -> {
                        if (e != null) {
                            warn(e);
                        }
                    });
                } catch (RuntimeException e) {
                    warn(e);
                }
            }

            private void warn(Exception e) {
                if (warned.compareAndSet(false, true)) {
                    log.warn("log callback of build {} to {} failed: {}", buildKey, target.describe(), Callbacks.reason(e));
                }
            }

            @Override
            public void close() {
                producer.flush();
            }

            @Override
            public String describe() {
                return target.describe();
            }
        };
    }
}
