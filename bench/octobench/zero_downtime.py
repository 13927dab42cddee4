"""Zero downtime: a paced load through nginx (a new connection per request) while the app is redeployed
5 times. Every request is timed and kept with the moment it started, so latency during each switch
(from the push's 'Routing' line to a second after the push returned) can be set against the steady state
(no deploy under way)."""
import http.client
import threading
import time
import uuid

from . import core
from .core import RUN_ID
from .octohost import DOMAIN, AppRepo, Nginx, Octod, served, static_site
from .report import Figure, emit

RATE = 250          # requests per second, paced
MIN_REQUESTS = 10_000
DEPLOYS = 5
SPACING = 8.0       # seconds between the starts of two redeploys (or right after the last, if it took longer)
SETTLE = 1.0        # the switch window ends this long after the push returned


class PacedLoad:
    """GETs at a fixed rate from a pool of threads; each result: (start, seconds, error or None)."""

    def __init__(self, port, host, rate=RATE, threads=24):
        self.port, self.host, self.rate = port, host, rate
        self.results, self.next, self.lock = [], 0, threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.worker, daemon=True) for _ in range(threads)]

    def start(self):
        self.t0 = core.clock()
        [t.start() for t in self.threads]

    def stop(self):
        self.stopping.set()
        [t.join() for t in self.threads]

    def worker(self):
        while not self.stopping.is_set():
            with self.lock:
                k, self.next = self.next, self.next + 1
            wait = self.t0 + k / self.rate - core.clock()
            if wait > 0:
                time.sleep(wait)
            start = core.clock()
            error = None
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                c.request("GET", "/", headers={"Host": self.host, "Connection": "close"})
                r = c.getresponse()
                r.read()
                c.close()
                if r.status != 200:
                    error = f"HTTP {r.status}"
            except OSError as e:
                error = repr(e)
            with self.lock:
                self.results.append((start, core.clock() - start, error))


def pct(latencies, p):
    ordered = sorted(latencies)
    return 1000 * ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else float("nan")


def p99(latencies):
    return pct(latencies, 0.99)


def run(rounds, timelines):
    nginx = Nginx("zdt-nginx")
    octod = Octod(nginx, name="zdt-octod")
    octod.start()
    app = f"zdt{RUN_ID}"
    repo = AppRepo(app, static_site("v0"))
    repo.push(octod.url(app))
    served(nginx, app, b"v0")
    load = PacedLoad(nginx.port, f"{app}.{DOMAIN}")
    load.start()
    windows = []  # (push start, routing line, push end)
    deploys = max(DEPLOYS, rounds)
    for i in range(deploys):
        time.sleep(max(0.0, load.t0 + 4 + i * SPACING - core.clock()))
        repo.commit({"www/index.html": f"v{i + 1} {uuid.uuid4()}"}, f"v{i + 1}")
        start = core.clock()
        p = repo.push(octod.url(app))
        routing = p.at("-----> Routing")
        windows.append((start, start + routing if routing is not None else start, start + p.seconds))
        core.log(f"redeploy {i + 1}: {p.seconds:.2f} s")
    enough = load.t0 + MIN_REQUESTS / RATE + 1
    time.sleep(max(0.0, enough - core.clock(), windows[-1][2] + 3 - core.clock()))
    load.stop()
    octod.stop()
    octod.remove_containers()

    results = load.results
    seconds = max(s for s, _, _ in results) - load.t0
    failed = [e for _, _, e in results if e]
    switch = [d for s, d, e in results if any(r <= s <= end + SETTLE for _, r, end in windows)]
    steady = [d for s, d, e in results if not any(b <= s <= end + SETTLE for b, _, end in windows)]
    rate = len(results) / seconds
    holds = not failed and len(results) >= MIN_REQUESTS and rate >= 200
    note = f"{len(results):,} requests at {rate:.0f} req/s across {deploys} redeploys"
    if failed:
        note += f"; first failures: {failed[:3]}"
    return [
        emit(Figure("zero-downtime.failed", len(failed), len(results), "req", None,
                    "0 of >=10,000 @ >=200/s", holds, note)),
        emit(Figure("zero-downtime.p99 switch/steady", p99(switch), p99(steady), "ms", p99(switch) / p99(steady),
                    "report both", None,
                    f"{len(switch):,} requests in switches, {len(steady):,} steady; p50 {pct(switch, 0.5):.0f}/"
                    f"{pct(steady, 0.5):.0f} ms, p90 {pct(switch, 0.9):.0f}/{pct(steady, 0.9):.0f} ms; max "
                    f"{1000 * max(d for _, d, _ in results):.0f} ms",
                    {"windows": [[round(b - load.t0, 3), round(r - load.t0, 3), round(e - load.t0, 3)] for b, r, e in windows]})),
    ]
