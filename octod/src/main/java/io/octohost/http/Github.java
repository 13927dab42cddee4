package io.octohost.http;

import io.octohost.git.RemotePushes;
import io.octohost.state.Deliveries;
import io.octohost.state.Projects;

/** What the GitHub side of the API works on: the projects, the deliveries seen, and how a GitHub push is deployed. */
public record Github(Projects projects, Deliveries deliveries, RemotePushes pushes) {
}
