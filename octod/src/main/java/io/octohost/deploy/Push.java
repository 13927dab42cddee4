package io.octohost.deploy;

import io.octohost.app.AppName;
import io.octohost.app.SourceTree;
import io.octohost.state.AppClaims;

/** A pushed branch to deploy: the app it deploys, who owns that app, the tree, who pushed, and the branch to move. */
public record Push(AppName app, AppClaims.Owner owner, SourceTree tree, String by, BranchUpdate branch) {
}
