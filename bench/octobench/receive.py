"""git receive: a 200 MB, 20,000-file repo pushed into octod over its SSH server, against OpenSSH's sshd
running C git-receive-pack on the same loopback; then a small commit on top of it. octod gets tags,
which it stores and deploys nothing for, so the figure is the receive itself: SSH, the pack, its index
and checks, the ref update (and, for octod, creating the repo, which C git-receive-pack cannot do)."""
import os
import random
import shutil
import subprocess
from pathlib import Path

from . import core
from .core import RUN_ID, sh, work
from .octohost import Nginx, Octod, SshKey, push
from .report import interleaved, emit, ratio_figure

FILES = 20_000
TOTAL_BYTES = 200 * 1000 * 1000
CACHE = Path.home() / ".cache/octohost/bench/receive-v1.git"  # generated once, deterministic
GOAL = 1.2


def big_repo() -> Path:
    """A bare repo with tag 'big': one commit of FILES files, TOTAL_BYTES in all; half are text (compressible),
    half random bytes (like images). Built with git fast-import from a fixed seed, and kept between runs."""
    if (CACHE / "bench-complete").exists():
        return CACHE
    shutil.rmtree(CACHE, ignore_errors=True)
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    tmp = CACHE.with_suffix(".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    sh("git", "init", "-q", "--bare", tmp)
    core.log(f"generating the {FILES:,}-file repo for the receive figure (once; kept in {CACHE})")
    rng = random.Random(13)
    words = [bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9))) for _ in range(4096)]
    fi = subprocess.Popen(["git", "-C", str(tmp), "fast-import", "--quiet"], stdin=subprocess.PIPE)
    average = TOTAL_BYTES // FILES
    for i in range(FILES):
        size = rng.randint(average // 5, 2 * average - average // 5)
        if i % 2:
            data = rng.randbytes(size)
        else:
            data = b" ".join(rng.choices(words, k=size // 5))[:size]
        fi.stdin.write(b"blob\nmark :%d\ndata %d\n%s\n" % (i + 1, len(data), data))
    fi.stdin.write(b"commit refs/tags/big\ncommitter bench <bench@localhost> 1700000000 +0000\ndata 4\nbig\n")
    for i in range(FILES):
        fi.stdin.write(b"M 100644 :%d d%03d/f%05d.%s\n" % (i + 1, i // 100, i, b"bin" if i % 2 else b"txt"))
    fi.stdin.close()
    if fi.wait() != 0:
        raise RuntimeError("git fast-import failed")
    sh("git", "-C", tmp, "repack", "-a", "-d", "-q")  # one pack, as a pushed-from clone would have
    (tmp / "bench-complete").write_text("")
    tmp.rename(CACHE)
    return CACHE


class Sshd:
    """A private OpenSSH sshd on a free loopback port: its own config, host key and authorized key."""

    def __init__(self):
        self.dir = work() / "sshd"
        self.dir.mkdir()
        self.port = core.free_port()
        sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", self.dir / "host_key")
        shutil.copy(SshKey.path().with_suffix(".pub"), self.dir / "authorized_keys")
        (self.dir / "sshd_config").write_text(
            f"Port {self.port}\nListenAddress 127.0.0.1\nHostKey {self.dir}/host_key\nPidFile {self.dir}/sshd.pid\n"
            f"AuthorizedKeysFile {self.dir}/authorized_keys\nPermitRootLogin prohibit-password\n"
            "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\n"
            "X11Forwarding no\nAllowTcpForwarding no\nPrintMotd no\n")
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation directory
        self.process = core.spawn(["/usr/sbin/sshd", "-D", "-e", "-f", self.dir / "sshd_config"], self.dir / "sshd.log")
        core.wait_until(self._greets, 10, "sshd to listen")
        self.repos = self.dir / "repos"
        self.repos.mkdir()

    def _greets(self):
        import socket
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                return s.recv(64).startswith(b"SSH-2.0")
        except OSError:
            return False

    def new_repo(self, name):
        path = self.repos / f"{name}.git"
        sh("git", "init", "-q", "--bare", path)
        return f"ssh://root@127.0.0.1:{self.port}{path}"


def run(rounds, timelines):
    source = big_repo()
    # a work repo borrowing the cached objects: small commits on top of 'big' are made here
    local = work() / "receive-src.git"
    sh("git", "init", "-q", "--bare", local)
    (local / "objects/info/alternates").write_text(f"{source}/objects\n")
    sh("git", "-C", local, "fetch", "-q", source, "refs/tags/big:refs/tags/big")
    nginx = Nginx("receive-nginx")
    octod = Octod(nginx, name="receive-octod")
    octod.start()
    sshd = Sshd()
    env = SshKey.git_env()
    targets = {}

    def small_commit(i):
        """A commit on top of 'big' changing one file: tag small-i."""
        blob = sh("git", "-C", local, "hash-object", "-w", "--stdin", stdin=f"change {i} {RUN_ID}\n".encode()).strip()
        index = dict(os.environ, GIT_INDEX_FILE=str(work() / f"index-{i}"))
        sh("git", "-C", local, "read-tree", "refs/tags/big", env=index)
        sh("git", "-C", local, "update-index", "--add", "--cacheinfo", f"100644,{blob},CHANGES", env=index)
        tree = sh("git", "-C", local, "write-tree", env=index).strip()
        commit = sh("git", "-C", local, "commit-tree", tree, "-p", "refs/tags/big", "-m", f"change {i}", env=env).strip()
        sh("git", "-C", local, "tag", f"small-{i}", commit)

    def big_ours(i):
        targets[("octod", i)] = octod.url(f"recv{i}{RUN_ID}")
        return push(local, targets[("octod", i)], "refs/tags/big:refs/tags/big", env).seconds

    def big_ref(i):
        targets[("sshd", i)] = sshd.new_repo(f"recv{i}")
        return push(local, targets[("sshd", i)], "refs/tags/big:refs/tags/big", env).seconds

    def small_ours(i):
        return push(local, targets[("octod", i)], f"refs/tags/small-{i}:refs/tags/small-{i}", env).seconds

    def small_ref(i):
        return push(local, targets[("sshd", i)], f"refs/tags/small-{i}:refs/tags/small-{i}", env).seconds

    def tidy(i):
        # the previous round's repos go (untimed): ~150 MB each
        for path in list((octod.data / "repos").glob(f"recv{i - 1}{RUN_ID}*")) + list(sshd.repos.glob(f"recv{i - 1}.git")):
            shutil.rmtree(path, ignore_errors=True)
        small_commit(i)

    (ob, rb), (osm, rsm) = interleaved(rounds, (big_ours, big_ref, tidy), (small_ours, small_ref, None))
    octod.stop()
    size = sh("du", "-sh", "--apparent-size", source / "objects/pack").split()[0]
    return [
        emit(ratio_figure("receive.big (octod/OpenSSH+git)", ob, rb, GOAL, f"{FILES:,} files, 200 MB, pack {size}")),
        emit(ratio_figure("receive.incremental", osm, rsm, GOAL, "one changed file on top")),
    ]
