"""One `octo apps` over the local API socket, wall time from exec to exit, run by the package's launcher
(class data sharing, the quick compiler, the serial collector) and, as before, by a plain
`java -jar octo.jar`; octod holds one deployed app. The reference is a bare JVM start (java -version) in
the same rounds; the note splits off how long octod itself takes to answer."""
import os
import subprocess

from . import core
from .core import RUN_ID
from .octohost import OCTO_JAR, AppRepo, Launchers, Nginx, Octod, api_call, static_site
from .report import Figure, emit
from .start import jvm_start

GOAL = 0.4


def run(rounds, timelines):
    launchers = Launchers.get()
    nginx = Nginx("cli-nginx")
    octod = Octod(nginx, name="cli-octod")
    octod.start()
    app = f"cli{RUN_ID}"
    AppRepo(app, static_site("cli")).push(octod.url(app))

    def octo(launcher):
        command = [launchers.octo()] if launcher else ["java", "-jar", OCTO_JAR]
        t0 = core.clock()
        p = subprocess.run(command + ["--api-socket", octod.socket, "apps"], capture_output=True,
                           env=dict(os.environ, LC_ALL="C.UTF-8"))
        if p.returncode != 0 or app.encode() not in p.stdout:
            raise RuntimeError(f"octo apps: {p.returncode} {p.stdout!r} {p.stderr!r}")
        return core.clock() - t0

    def server():
        t0 = core.clock()
        api_call(octod.socket, ["apps"])
        return core.clock() - t0

    for _ in range(2):  # octod's first answers run cold code; a host's octod has answered many
        octo(True)
    plain, cds, ref, answer = [], [], [], []
    for i in range(max(rounds, 10)):
        steps = [lambda: cds.append(octo(True)), lambda: plain.append(octo(False)), lambda: ref.append(jvm_start()),
                 lambda: answer.append(server())]
        for step in (steps if i % 2 == 0 else steps[::-1]):
            step()
    octod.stop()
    octod.remove_containers()
    m = core.median
    note = f"octod answers in {m(answer):.2f} s of it; ref: java -version"
    return [
        emit(Figure("cli.octo apps (launcher)", m(cds), m(ref), "s", m(cds) / m(ref), f"<= {GOAL} s", m(cds) <= GOAL, note,
                    {"ours": cds, "ref": ref, "octod": answer})),
        emit(Figure("cli.octo apps (java -jar, before)", m(plain), m(ref), "s", m(plain) / m(ref), f"<= {GOAL} s",
                    m(plain) <= GOAL, "no launcher options", {"ours": plain, "ref": ref})),
    ]
