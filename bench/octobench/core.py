"""The bench's plumbing: one work dir, free ports, the processes and Docker objects it started, and
their cleanup. Everything Docker-side carries the label octohost.bench=RUN_ID (the apps' Dockerfiles
set it, and containers inherit their image's labels), so cleanup removes this run's objects only."""
import atexit
import http.client
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUN_ID = uuid.uuid4().hex[:8]
LABEL = f"octohost.bench={RUN_ID}"
BASE_IMAGE = "octohost/busybox:latest"
clock = time.monotonic

_work = None
_cleanups = []
_ports = set()


def work() -> Path:
    global _work
    if _work is None:
        _work = Path(tempfile.mkdtemp(prefix="octohost-bench."))
        on_exit(lambda: shutil.rmtree(_work, ignore_errors=True))
    return _work


def on_exit(fn):
    """Runs fn at exit, last registered first."""
    _cleanups.append(fn)
    return fn


def cleanup():
    while _cleanups:
        fn = _cleanups.pop()
        try:
            fn()
        except Exception as e:  # cleanup goes on with the rest
            print(f"bench: cleanup: {e}", file=sys.stderr)


def _on_signal(signum, _frame):
    raise SystemExit(128 + signum)


atexit.register(cleanup)
for _s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
    signal.signal(_s, _on_signal)


def free_port() -> int:
    """A loopback port nobody listens on, never handed out twice in one run."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in _ports:
            _ports.add(port)
            return port


def sh(*args, check=True, env=None, cwd=None, stdin=None) -> str:
    """Runs a command, returns its stdout; on failure raises with its stderr."""
    p = subprocess.run([str(a) for a in args], input=stdin, capture_output=True, env=env, cwd=cwd)
    if check and p.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args))} exited with {p.returncode}: "
                           f"{p.stderr.decode(errors='replace').strip()[-600:]}")
    return p.stdout.decode(errors="replace")


def spawn(args, log: Path, env=None) -> subprocess.Popen:
    """Starts a process in its own session (so it and its children end together) and stops it at exit."""
    out = open(log, "ab")
    p = subprocess.Popen([str(a) for a in args], stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                         env=env, start_new_session=True)
    out.close()
    on_exit(lambda: stop(p))
    return p


def stop(p: subprocess.Popen, timeout=15):
    if p.poll() is not None:
        return
    try:
        os.killpg(p.pid, signal.SIGTERM)
        p.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()
    except ProcessLookupError:
        pass


def docker_env():
    # the engine's own (legacy) builder, as octod uses it through the API
    return dict(os.environ, DOCKER_BUILDKIT="0")


def remove_docker_objects(label=LABEL):
    """Removes the containers and images carrying the label: this run's, nobody else's."""
    ids = sh("docker", "ps", "-aq", "--filter", f"label={label}").split()
    if ids:
        sh("docker", "rm", "-f", *ids, check=False)
    for _ in range(5):
        images = sorted(set(sh("docker", "images", "-aq", "--filter", f"label={label}").split()))
        if not images:
            return
        sh("docker", "rmi", "-f", *images, check=False)


def http_get(port, host, path="/", timeout=5.0, address="127.0.0.1", headers=None):
    """(status, body) of a GET, or (None, error text)."""
    try:
        c = http.client.HTTPConnection(address, port, timeout=timeout)
        c.request("GET", path, headers={"Host": host, "Connection": "close", **(headers or {})})
        r = c.getresponse()
        body = r.read()
        c.close()
        return r.status, body
    except OSError as e:
        return None, str(e).encode()


def wait_until(predicate, timeout, what, interval=0.02):
    deadline = clock() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if clock() > deadline:
            raise RuntimeError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def median(values):
    return statistics.median(values) if values else float("nan")


def rss_mb(pid) -> float:
    """Resident set size of a process, in MiB (anonymous and file-backed pages it touched)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def cpu_seconds(pid) -> float:
    """CPU time (user + system) a process has used so far: a machine's other load does not inflate it."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def log(text):
    print(f"  [{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)
