package io.octohost.state;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import org.kiwiproject.consul.model.kv.Operation;
import org.kiwiproject.consul.model.kv.Verb;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Optional;

/**
 * A {@code set} whose value is already base64. consul-client's {@link Operation} takes the value as
 * a String and encodes its UTF-8 bytes itself, so bytes that are not UTF-8 could not be stored
 * exactly; this operation overrides that one serializer and sends our own base64 as it is.
 */
@JsonSerialize
final class EncodedSet extends Operation {
    private final String key;
    private final String base64;

    EncodedSet(String key, String base64) {
        this.key = key;
        this.base64 = base64;
    }

    @Override
    public String verb() {
        return Verb.SET.toValue();
    }

    @Override
    public Optional<String> key() {
        return Optional.of(key);
    }

    @Override
    @JsonSerialize(using = AsIs.class)
    public Optional<String> value() {
        return Optional.of(base64);
    }

    @Override
    public Optional<Long> flags() {
        return Optional.empty();
    }

    @Override
    public Optional<BigInteger> index() {
        return Optional.empty();
    }

    @Override
    public Optional<String> session() {
        return Optional.empty();
    }

    /** Writes an optional string unchanged. */
    static final class AsIs extends JsonSerializer<Optional<String>> {
        @Override
        public void serialize(Optional<String> value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            if (value.isPresent()) {
                gen.writeString(value.get());
            } else {
                gen.writeNull();
            }
        }
    }
}
