package io.octohost.route;

import freemarker.cache.ClassTemplateLoader;
import freemarker.cache.FileTemplateLoader;
import freemarker.cache.MultiTemplateLoader;
import freemarker.cache.TemplateLoader;
import freemarker.template.Configuration;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import io.octohost.app.Backend;
import io.octohost.app.Route;
import io.octohost.app.UserError;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The nginx file from the Freemarker templates ({@code templates/nginx}, or --templates-dir over
 * them): a probe server first, then each app with backends and domains. Rendering is pure.
 */
final class RoutesTemplate {
    private final Configuration templates;
    private final int httpPort;
    private final String probeHost;
    private final String probePath;

    RoutesTemplate(Optional<Path> templatesDir, int httpPort, String probeHost, String probePath) {
        this.templates = configure(templatesDir);
        this.httpPort = httpPort;
        this.probeHost = probeHost;
        this.probePath = probePath;
    }

    private static Configuration configure(Optional<Path> templatesDir) {
        Configuration cfg = new Configuration(Configuration.VERSION_2_3_34);
        cfg.setDefaultEncoding("UTF-8");
        cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        cfg.setLogTemplateExceptions(false);
        List<TemplateLoader> loaders = new ArrayList<>();
        try {
            if (templatesDir.isPresent()) {
                loaders.add(new FileTemplateLoader(templatesDir.get().toFile()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        loaders.add(new ClassTemplateLoader(RoutesTemplate.class, "/templates/nginx"));
        cfg.setTemplateLoader(new MultiTemplateLoader(loaders.toArray(TemplateLoader[]::new)));
        return cfg;
    }

    /** The whole file for these routes; apps without backends or domains are left out. */
    String render(Collection<Route> routes, long generation) {
        List<Map<String, Object>> apps = new ArrayList<>();
        for (Route r : routes) {
            List<Map<String, Object>> backends = new ArrayList<>();
            for (Backend b : r.backends()) {
                backends.add(Map.of("host", "127.0.0.1", "port", b.hostPort(), "container", b.containerName()));
            }
            if (backends.isEmpty() || r.domains().isEmpty()) {
                continue;
            }
            apps.add(Map.of("name", r.app().value(), "upstream", "octohost_" + r.app(), "domains", r.domains(),
                    "backends", backends));
        }
        Map<String, Object> model = Map.of("apps", apps, "httpPort", httpPort, "generation", Long.toString(generation),
                "probeHost", probeHost, "probePath", probePath);
        StringWriter out = new StringWriter();
        try {
            templates.getTemplate("containers.conf.ftl").process(model, out);
        } catch (IOException | TemplateException e) {
            throw new UserError("cannot render the nginx templates: " + e.getMessage(), e);
        }
        return out.toString();
    }
}
