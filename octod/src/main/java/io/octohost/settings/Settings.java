package io.octohost.settings;

import io.octohost.app.ShellWords;
import io.octohost.app.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * octod's settings: each a flag with an {@code OCTOD_*} environment variable beside it
 * (the flag wins). The README's table lists them all.
 */
@Command(name = "octod", mixinStandardHelpOptions = true, version = "octod 0.1.0", sortOptions = false,
        description = "The octohost daemon: takes git pushes over SSH, builds and runs them with Docker, routes them with nginx.")
public final class Settings {
    @Option(names = "--data-dir", defaultValue = "${env:OCTOD_DATA_DIR:-/var/lib/octod}",
            description = "Repos, state, host key (OCTOD_DATA_DIR, default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--ssh-listen", defaultValue = "${env:OCTOD_SSH_LISTEN:-0.0.0.0:2222}",
            description = "Address of the SSH server (OCTOD_SSH_LISTEN, default ${DEFAULT-VALUE}).")
    String sshListen;

    @Option(names = "--api-socket", defaultValue = "${env:OCTOD_API_SOCKET:-/run/octod/api.sock}",
            description = "The local API socket for octo (OCTOD_API_SOCKET, default ${DEFAULT-VALUE}).")
    Path apiSocket;

    @Option(names = "--domain", defaultValue = "${env:OCTOD_DOMAIN:-localhost}",
            description = "Apps are served at APP.DOMAIN (OCTOD_DOMAIN, default ${DEFAULT-VALUE}).")
    String domain;

    @Option(names = "--http-port", defaultValue = "${env:OCTOD_HTTP_PORT:-80}",
            description = "The port nginx serves apps on (OCTOD_HTTP_PORT, default ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--nginx-conf", defaultValue = "${env:OCTOD_NGINX_CONF:-/etc/nginx/conf.d/containers.conf}",
            description = "The file octod renders (OCTOD_NGINX_CONF, default ${DEFAULT-VALUE}).")
    Path nginxConf;

    @Option(names = "--nginx-cmd", defaultValue = "${env:OCTOD_NGINX_CMD:-nginx}",
            description = "Command prefix to run nginx; octod appends -t or -s reload (OCTOD_NGINX_CMD, default ${DEFAULT-VALUE}).")
    String nginxCmd;

    @Option(names = "--nginx-reload", defaultValue = "${env:OCTOD_NGINX_RELOAD:-signal}",
            description = "signal: octod runs NGINX_CMD -s reload; watch: a root service watching the rendered file"
                    + " reloads nginx (the packaged octohost-nginx.path) and octod only waits for it (OCTOD_NGINX_RELOAD, default ${DEFAULT-VALUE}).")
    String nginxReload;

    @Option(names = "--templates-dir", defaultValue = "${env:OCTOD_TEMPLATES_DIR}",
            description = "Directory of Freemarker templates overriding the built-in ones (OCTOD_TEMPLATES_DIR).")
    Path templatesDir;

    @Option(names = "--ready-timeout", defaultValue = "${env:OCTOD_READY_TIMEOUT:-30}",
            description = "Seconds a new container has to accept connections (OCTOD_READY_TIMEOUT, default ${DEFAULT-VALUE}).")
    int readyTimeoutSeconds;

    @Option(names = "--max-containers", defaultValue = "${env:OCTOD_MAX_CONTAINERS:-32}",
            description = "The most containers ps:scale may ask for one app (OCTOD_MAX_CONTAINERS, default ${DEFAULT-VALUE}).")
    int maxContainers;

    public int maxContainers() {
        return maxContainers;
    }

    public Path dataDir() {
        return dataDir.toAbsolutePath();
    }

    public Path apiSocket() {
        return apiSocket.toAbsolutePath();
    }

    public String domain() {
        return domain;
    }

    public int httpPort() {
        return httpPort;
    }

    public Path nginxConf() {
        return nginxConf.toAbsolutePath();
    }

    /** Whether octod reloads nginx itself, or a privileged watcher of the rendered file does. */
    public boolean nginxReloadBySignal() {
        return nginxReload.equals("signal");
    }

    public Optional<Path> templatesDir() {
        return Optional.ofNullable(templatesDir);
    }

    public Duration readyTimeout() {
        return Duration.ofSeconds(readyTimeoutSeconds);
    }

    public List<String> nginxCommand() {
        List<String> words = ShellWords.split(nginxCmd);
        if (words.isEmpty()) {
            throw new UserError("--nginx-cmd is empty");
        }
        return words;
    }

    /** Parses {@code HOST:PORT} (IPv6 in brackets). */
    public InetSocketAddress sshAddress() {
        int colon = sshListen.lastIndexOf(':');
        String host = colon > 0 ? sshListen.substring(0, colon) : "";
        String port = sshListen.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int p = Integer.parseInt(port);
            if (colon <= 0 || p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(host, p);
        } catch (NumberFormatException e) {
            throw new UserError("--ssh-listen: '" + sshListen + "' is not HOST:PORT");
        }
    }

    /** Checks what can be checked before anything starts, each failure one line. */
    public void validate() {
        sshAddress();
        nginxCommand();
        if (httpPort < 1 || httpPort > 65535) {
            throw new UserError("--http-port: " + httpPort + " is not a port");
        }
        if (!nginxReload.equals("signal") && !nginxReload.equals("watch")) {
            throw new UserError("--nginx-reload: '" + nginxReload + "' is neither signal nor watch");
        }
        if (maxContainers < 1) {
            throw new UserError("--max-containers: must be at least 1");
        }
        if (readyTimeoutSeconds < 1) {
            throw new UserError("--ready-timeout: must be at least 1 second");
        }
        if (!domain.matches("(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*")) {
            throw new UserError("--domain: '" + domain + "' is not a lowercase host name");
        }
    }
}
