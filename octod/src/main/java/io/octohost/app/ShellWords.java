package io.octohost.app;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line by POSIX shell word rules: blanks separate words, single quotes keep
 * everything literally, double quotes keep all but {@code \" \\ \$ \`} escapes, and a backslash
 * outside quotes escapes the next character. No expansion, no globbing: nothing is ever run by a shell.
 */
public final class ShellWords {
    private ShellWords() {
    }

    public static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new UserError("unterminated single quote in the command");
                }
                word.append(line, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i = doubleQuoted(line, i + 1, word);
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= line.length()) {
                    throw new UserError("a trailing backslash in the command escapes nothing");
                }
                if (line.charAt(i + 1) != '\n') {
                    word.append(line.charAt(i + 1));
                    inWord = true;
                }
                i += 2;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** Reads a double-quoted part starting after its opening quote; returns the index after the closing one. */
    private static int doubleQuoted(String line, int i, StringBuilder word) {
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < line.length() && "\"\\$`\n".indexOf(line.charAt(i + 1)) >= 0) {
                if (line.charAt(i + 1) != '\n') {
                    word.append(line.charAt(i + 1));
                }
                i += 2;
            } else {
                word.append(c);
                i++;
            }
        }
        throw new UserError("unterminated double quote in the command");
    }

    /** Quotes a value so that a POSIX shell reads it back exactly. */
    public static String quote(String value) {
        if (!value.isEmpty() && value.matches("[A-Za-z0-9_@%+=:,./-]+")) {
            return value;
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
