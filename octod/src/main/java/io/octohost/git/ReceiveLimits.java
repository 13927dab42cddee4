package io.octohost.git;

/** What a push may bring: a pack of at most {@code maxPushBytes}, and (with {@code fsck}) only objects git fsck accepts. */
public record ReceiveLimits(long maxPushBytes, boolean fsck) {
}
