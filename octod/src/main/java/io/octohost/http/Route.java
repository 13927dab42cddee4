package io.octohost.http;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One endpoint: a method and a path template ({@code /v1/apps/{app}}), the handler, and whether it
 * needs a token ({@code open} routes do not: the OpenAPI document). The table of all routes is
 * {@link ApiRoutes}; the OpenAPI document must list exactly these.
 */
record Route(String method, String path, boolean isOpen, Handler handler) {
    /** What an endpoint does with a request it matched. */
    @FunctionalInterface
    interface Handler {
        void handle(Exchange exchange) throws Exception;
    }

    static Route get(String path, Handler handler) {
        return new Route("GET", path, false, handler);
    }

    static Route post(String path, Handler handler) {
        return new Route("POST", path, false, handler);
    }

    static Route put(String path, Handler handler) {
        return new Route("PUT", path, false, handler);
    }

    static Route delete(String path, Handler handler) {
        return new Route("DELETE", path, false, handler);
    }

    /** The same route, served without a token. */
    Route open() {
        return new Route(method, path, true, handler);
    }

    /** The path's parameters when it matches this route's template (segments compared one by one). */
    Optional<Map<String, String>> match(List<String> segments) {
        String[] template = path.substring(1).split("/");
        if (template.length != segments.size()) {
            return Optional.empty();
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("}")) {
                params.put(t.substring(1, t.length() - 1), segments.get(i));
            } else if (!t.equals(segments.get(i))) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }
}
