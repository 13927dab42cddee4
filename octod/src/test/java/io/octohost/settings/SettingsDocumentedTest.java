package io.octohost.settings;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every setting is a flag with its OCTOD_* variable, a row of the README's settings table, and a line of the deb's defaults. */
class SettingsDocumentedTest {
    private static final Pattern ENV = Pattern.compile("\\((OCTOD_[A-Z0-9_]+)[,)]");

    @Test
    void everySettingIsInTheReadmeAndTheDebDefaults() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String defaults = Files.readString(Path.of("..", "packaging", "deb", "src", "deb", "etc", "default", "octod"));
        List<String> missing = new ArrayList<>();
        for (CommandLine.Model.OptionSpec option : new CommandLine(new Settings()).getCommandSpec().options()) {
            if (option.usageHelp() || option.versionHelp()) {
                continue;
            }
            Matcher env = ENV.matcher(String.join(" ", option.description()));
            if (!env.find()) {
                missing.add(option.longestName() + ": no OCTOD_* variable");
                continue;
            }
            String row = "| `" + option.longestName() + "` | `" + env.group(1) + "` |";
            if (!readme.contains(row)) {
                missing.add(option.longestName() + ": no README row starting " + row);
            }
            if (!defaults.contains(env.group(1) + "=")) {
                missing.add(env.group(1) + ": not in packaging/deb/src/deb/etc/default/octod");
            }
        }
        assertEquals(List.of(), missing);
    }
}
