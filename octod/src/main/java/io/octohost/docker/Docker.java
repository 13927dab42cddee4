package io.octohost.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;

import java.time.Duration;

/** The one place a DockerClient is made. Honours DOCKER_HOST; the default is the local unix socket. */
public final class Docker {
    private Docker() {
    }

    public static DockerClient connect() {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        return DockerClientImpl.getInstance(config, new ReportingTransport(() -> new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(64)
                .connectionTimeout(Duration.ofSeconds(10))
                .build(), config.getDockerHost()));
    }

    /** The transport under a client made here, for the few Engine API calls docker-java's models lack. */
    public static DockerHttpClient transportOf(DockerClient docker) {
        return ((DockerClientImpl) docker).getHttpClient();
    }
}
