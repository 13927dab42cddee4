"""Push to live against the hand-run floor (docker build + docker run + first answer), three ways:
a changed layer on a warm cache, a cold first push of a new app, and pushes back to back."""
import shutil
import sys
import uuid

from . import core
from .core import RUN_ID, work
from .octohost import AppRepo, Hand, Nginx, Octod, dockerfile, served, static_site
from .report import emit, interleaved, paired, ratio_figure

GOAL = 1.10


def site_files(n=100, size=10_000):
    """A static site of n text files: what the cold push sends, receives, tars and builds."""
    words = "octohost push deploy nginx docker build layer cache route release drain".split()
    return {f"www/page{i:03d}.html": " ".join(words[(i * 7 + j) % len(words)] for j in range(size // 7))
            for i in range(n)}


def print_steps(name, rounds):
    """The median time of each step over the rounds, on stderr (and in --json)."""
    steps = {}
    for r in rounds:
        for step, seconds in r.items():
            steps.setdefault(step, []).append(seconds)
    text = ", ".join(f"{step} {core.median(v):.3f}" for step, v in steps.items())
    print(f"  steps of {name} (median s): {text}", file=sys.stderr, flush=True)


def deployed(octod, app, page):
    """The app pushed to octod once, and the same tree as the build context of its hand-runs."""
    files = static_site(page)
    repo = AppRepo(app, files)
    repo.push(octod.url(app))
    return repo, hand_context(app, files)


def push_page(octod, repo, app, page):
    """Commits a new page, untimed as the hand-run's edit of its file is, and pushes it; returns the push
    and the seconds from `git push` until nginx serves the page."""
    repo.commit({"www/index.html": page}, page)
    t0 = core.clock()
    p = repo.push(octod.url(app))
    served(octod.nginx, app, page.encode())
    return p, core.clock() - t0


def hand_context(name, files):
    ctx = work() / "hand" / name
    shutil.rmtree(ctx, ignore_errors=True)
    for path, content in files.items():
        (ctx / path).parent.mkdir(parents=True, exist_ok=True)
        (ctx / path).write_text(content)
    return ctx


def run(rounds, timelines):
    nginx = Nginx("push-nginx")
    octod = Octod(nginx, name="push-octod")
    octod.start()
    # warm and cold rounds alternate: while the warm app's old containers drain, a cold push measures
    (ow, rw), (oc, rc) = interleaved(rounds, warm(octod, timelines), cold(octod, timelines))
    figures = [emit(ratio_figure("push.warm", ow, rw, GOAL, "changed layer, warm cache; drain waited out untimed")),
               emit(ratio_figure("push.cold", oc, rc, GOAL, "first push of a new app, unique base layer")),
               back_to_back(octod, rounds)]
    for name in ("push.warm", "hand.warm", "push.cold", "hand.cold"):
        print_steps(name, [r["steps"] for r in timelines[name]])
    octod.stop()
    octod.remove_containers()
    return figures


def warm(octod, timelines):
    """A changed COPY layer on a warm cache; between rounds the old containers drain (untimed)."""
    app = f"warm{RUN_ID}"
    repo, ctx = deployed(octod, app, "first")
    hand = Hand("warm")
    hand.run(ctx, b"first")
    hand.remove()

    def ours(i):
        p, seconds = push_page(octod, repo, app, f"warm round {i} {uuid.uuid4()}")
        timelines.setdefault("push.warm", []).append({"lines": p.lines, "steps": p.timeline()})
        return seconds

    def ref(i):
        stamp = f"hand round {i} {uuid.uuid4()}"
        (ctx / "www/index.html").write_text(stamp)
        seconds = hand.run(ctx, stamp.encode())
        timelines.setdefault("hand.warm", []).append({"steps": hand.timeline})
        hand.remove()
        return seconds

    return ours, ref, lambda i: octod.drained(app)


def cold(octod, timelines):
    """A new app on a base image nothing was built on yet: every step of its build runs."""
    files = site_files()
    hand = Hand("cold")

    def base(name):
        # a unique base layer, built untimed: no layer of the app's build can come from the cache
        image = f"bench-{RUN_ID}/base-{name}:latest"
        ctx = hand_context(f"base-{name}", {"Dockerfile": dockerfile(f"RUN echo {uuid.uuid4()} > /etc/nonce")})
        core.sh("docker", "build", "-q", "-t", image, ctx, env=core.docker_env())
        return image

    def app_files(image, stamp):
        return dict(files, **{"www/index.html": stamp,
                              "Dockerfile": dockerfile("RUN mkdir -p /www/assets && date > /www/assets/built",
                                                       "COPY www /www", base=image)})

    def ours(i):
        app = f"cold{i}{RUN_ID}"
        stamp = str(uuid.uuid4())
        repo = AppRepo(app, app_files(base(app), stamp))
        t0 = core.clock()
        p = repo.push(octod.url(app))
        served(octod.nginx, app, stamp.encode())
        timelines.setdefault("push.cold", []).append({"lines": p.lines, "steps": p.timeline()})
        return core.clock() - t0

    def ref(i):
        stamp = str(uuid.uuid4())
        ctx = hand_context(f"cold{i}", app_files(base(f"hand{i}"), stamp))
        seconds = hand.run(ctx, stamp.encode(), tag=f"bench-{RUN_ID}/cold{i}:latest")
        timelines.setdefault("hand.cold", []).append({"steps": hand.timeline})
        hand.remove()
        return seconds

    return ours, ref, None


def back_to_back(octod, rounds):
    """Pushes of one app one right after the other, as a team pushing fixes would: no wait for drains."""
    app = f"b2b{RUN_ID}"
    repo, ctx = deployed(octod, app, "first")
    hand = Hand("b2b")

    def ours(i):
        return push_page(octod, repo, app, f"b2b round {i} {uuid.uuid4()}")[1]

    def ref(i):
        stamp = f"hand b2b round {i} {uuid.uuid4()}"
        (ctx / "www/index.html").write_text(stamp)
        seconds = hand.run(ctx, stamp.encode())
        hand.remove(keep_last=1)  # the new one serves; the one before goes, untimed
        return seconds

    o, r = paired(rounds, ours, ref)
    hand.remove()
    return emit(ratio_figure("push.back-to-back", o, r, GOAL, "no wait for the previous push's drain"))
