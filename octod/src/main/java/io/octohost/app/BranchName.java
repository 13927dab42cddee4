package io.octohost.app;

import java.util.regex.Pattern;

/**
 * A branch name as pushed ({@code refs/heads/NAME}): what {@code git check-ref-format --branch}
 * accepts, and nothing git itself would read as something else ({@code HEAD}, {@code FETCH_HEAD},
 * {@code @} (HEAD's short name), {@code refs/...}, an option).
 */
public final class BranchName {
    private static final Pattern SPECIAL = Pattern.compile("[A-Z_]*HEAD");
    private static final Pattern FORBIDDEN_CHARS = Pattern.compile("[\\x00-\\x20\\x7f~^:?*\\[\\\\]");

    private BranchName() {
    }

    /** The branch, when git would take it as one; else why not. */
    public static String check(String branch) {
        String why = null;
        if (branch == null || branch.isEmpty()) {
            why = "is empty";
        } else if (SPECIAL.matcher(branch).matches() || branch.equals("@")) {
            why = "is what git calls one of its own refs";
        } else if (branch.startsWith("refs/") || branch.startsWith("-")) {
            why = "is ambiguous to git";
        } else if (FORBIDDEN_CHARS.matcher(branch).find() || branch.contains("..") || branch.contains("@{")
                || branch.startsWith("/") || branch.endsWith("/") || branch.endsWith(".")
                || branch.contains("//")) {
            why = "is not a valid git branch name";
        } else {
            for (String part : branch.split("/")) {
                if (part.startsWith(".") || part.endsWith(".lock")) {
                    why = "is not a valid git branch name";
                }
            }
        }
        if (why != null) {
            throw new UserError("branch '" + Printable.of(branch, 80) + "' " + why + ": push another name");
        }
        return branch;
    }
}
