package io.octohost.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;

/** Reading the JSON that octo's --json listings and Consul's HTTP API print, with Jackson. */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    /** One JSON document, all of the text; an IllegalArgumentException says why not. */
    public static JsonNode parse(String text) {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) throw new IllegalArgumentException("no JSON in: '" + text + "'");
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage() + " in: " + abbreviate(text), e);
        }
    }

    /** The elements of an array of strings, as strings. */
    public static List<String> strings(JsonNode array) {
        if (!array.isArray()) throw new AssertionError("not a JSON array: " + array);
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.asText()));
        return out;
    }

    /** The elements of an array. */
    public static List<JsonNode> elements(JsonNode array) {
        if (!array.isArray()) throw new AssertionError("not a JSON array: " + array);
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
