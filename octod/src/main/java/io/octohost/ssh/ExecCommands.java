package io.octohost.ssh;

import io.octohost.app.AppName;
import io.octohost.app.Printable;
import io.octohost.app.Redacted;
import io.octohost.app.ShellWords;
import io.octohost.app.UserError;
import io.octohost.auth.Action;
import io.octohost.auth.Permissions;
import io.octohost.auth.Principal;
import io.octohost.command.Commands;
import io.octohost.git.GitReceiver;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.command.CommandFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.UUID;

/**
 * What an SSH exec request may run: {@code git-receive-pack 'APP'} pushes, and octo commands for
 * admin keys. The command string is split by shell word rules, never handed to a shell.
 */
final class ExecCommands implements CommandFactory {
    private static final Logger log = LoggerFactory.getLogger(ExecCommands.class);
    private final GitReceiver receiver;
    private final Commands commands;

    ExecCommands(GitReceiver receiver, Commands commands) {
        this.receiver = receiver;
        this.commands = commands;
    }

    @Override
    public Command createCommand(ChannelSession channel, String commandLine) {
        return new Exec(commandLine, channel.getAttribute(SshFrontDoor.NOT_UTF8));
    }

    /**
     * Runs one exec request on a thread of its own and reports its exit code. When the client goes
     * away, a push's build is cancelled (through {@code hangUp}); a command's thread is interrupted.
     */
    private final class Exec implements Command {
        private final String commandLine;
        private final CompletableFuture<Void> hangUp = new CompletableFuture<>();
        private volatile boolean pushing;
        private final UserError refusal;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;
        private Thread thread;

        /** {@code refusal}: why the command is refused before it is read (its bytes were not UTF-8), or null. */
        Exec(String commandLine, UserError refusal) {
            this.commandLine = commandLine;
            this.refusal = refusal;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment env) {
            Principal caller = channel.getSession().getAttribute(SshFrontDoor.CALLER);
            thread = new Thread(() -> exit.onExit(run(caller)), "ssh-exec");
            thread.setDaemon(true);
            thread.start();
        }

        private int run(Principal caller) {
            try {
                if (refusal != null) {
                    throw refusal;
                }
                List<String> words = ShellWords.split(commandLine);
                if (words.size() == 2 && words.get(0).equals("git-receive-pack")) {
                    AppName repo = GitReceiver.repoName(words.get(1));
                    Permissions.require(caller, Action.push(repo));
                    pushing = true;
                    receiver.receive(repo, caller, in, out, err, hangUp);
                    return 0;
                }
                if (!words.isEmpty() && words.get(0).equals("git-upload-pack")) {
                    throw new UserError("octohost takes pushes only: fetching and cloning are not offered");
                }
                return commands.run(words, caller, in, out, err);
            } catch (UserError e) {
                writeLine(e.getMessage());
                return Commands.USER_ERROR;
            } catch (Exception e) {
                if (hangUp.isDone()) {
                    log.info("the client hung up during: {} ({})", Printable.of(commandLine.strip().split("\\s", 2)[0], 40),
                            Printable.of(String.valueOf(e.getMessage()), 200));
                    return Commands.USER_ERROR;
                }
                String ref = UUID.randomUUID().toString().substring(0, 8);
                // the command's name only: its arguments may be config values or tokens
                log.error("ssh command {} failed [{}]", Printable.of(commandLine.strip().split("\\s", 2)[0], 40), ref, Redacted.of(e));
                writeLine("internal error, see octod's log [" + ref + "]");
                return Commands.USER_ERROR;
            }
        }

        private void writeLine(String message) {
            try {
                err.write(("error: " + message + "\n").getBytes(StandardCharsets.UTF_8));
                err.flush();
            } catch (java.io.IOException ignored) {
                // the client is gone; the exit code is all that is left to send
            }
        }

        @Override
        public void destroy(ChannelSession channel) {
            hangUp.complete(null);
            // an interrupt would break a push's writes of records and state half-way: its build stops instead
            if (thread != null && thread.isAlive() && !pushing) {
                thread.interrupt();
            }
        }
    }
}
