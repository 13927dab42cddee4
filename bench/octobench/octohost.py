"""A private octohost for the figures: an nginx master and octod on free loopback ports, a key to push
with, a client of octod's API socket, app repos, pushes that time each line the server sends, and the
same work done by hand (docker build + docker run + first answer)."""
import os
import socket
import struct
import subprocess
import threading
from pathlib import Path

from . import core
from .core import LABEL, clock, free_port, sh, work

OCTOD_JAR = core.ROOT / "octod/target/octod.jar"
OCTO_JAR = core.ROOT / "octo-cli/target/octo.jar"
DEB = core.ROOT / "packaging/deb/src/deb"
DOMAIN = "bench.octohost"
IDLE = 12  # seconds to wait for an idle octod: its JVM returns freed native memory every 5 s (octod.jvm-options)


class Launchers:
    """The package's launchers (/usr/bin/octod, /usr/bin/octo) with their paths pointed at this tree's jars
    and at archives made by the package's own cds-archive, from the class lists it ships: the figures
    measure octod and octo as an installed host runs them. Without class data sharing, the same launchers
    find no archive. The archives are kept between runs (cds-archive makes them again when a jar changes)."""
    _made = None
    CDS = Path.home() / ".cache/octohost/bench/cds"

    def __init__(self):
        self.dir = work() / "launch"
        self.cds = self.CDS
        for variant, cds in (("cds", self.cds), ("plain", self.dir / "no-archive")):
            (self.dir / variant).mkdir(parents=True, exist_ok=True)
            for name, jar in (("octod", OCTOD_JAR), ("octo", OCTO_JAR)):
                text = (DEB / "bin" / name).read_text()
                for installed, here in ((f"/usr/share/octohost/{name}.jar", jar), ("/var/cache/octohost", cds),
                                        ("/usr/share/octohost/", f"{DEB}/share/"),
                                        ("/etc/default/octod", self.dir / "no-defaults")):
                    text = text.replace(installed, str(here))
                (self.dir / variant / name).write_text(text)
                (self.dir / variant / name).chmod(0o755)
        t0 = clock()
        for name, jar in (("octod", OCTOD_JAR), ("octo", OCTO_JAR)):
            if (DEB / f"share/{name}.classlist").exists():  # not before the first bench/train-cds
                sh(DEB / "lib/cds-archive", jar, DEB / f"share/{name}.classlist", self.cds / f"{name}.jsa")
        self.dump_seconds = clock() - t0

    @classmethod
    def get(cls):
        if cls._made is None:
            cls._made = Launchers()
        return cls._made

    def octod(self, cds=True):
        return self.dir / ("cds" if cds else "plain") / "octod"

    def octo(self, cds=True):
        return self.dir / ("cds" if cds else "plain") / "octo"


class Nginx:
    """A private nginx master that includes the one file octod renders."""

    def __init__(self, name="nginx"):
        self.dir = work() / name
        (self.dir / "tmp").mkdir(parents=True)
        self.port = free_port()
        self.routes = self.dir / "containers.conf"
        self.routes.write_text("")
        temp = " ".join(f"{k}_temp_path {self.dir}/tmp;" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        self.conf = self.dir / "nginx.conf"
        self.conf.write_text(f"worker_processes auto; pid {self.dir}/nginx.pid; error_log {self.dir}/error.log;\n"
                             f"events {{}}\nhttp {{ access_log off; {temp}\n include {self.routes}; }}\n")
        self.cmd = ["nginx", "-c", str(self.conf), "-p", str(self.dir)]
        sh(*self.cmd)
        core.on_exit(lambda: sh(*self.cmd, "-s", "stop", check=False))

    def get(self, app, path="/", timeout=5.0):
        return core.http_get(self.port, f"{app}.{DOMAIN}", path, timeout)


class SshKey:
    """One ed25519 key for the run; git and ssh use it through GIT_SSH_COMMAND."""
    _key = None

    @classmethod
    def path(cls) -> Path:
        if cls._key is None:
            cls._key = work() / "id_ed25519"
            sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", cls._key)
        return cls._key

    @classmethod
    def git_env(cls, port=None):
        opts = (f"-i {cls.path()} -o IdentitiesOnly=yes -o StrictHostKeyChecking=no "
                f"-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR")
        return dict(os.environ, GIT_SSH_COMMAND=f"ssh {opts}" + (f" -p {port}" if port else ""),
                    GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@localhost",
                    GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@localhost")


def api_call(socket_path, argv, stdin: bytes | None = None, timeout=120.0):
    """One command over octod's API socket (octo's frame protocol); returns (exit code, stdout+stderr)."""
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(timeout)
        s.connect(str(socket_path))
        body = struct.pack(">i", len(argv)) + b"".join(struct.pack(">i", len(a.encode())) + a.encode() for a in argv)
        s.sendall(b"A" + struct.pack(">i", len(body)) + body)
        buf, out = b"", b""
        while True:
            data = s.recv(65536)
            if not data:
                raise RuntimeError(f"octod closed the API socket during {argv}")
            buf += data
            while len(buf) >= 5:
                kind, n = buf[0:1], struct.unpack(">i", buf[1:5])[0]
                if len(buf) < 5 + n:
                    break
                payload, buf = buf[5:5 + n], buf[5 + n:]
                if kind == b"X":
                    return struct.unpack(">i", payload)[0], out.decode(errors="replace")
                if kind == b"N":
                    s.sendall(b"I" + struct.pack(">i", len(stdin or b"")) + (stdin or b"") + b"E" + struct.pack(">i", 0))
                else:
                    out += payload


class Profiler:
    """async-profiler (from Maven Central), for bench/run --profile DIR: each octod records its CPU samples
    to DIR/NAME.collapsed when it stops (python3 -m octobench.profile reads them)."""
    dir = None
    LIB = Path.home() / ".cache/octohost/bench/async-profiler/4.1/linux-x64/libasyncProfiler.so"

    @classmethod
    def java_opts(cls, name):
        if cls.dir is None:
            return ""
        if not cls.LIB.exists():
            sh("mvn", "-q", "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:get",
               "-Dartifact=tools.profiler:async-profiler:4.1")
            jar = Path.home() / ".m2/repository/tools/profiler/async-profiler/4.1/async-profiler-4.1.jar"
            sh("unzip", "-o", "-q", jar, "linux-x64/libasyncProfiler.so", "-d", cls.LIB.parent.parent)
        cls.dir.mkdir(parents=True, exist_ok=True)
        return f"-agentpath:{cls.LIB}=start,event=cpu,interval=1ms,threads,collapsed,file={cls.dir}/{name}.collapsed"


class Octod:
    """octod on free ports with a data dir of its own, started by the package's launcher; flags are
    octod's, java_opts go to the JVM (OCTOD_JAVA_OPTS)."""

    def __init__(self, nginx: Nginx, *flags, java_opts="", cds=True, name="octod"):
        self.nginx = nginx
        self.dir = work() / name
        self.data = self.dir / "data"
        self.data.mkdir(parents=True, exist_ok=True)
        self.ssh_port = free_port()
        self.http_api_port = free_port()
        self.socket = self.dir / "api.sock"
        self.log = self.dir / "octod.log"
        self.flags = list(flags)
        self.java_opts = java_opts
        self.cds = cds
        self.process = None
        self.keyed = False

    def command(self, cds):
        return [Launchers.get().octod(cds), "--data-dir", self.data,
                "--ssh-listen", f"127.0.0.1:{self.ssh_port}", "--api-socket", self.socket,
                "--http-api-listen", f"127.0.0.1:{self.http_api_port}", "--domain", DOMAIN,
                "--http-port", self.nginx.port, "--nginx-conf", self.nginx.routes, "--nginx-cmd", " ".join(self.nginx.cmd), *self.flags]

    def start(self, cds=None) -> float:
        """Starts octod; returns the seconds until its SSH server greets, its API socket answers and its HTTP API
        serves its OpenAPI document."""
        command = self.command(self.cds if cds is None else cds)
        t0 = clock()
        # OCTOD_JAVA_OPTS in bench/run's environment reaches every octod: a way to try JVM options
        opts = " ".join(filter(None, (os.environ.get("OCTOD_JAVA_OPTS"), self.java_opts, Profiler.java_opts(self.dir.name))))
        self.process = core.spawn(command, self.log, env=dict(os.environ, OCTOD_JAVA_OPTS=opts))
        core.wait_until(self._answers, 120, f"octod to answer (log: {self.log})", interval=0.005)
        seconds = clock() - t0
        self.start_cpu = core.cpu_seconds(self.process.pid)
        if not self.keyed:
            code, out = api_call(self.socket, ["keys:add", "bench"], SshKey.path().with_suffix(".pub").read_bytes())
            if code != 0:
                raise RuntimeError(f"keys:add: {out}")
            self.keyed = True
        return seconds

    def _answers(self):
        if self.process.poll() is not None:
            raise RuntimeError(f"octod exited with {self.process.returncode}: {self.log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", self.ssh_port), timeout=1) as s:
                if not s.recv(64).startswith(b"SSH-2.0"):
                    return False
            return (api_call(self.socket, ["apps"], timeout=10)[0] == 0
                    and core.http_get(self.http_api_port, "127.0.0.1", "/v1/openapi.json")[0] == 200)
        except OSError:
            return False

    def stop(self):
        if self.process:
            core.stop(self.process)
            self.process = None

    def instance(self):
        return (self.data / "instance-id").read_text().strip()

    def remove_containers(self):
        ids = sh("docker", "ps", "-aq", "--filter", f"label=octohost.instance={self.instance()}").split()
        if ids:
            sh("docker", "rm", "-f", *ids, check=False)

    def rss_mb(self):
        return core.rss_mb(self.process.pid)

    def octo(self, *argv, stdin=None):
        code, out = api_call(self.socket, list(argv), stdin)
        if code != 0:
            raise RuntimeError(f"octo {' '.join(argv)}: exit {code}: {out.strip()}")
        return out

    def url(self, repo):
        return f"ssh://git@127.0.0.1:{self.ssh_port}/{repo}"

    def running(self):
        """How many containers of each app run (old ones still draining count)."""
        apps = sh("docker", "ps", "--filter", f"label=octohost.instance={self.instance()}",
                  "--format", '{{.Label "octohost.app"}}').split()
        return {app: apps.count(app) for app in set(apps)}

    def drained(self, *apps, timeout=60):
        """Waits until no old container of the apps is left draining."""
        core.wait_until(lambda: all(n <= 1 for app, n in self.running().items() if app in apps), timeout,
                        f"the old containers of {', '.join(apps)} to drain", 0.1)


def dockerfile(*steps, base=core.BASE_IMAGE):
    """A busybox httpd app; every image built from it carries this run's label, so cleanup finds it."""
    return "\n".join([f"FROM {base}", f"LABEL {LABEL}", *steps,
                      "EXPOSE 80", 'CMD ["httpd", "-f", "-p", "80", "-h", "/www"]', ""])


def static_site(page):
    """The app most figures push: busybox httpd serving www/index.html."""
    return {"Dockerfile": dockerfile("COPY www /www"), "www/index.html": page}


class Push:
    """A finished git push: its wall time, exit code, and each line of output with the second it arrived."""

    def __init__(self, seconds, code, lines):
        self.seconds, self.code, self.lines = seconds, code, lines

    def at(self, prefix, contains="", last=False):
        """When the first (or last) line starting with prefix (after 'remote: ') arrived, or None."""
        found = None
        for t, text in self.lines:
            text = text.removeprefix("remote: ").strip()
            if text.startswith(prefix) and contains in text:
                if not last:
                    return t
                found = t
        return found

    # the steps of a deploy, told by the lines octod sends as it goes (a step whose lines are missing is left out)
    MARKS = (("receive (ssh, negotiation, pack, index)", lambda p: 0.0),
             ("tar + send the build context", lambda p: p.at("-----> Building")),
             ("docker build", lambda p: p.at("Step 1/")),
             ("tag", lambda p: p.at("Successfully built")),
             ("create + start container", lambda p: p.at("-----> Starting")),
             ("ready (port accepts)", lambda p: p.at("started ")),
             ("route: render, nginx -t, reload, confirm", lambda p: p.at("-----> Routing")),
             ("record, update ref, exit", lambda p: p.at("-----> ", contains=" is live")))

    def timeline(self):
        """{step: seconds} from the arrival of its first line to that of the next step's."""
        marks = [(name, find(self)) for name, find in self.MARKS]
        marks = [(name, t) for name, t in marks if t is not None] + [("end", self.seconds)]
        return {name: round(marks[k + 1][1] - t, 3) for k, (name, t) in enumerate(marks[:-1])}

    def text(self):
        return "\n".join(f"{t:7.3f} {line}" for t, line in self.lines)


class AppRepo:
    """A git work tree of an app, committed and pushed with the run's key."""

    def __init__(self, name, files: dict[str, bytes | str]):
        self.dir = work() / "repos" / name
        self.dir.mkdir(parents=True)
        self.git("init", "-q", "-b", "master")
        self.commit(files, "initial")

    def git(self, *args, env=None):
        return sh("git", "-C", self.dir, *args, env=env or SshKey.git_env())

    def commit(self, files: dict, message):
        for path, content in files.items():
            target = self.dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content.encode() if isinstance(content, str) else content)
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)

    def push(self, url, refspec="master", env=None, check=True, force=True) -> Push:
        return push(self.dir, url, refspec, env, check, force)


def push(repo_dir, url, refspec="master", env=None, check=True, force=True) -> Push:
    """git push, timing each line of its output as it arrives (the server's 'remote:' lines included)."""
    args = ["git", "-C", str(repo_dir), "push", "--progress"] + (["-f"] if force else []) + [url, refspec]
    t0 = clock()
    p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env or SshKey.git_env())
    lines, pending = [], b""
    while True:
        chunk = p.stderr.read1(65536)
        if not chunk:
            break
        pending += chunk
        *complete, pending = pending.replace(b"\r", b"\n").split(b"\n")
        now = clock() - t0
        lines += [(now, c.decode(errors="replace")) for c in complete if c.strip()]
    code = p.wait()
    result = Push(clock() - t0, code, lines)
    if check and code != 0:
        raise RuntimeError(f"git push {url} {refspec} exited with {code}:\n{result.text()[-3000:]}")
    return result


def served(nginx: Nginx, app, expect: bytes, timeout=10.0):
    """Waits until nginx serves the app with the expected bytes in the body."""
    core.wait_until(lambda: expect in (nginx.get(app, timeout=2)[1] or b""), timeout,
                    f"{app} to serve {expect!r} through nginx", interval=0.01)


class Hand:
    """The work of a push done by hand: docker build, docker run as octod runs it, wait for the first answer."""

    def __init__(self, name="hand"):
        self.tag = f"bench-{core.RUN_ID}/{name}:latest"
        self.containers = []

    def run(self, context: Path, expect: bytes, tag=None) -> float:
        t0 = clock()
        sh("docker", "build", "-q", "-t", tag or self.tag, context, env=core.docker_env())
        t1 = clock()
        cid = sh("docker", "run", "-d", "--init", "--restart", "unless-stopped", "-p", "127.0.0.1::80",
                 tag or self.tag).strip()
        self.containers.append(cid)
        t2 = clock()
        ip = sh("docker", "inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", cid).strip()
        t3 = clock()
        core.wait_until(lambda: expect in (core.http_get(80, "x", address=ip, timeout=1)[1] or b""), 30,
                        f"the hand-run container {cid[:12]} to answer", interval=0.02)
        t4 = clock()
        self.timeline = {"docker build": t1 - t0, "docker run": t2 - t1, "docker inspect": t3 - t2, "first answer": t4 - t3}
        return t4 - t0

    @staticmethod
    def remove_all(hands):
        doomed = [c for hand in hands for c in hand.containers]
        if doomed:
            sh("docker", "rm", "-f", *doomed, check=False)
        for hand in hands:
            hand.containers = []

    def remove(self, keep_last=0):
        """Removes the containers this started (untimed), all but the last keep_last."""
        doomed = self.containers[:len(self.containers) - keep_last] if keep_last else self.containers
        if doomed:
            sh("docker", "rm", "-f", *doomed, check=False)
        self.containers = self.containers[len(doomed):]


def run_in_threads(fns):
    """Runs the callables at once; returns their results in order (re-raises the first failure)."""
    results, errors = [None] * len(fns), []

    def one(i, fn):
        try:
            results[i] = fn()
        except BaseException as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=one, args=(i, fn)) for i, fn in enumerate(fns)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    if errors:
        raise errors[0]
    return results
