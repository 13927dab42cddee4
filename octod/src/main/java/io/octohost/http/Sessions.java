package io.octohost.http;

import io.octohost.auth.LoginLimiter;
import io.octohost.auth.Users;
import io.octohost.command.Commands;
import io.octohost.git.GitReceiver;
import io.octohost.git.Repos;

import java.time.Duration;

/**
 * What octo login brings to the HTTP API: the users who log in, the limit on failed logins, how long
 * a login token lasts, the command tree that octo runs over HTTP once logged in, and git's smart HTTP.
 */
public record Sessions(Users users, LoginLimiter limiter, Duration loginTtl, Commands commands, GitReceiver receiver, Repos repos) {
}
