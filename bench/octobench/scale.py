"""What grows with the number of apps: with 1, 10, 50 and 100 tiny apps deployed (busybox httpd), the time
octod takes to re-route (a domains:add: render, nginx -t, reload, confirm, store), the push-to-live of
one more app (each round's new app stays: round k runs with level + k apps), one `apps` listing, and
octod's idle resident memory. Each
level is set against the first (1 app): the goal is flat, at most 2x at 100 apps. nginx's own -t at each
level is reported beside, as what nginx itself costs."""
import sys
import time

from . import core
from .core import RUN_ID
from .octohost import IDLE, AppRepo, Nginx, Octod, api_call, run_in_threads, served, static_site
from .report import Figure, emit

LEVELS = (1, 10, 50, 100)
GOAL = 2.0
SETUP_THREADS = 6


def run(rounds, timelines):
    nginx = Nginx("scale-nginx")
    octod = Octod(nginx, name="scale-octod")
    octod.start()
    deployed = []

    def deploy(app):
        # the same tree for every app: their builds come from the cache, only the measured pushes build
        AppRepo(app, static_site("tiny")).push(octod.url(app))

    def timed(fn):
        t0 = core.clock()
        fn()
        return core.clock() - t0

    def route(i):
        code, out = api_call(octod.socket, ["domains:add", deployed[0], f"d{len(deployed)}-{i}.example"])
        if code != 0:
            raise RuntimeError(f"domains:add: {out}")

    def one_more(i):
        app = f"s{len(deployed)}{RUN_ID}"
        repo = AppRepo(app, static_site(app))
        t0 = core.clock()
        repo.push(octod.url(app))
        served(nginx, app, app.encode())
        deployed.append(app)  # it stays: the next level has that many fewer to deploy
        return core.clock() - t0

    def listing():
        code, out = api_call(octod.socket, ["apps"], timeout=600)
        if code != 0:
            raise RuntimeError(f"apps: {out}")

    results = {}
    for level in LEVELS:
        t0 = core.clock()
        todo = [f"s{k}{RUN_ID}" for k in range(len(deployed), level)]  # (after 1, the rounds' extra apps count)
        for k in range(0, len(todo), SETUP_THREADS):
            run_in_threads([lambda a=a: deploy(a) for a in todo[k:k + SETUP_THREADS]])
        deployed += todo
        core.log(f"{level} apps deployed ({core.clock() - t0:.0f} s)")
        r = {"route": [], "push": [], "apps": [], "nginx -t": []}
        for i in range(rounds):
            r["route"].append(timed(lambda: route(i)))
            r["push"].append(one_more(i))
            r["nginx -t"].append(timed(lambda: core.sh(*nginx.cmd, "-t", "-q")))
            if i < (2 if level < 50 else 1):  # a listing of 50 apps takes seconds: one is enough to see the growth
                r["apps"].append(timed(listing))
        time.sleep(IDLE)
        r["rss"] = octod.rss_mb()
        results[level] = r
        print(f"  {level} apps: route {core.median(r['route']):.2f} s, one more app {core.median(r['push']):.2f} s, "
              f"apps {core.median(r['apps']):.2f} s, nginx -t {core.median(r['nginx -t']):.2f} s, RSS {r['rss']:.0f} MB",
              file=sys.stderr, flush=True)
    octod.stop()
    octod.remove_containers()
    m = core.median
    base = results[LEVELS[0]]
    figures = []
    for level in LEVELS[1:]:
        r = results[level]
        for what, label in (("route", "route (render+t+reload+confirm)"), ("push", "push-to-live of one more")):
            ratio = m(r[what]) / m(base[what])
            figures.append(emit(Figure(f"scale.{label} @{level}", m(r[what]), m(base[what]), "s", ratio,
                                       f"ratio <= {GOAL:.1f} vs 1 app", ratio <= GOAL,
                                       f"nginx -t alone {m(r['nginx -t']):.2f} s vs {m(base['nginx -t']):.2f} s"
                                       if what == "route" else "", {"ours": r[what], "ref": base[what]})))
        figures.append(emit(Figure(f"scale.octo apps listing @{level}", m(r["apps"]), m(base["apps"]), "s",
                                   m(r["apps"]) / m(base["apps"]), "report", None, "vs 1 app",
                                   {"ours": r["apps"], "ref": base["apps"]})))
    for level in LEVELS[2:]:  # the goal is for 50 deploys (rss in parallel): this is 50 and 100 apps running
        figures.append(emit(Figure(f"rss.octod idle, {level} apps running", results[level]["rss"], base["rss"], "MB",
                                   results[level]["rss"] / base["rss"], "report", None, f"{IDLE} s idle; ref: 1 app")))
    return figures
