"""Rollback right after a deploy: push a new release, then at once `rollback` over the API socket, timed
until nginx serves the previous release again. The reference is the app's own start done by hand
(docker run of the built image + first answer), measured in the same rounds; the goal allows 2 s more."""
import sys
import uuid

from . import core
from .core import RUN_ID
from .octohost import Hand, Nginx, Octod, api_call, served
from .push import deployed
from .report import Figure, emit

GRACE = 2.0


def run(rounds, timelines):
    nginx = Nginx("rollback-nginx")
    octod = Octod(nginx, name="rollback-octod")
    octod.start()
    app = f"rb{RUN_ID}"
    repo, ctx = deployed(octod, app, "v0")
    hand = Hand("rollback")
    hand.run(ctx, b"v0")  # builds the image once: the reference starts it, as a rollback does
    hand.remove()

    def ours(i):
        before = nginx.get(app)[1]
        repo.commit({"www/index.html": f"round {i} {uuid.uuid4()}"}, f"round {i}")
        repo.push(octod.url(app))  # untimed: the deploy to roll back from
        t0 = core.clock()
        code, out = api_call(octod.socket, ["rollback", app])
        if code != 0:
            raise RuntimeError(f"rollback: {out}")
        served(nginx, app, before)
        return core.clock() - t0

    def ref(i):
        t0 = core.clock()
        cid = core.sh("docker", "run", "-d", "--init", "--restart", "unless-stopped", "-p", "127.0.0.1::80", hand.tag).strip()
        hand.containers.append(cid)
        ip = core.sh("docker", "inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", cid).strip()
        core.wait_until(lambda: core.http_get(80, "x", address=ip, timeout=1)[0] == 200, 30, "the app to answer")
        seconds = core.clock() - t0
        hand.remove()
        return seconds

    o, r = [], []
    for i in range(rounds):
        o.append(ours(i))
        r.append(ref(i))
        print(f"  round {i + 1}: rollback to live {o[-1]:.2f} s, the app's start by hand {r[-1]:.2f} s",
              file=sys.stderr, flush=True)
    octod.stop()
    octod.remove_containers()
    extra = core.median([a - b for a, b in zip(o, r)])
    return [emit(Figure("rollback.right after a deploy", core.median(o), core.median(r), "s", core.median(o) / core.median(r),
                        f"<= app start + {GRACE:.0f} s", extra <= GRACE,
                        f"{extra:.2f} s more than the app's start (median per round)", {"ours": o, "ref": r}))]
