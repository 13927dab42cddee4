"""octod's start: from exec until its SSH server greets and its API socket answers a command, with and
without class data sharing, started by the package's launcher; and its resident memory when idle after
a start. The reference is a bare JVM start (java -version) in the same rounds: it shows how busy the
machine is (the goal is absolute)."""
import subprocess
import sys
import time

from . import core
from .octohost import Launchers, Nginx, Octod
from .report import Figure, emit

GOAL_START = 1.0
GOAL_RSS = 150


def jvm_start(_i=None):
    t0 = core.clock()
    subprocess.run(["java", "-version"], capture_output=True, check=True)
    return core.clock() - t0


def run(rounds, timelines):
    launchers = Launchers.get()
    nginx = Nginx("start-nginx")
    octod = Octod(nginx, name="start-octod")
    octod.start()  # the first start makes the host key and the instance id: not what a restart does
    octod.stop()
    plain, cds, ref, rss, cpu = [], [], [], [], {True: [], False: []}
    for i in range(rounds):
        for variant in (("plain", "cds", "ref") if i % 2 == 0 else ("ref", "cds", "plain")):
            if variant == "ref":
                ref.append(jvm_start())
                continue
            seconds = octod.start(cds=variant == "cds")
            (cds if variant == "cds" else plain).append(seconds)
            cpu[variant == "cds"].append(octod.start_cpu)
            if variant == "cds":
                time.sleep(2)  # idle: nothing deploys, the route refresh ticks
                rss.append(octod.rss_mb())
            octod.stop()
        print(f"  round {i + 1}: without AppCDS {plain[-1]:.2f} s, with {cds[-1]:.2f} s, java -version {ref[-1]:.2f} s, "
              f"idle RSS {rss[-1]:.0f} MB", file=sys.stderr, flush=True)
    m = core.median
    return [
        emit(Figure("start.octod (no AppCDS)", m(plain), m(ref), "s", m(plain) / m(ref), f"<= {GOAL_START:.1f} s",
                    m(plain) <= GOAL_START, f"{m(cpu[False]):.2f} CPU-s; until SSH greets and both APIs answer; ref: java -version",
                    {"ours": plain, "ref": ref, "cpu": cpu[False]})),
        emit(Figure("start.octod (AppCDS)", m(cds), m(ref), "s", m(cds) / m(ref), f"<= {GOAL_START:.1f} s",
                    m(cds) <= GOAL_START, f"{m(cpu[True]):.2f} CPU-s; archive made (or found up to date) in {launchers.dump_seconds:.0f} s",
                    {"ours": cds, "ref": ref, "cpu": cpu[True]})),
        emit(Figure("rss.octod idle after start", m(rss), None, "MB", None, f"<= {GOAL_RSS} MB", m(rss) <= GOAL_RSS,
                    "2 s after start, AppCDS", {"ours": rss})),
    ]
