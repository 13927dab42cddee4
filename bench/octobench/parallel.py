"""10 different apps pushed at once against the same 10 pushed one after the other: the total time of
each, and their ratio. The ceiling is the builds' own parallelism on this machine: the same 10 hand-runs
(docker build + docker run + first answer) at once against one after the other, in the same rounds.
After them, octod's idle resident memory: it has deployed 10 + 10 x 2 x rounds times."""
import sys
import time
import uuid

from . import core
from .core import RUN_ID
from .octohost import IDLE, AppRepo, Hand, Nginx, Octod, run_in_threads, served, static_site
from .push import hand_context
from .report import Figure, emit
from .start import GOAL_RSS

APPS = 10
SLACK = 1.10  # octod's ratio may exceed the hand-runs' by this factor


def run(rounds, timelines):
    nginx = Nginx("parallel-nginx")
    octod = Octod(nginx, name="parallel-octod")
    octod.start()
    apps = [f"par{k}{RUN_ID}" for k in range(APPS)]
    files = static_site("first")
    repos = {a: AppRepo(a, files) for a in apps}
    run_in_threads([lambda a=a: repos[a].push(octod.url(a)) for a in apps])
    hands = {a: (Hand(f"par{k}"), hand_context(f"par{k}", files)) for k, a in enumerate(apps)}

    rejected = []

    def push_one(app, stamp):
        repos[app].commit({"www/index.html": stamp}, stamp)
        p = repos[app].push(octod.url(app), check=False)
        if p.code != 0:  # pushed again at once, as its user would; the figure says how often and why
            rejected.append(next((line for _, line in reversed(p.lines) if "error:" in line), p.text()[-200:]))
            repos[app].push(octod.url(app))
        served(nginx, app, stamp.encode())

    def hand_one(app, stamp):
        hand, ctx = hands[app]
        (ctx / "www/index.html").write_text(stamp)
        hand.run(ctx, stamp.encode())

    def timed(work, at_once):
        stamps = {a: f"{uuid.uuid4()}" for a in apps}
        t0 = core.clock()
        if at_once:
            run_in_threads([lambda a=a: work(a, stamps[a]) for a in apps])
        else:
            for a in apps:
                work(a, stamps[a])
        seconds = core.clock() - t0
        Hand.remove_all([hand for hand, _ in hands.values()])
        return seconds

    def octod_phase(at_once):
        octod.drained(*apps)  # pushes minutes apart: no drain pending (push.back-to-back measures that)
        return timed(push_one, at_once)

    par, ser, hpar, hser = [], [], [], []
    for i in range(rounds):
        phases = [lambda: par.append(octod_phase(True)), lambda: hser.append(timed(hand_one, False)),
                  lambda: ser.append(octod_phase(False)), lambda: hpar.append(timed(hand_one, True))]
        for phase in (phases if i % 2 == 0 else phases[1:] + phases[:1]):
            phase()
        print(f"  round {i + 1}: octohost {par[-1]:.1f} s at once, {ser[-1]:.1f} s one by one; "
              f"by hand {hpar[-1]:.1f} s at once, {hser[-1]:.1f} s one by one", file=sys.stderr, flush=True)
    deploys = APPS * (1 + 2 * rounds)
    time.sleep(IDLE)
    rss = octod.rss_mb()
    octod.stop()
    octod.remove_containers()
    m = core.median
    ours = m([a / b for a, b in zip(par, ser)])
    ceiling = m([a / b for a, b in zip(hpar, hser)])
    return [
        emit(Figure("parallel.hand 10 at once/serial", m(hpar), m(hser), "s", ceiling, "the ceiling", None,
                    "docker build+run+answer by hand", {"ours": hpar, "ref": hser})),
        emit(Figure("parallel.octod 10 at once/serial", m(par), m(ser), "s", ours, f"ratio <= {ceiling * SLACK:.2f}",
                    ours <= ceiling * SLACK and not rejected, f"ceiling {ceiling:.2f} x {SLACK:.2f}" + (
                        f"; {len(rejected)} of {2 * APPS * rounds} pushes rejected, pushed again: "
                        f"{rejected[0].removeprefix('remote:').strip()}" if rejected else ""),
                    {"ours": par, "ref": ser, "rejected": rejected})),
        emit(Figure(f"rss.octod idle after {deploys} deploys", rss, None, "MB", None, f"<= {GOAL_RSS} MB",
                    rss <= GOAL_RSS, f"{APPS} apps running, {IDLE} s idle")),
    ]
