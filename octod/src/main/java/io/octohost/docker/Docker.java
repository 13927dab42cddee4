package io.octohost.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.SSLConfig;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;

import javax.net.ssl.SSLContext;
import java.time.Duration;

/** The one place a DockerClient is made. Honours DOCKER_HOST; the default is the local unix socket. */
public final class Docker {
    /**
     * For a unix socket, which never speaks TLS. Given no SSLConfig, the transport would build the JDK's
     * default SSLContext, trust store and all: ~0.15 s of every start. This context is never used.
     */
    private static final SSLConfig NO_TLS = () -> new SSLContext(null, null, "none") {
    };

    private Docker() {
    }

    public static DockerClient connect() {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        return DockerClientImpl.getInstance(config, new ReportingTransport(() -> new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig() == null && "unix".equals(config.getDockerHost().getScheme()) ? NO_TLS : config.getSSLConfig())
                .maxConnections(64)
                .connectionTimeout(Duration.ofSeconds(10))
                .build(), config.getDockerHost()));
    }

    /** The transport under a client made here, for the few Engine API calls docker-java's models lack. */
    public static DockerHttpClient transportOf(DockerClient docker) {
        return ((DockerClientImpl) docker).getHttpClient();
    }
}
