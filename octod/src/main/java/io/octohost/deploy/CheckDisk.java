package io.octohost.deploy;

import io.octohost.app.UserError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Refuses a build when Docker's or octod's data dir has less free space than --min-free-space. */
final class CheckDisk implements Step {
    private static final Logger log = LoggerFactory.getLogger(CheckDisk.class);
    private final DeploySettings settings;

    CheckDisk(DeploySettings settings) {
        this.settings = settings;
    }

    @Override
    public void run(Deploy deploy) {
        for (Path path : settings.diskPaths()) {
            try {
                long free = Files.getFileStore(path).getUsableSpace();
                if (free < settings.minFreeBytes()) {
                    throw new UserError(String.format("only %.1f GiB free on %s, below the %.1f GiB a build needs (--min-free-space)",
                            free / (double) (1L << 30), path, settings.minFreeBytes() / (double) (1L << 30)));
                }
            } catch (IOException e) {
                log.debug("cannot measure free space on {}: {}", path, e.getMessage());
            }
        }
    }
}
