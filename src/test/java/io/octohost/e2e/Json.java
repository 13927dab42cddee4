package io.octohost.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

    /** An object as a map of plain values (String, Integer, Boolean, List, Map, null), to compare whole with {@code Map.of(...)}. */
    public static Map<String, Object> object(JsonNode node) {
        if (!node.isObject()) throw new AssertionError("not a JSON object: " + node);
        return MAPPER.convertValue(node, new TypeReference<Map<String, Object>>() {
        });
    }

    /** The elements of an array of objects, each as {@link #object}. */
    public static List<Map<String, Object>> objects(JsonNode array) {
        return elements(array).stream().map(Json::object).toList();
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
