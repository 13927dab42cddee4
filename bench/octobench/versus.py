"""python3 -m octobench.versus BEFORE.jar [--rounds N]: a change's before and after in one run. Two octods,
one on BEFORE.jar (say, octod.jar built before the change) and one on this tree's jar, side by side on
one nginx, take turns round by round (alternating which goes first): an `apps` over SSH, and a warm
push-to-live of a changed page. Prints each figure's medians and the median of the per-round ratios
after/before."""
import argparse
import sys
import uuid
from pathlib import Path

from . import core
from .octohost import OCTOD_JAR, AppRepo, Launchers, Nginx, Octod, SshKey, served, static_site
from .report import HEADER, emit, paired, ratio_figure


class JarOctod(Octod):
    """octod started by the package's launcher (without an archive: it is made for this tree's jar) on another jar."""

    def __init__(self, nginx, jar, name):
        super().__init__(nginx, "--drain-grace", "1", cds=False, name=name)
        self.launcher = self.dir / "octod"
        self.launcher.write_text(Launchers.get().octod(cds=False).read_text().replace(str(OCTOD_JAR), str(jar)))
        self.launcher.chmod(0o755)

    def command(self, cds):
        return [self.launcher, *super().command(cds)[1:]]


def main():
    parser = argparse.ArgumentParser(prog="python3 -m octobench.versus", description=__doc__)
    parser.add_argument("before", type=Path, help="octod.jar built before the change")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    core.on_exit(core.remove_docker_objects)  # this run's containers and images, also when a round fails
    nginx = Nginx("versus-nginx")
    before, after = JarOctod(nginx, args.before.resolve(), "before"), JarOctod(nginx, OCTOD_JAR, "after")
    ssh = ["ssh", "-i", SshKey.path(), "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=no",
           "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "git@127.0.0.1"]
    repos = {}
    for octod in (before, after):
        octod.start()
        app = f"vs{octod.dir.name}{core.RUN_ID}"
        repos[octod] = app, AppRepo(app, static_site("first"))
        repos[octod][1].push(octod.url(app))

    def ssh_apps(octod):
        def one(_):
            t0 = core.clock()
            core.sh(*ssh, "-p", str(octod.ssh_port), "apps")
            return core.clock() - t0
        return one

    def push(octod):
        def one(i):
            app, repo = repos[octod]
            page = f"round {i} {uuid.uuid4()}"
            repo.commit({"www/index.html": page}, page)
            t0 = core.clock()
            if repo.push(octod.url(app), check=False).code != 0:  # a shared dockerd can lose a layer mid-build
                core.log(f"{octod.dir.name}: push rejected, pushed again (timed)")
                repo.push(octod.url(app))
            served(nginx, app, page.encode())
            return core.clock() - t0
        return one

    print(HEADER.replace("octohost", "   after").replace("reference", "   before"), flush=True)
    for name, timed in (("ssh apps", ssh_apps), ("push.warm", push)):
        ours, refs = paired(args.rounds, timed(after), timed(before),
                            lambda i: [o.drained(repos[o][0]) for o in (before, after)])
        emit(ratio_figure(f"versus.{name}", ours, refs, 1.0, f"{args.before.name} -> {OCTOD_JAR.name}"))
    for octod in (before, after):
        octod.stop()
        octod.remove_containers()


if __name__ == "__main__":
    sys.exit(main())
