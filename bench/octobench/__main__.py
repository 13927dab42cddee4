"""bench/run [NAME...]: runs the benchmarks and prints one line per figure (see BENCHMARKS.md)."""
import argparse
import importlib
import json
import os
import platform
import sys
import threading
import time
import traceback

from . import core
from .report import HEADER, line

# name -> module; each module's run(rounds, timelines) returns its figures
BENCHES = {
    "push": "push",
    "zero-downtime": "zero_downtime",
    "receive": "receive",
    "start": "start",
    "cli": "cli",
    "scale": "scale",
    "rollback": "rollback",
    "parallel": "parallel",
}


def machine():
    mem = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal:")) / 1024 / 1024
    load = os.getloadavg()[0]
    return f"{os.cpu_count()} cores, {mem:.0f} GiB, {platform.system()} {platform.release()}, load {load:.1f} at start"


class LoadSampler:
    """The machine's 1-minute load average every 10 s during the run: how busy the figures' machine was."""

    def __init__(self):
        self.samples = []
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self):
        while True:
            self.samples.append(os.getloadavg()[0])
            time.sleep(10)

    def summary(self):
        s = sorted(self.samples)
        return f"load during the run: median {core.median(s):.1f}, min {s[0]:.1f}, max {s[-1]:.1f} on {os.cpu_count()} cores"


def main():
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__)
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"one or more of: {', '.join(BENCHES)} (default: all)")
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("ROUNDS", "5")), help="rounds per figure (>= 5)")
    parser.add_argument("--json", metavar="FILE", help="also write every figure, round and push timeline to FILE")
    parser.add_argument("--profile", metavar="DIR", help="record each octod's CPU samples (async-profiler) in DIR")
    args = parser.parse_args()
    if args.profile:
        from pathlib import Path
        from .octohost import Profiler
        Profiler.dir = Path(args.profile).resolve()
    unknown = [n for n in args.names if n not in BENCHES]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; known: {', '.join(BENCHES)}")
    names = args.names or list(BENCHES)
    started = time.monotonic()
    host = machine()
    load = LoadSampler()
    print(f"octohost bench {core.RUN_ID}: {host}; {args.rounds} rounds, medians; ratio = median of per-round ratios")
    print(HEADER, flush=True)
    figures, timelines, failed = [], {}, []
    for name in names:
        t0 = time.monotonic()
        core.log(f"{name}: starting")
        try:
            module = importlib.import_module(f".{BENCHES[name]}", __package__)
            figures += module.run(args.rounds, timelines)
        except Exception:
            failed.append(name)
            print(f"{name:<34} FAILED (see stderr)", flush=True)
            traceback.print_exc()
        finally:
            core.remove_docker_objects()
        core.log(f"{name}: {time.monotonic() - t0:.0f} s")
    total = time.monotonic() - started
    misses = [f.name for f in figures if f.holds is False]
    print(f"{len(figures)} figures in {total / 60:.1f} min: {sum(f.holds is True for f in figures)} pass, "
          f"{len(misses)} miss, {sum(f.holds is None for f in figures)} reported without a goal"
          + (f"; FAILED: {', '.join(failed)}" if failed else ""))
    print(load.summary())
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"run": core.RUN_ID, "machine": host, "load": load.samples, "minutes": total / 60,
                       "figures": [dict(vars(f), verdict=f.verdict(), line=line(f)) for f in figures],
                       "timelines": timelines}, out, indent=1)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
