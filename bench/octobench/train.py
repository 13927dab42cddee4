"""bench/train-cds: the training run behind the class data sharing archives. Runs octod and octo through
what users do (pushes, a rollback, config and domain changes, commands over the API socket and SSH, a
tag push, the HTTP API) with -XX:DumpLoadedClassList, and writes the class lists the package ships
(packaging/deb/src/deb/share/octod.classlist, octo.classlist). cds-archive makes the archives from them
at install time. Run it again after changes that load other classes; a stale list only leaves the new
classes out of the archive."""
import shutil
import subprocess
import sys

from . import core
from .octohost import DEB, OCTO_JAR, AppRepo, Nginx, Octod, SshKey, api_call, served, static_site

OCTO_FLAGS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]  # as packaging/deb/src/deb/bin/octo runs it


def main():
    lists = core.work() / "lists"
    lists.mkdir()
    nginx = Nginx()
    octod = Octod(nginx, "--drain-grace", "1", java_opts=f"-Xshare:off -XX:DumpLoadedClassList={lists}/octod.classlist",
                  cds=False)
    octod.start()
    app = f"train{core.RUN_ID}"
    repo = AppRepo(app, static_site("one"))
    repo.push(octod.url(app))
    repo.commit({"www/index.html": "two", "CNAME": f"www.{app}.example\n"}, "two")
    repo.push(octod.url(app))
    served(nginx, app, b"two")
    repo.git("tag", "v1")
    repo.push(octod.url(app), "refs/tags/v1")
    for argv in (["apps"], ["apps", "--json"], ["apps:info", app], ["config:set", app, "A=1"], ["config", app],
                 ["domains:add", app, f"x.{app}.example"], ["releases", app], ["rollback", app], ["logs", app, "--tail", "3"],
                 ["keys:list"], ["state:export"], ["nosuch"], ["apps:info", "nosuch"]):
        api_call(octod.socket, argv)  # errors too: their classes load as well
    ssh = ["ssh", "-i", SshKey.path(), "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=no",
           "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-p", str(octod.ssh_port), "git@127.0.0.1"]
    core.sh(*ssh, "apps")
    # the HTTP API: its document, a refusal, and an app's records with a token
    token = octod.octo("tokens:create", "train").strip()
    for path, auth in (("/v1/openapi.json", None), ("/v1/apps", None), ("/v1/apps", token), (f"/v1/apps/{app}", token),
                       (f"/v1/apps/{app}/releases", token), (f"/v1/apps/{app}/builds", token)):
        core.http_get(octod.http_api_port, "127.0.0.1", path, headers={"Authorization": f"Bearer {auth}"} if auth else {})
    for argv in (["apps"], ["apps", "--json"], ["keys:list"], ["nosuch"]):
        subprocess.run(["java", "-Xshare:off", f"-XX:DumpLoadedClassList={lists}/octo.classlist", *OCTO_FLAGS,
                        "-jar", OCTO_JAR, "--api-socket", octod.socket, *argv], capture_output=True)
    octod.stop()
    octod.remove_containers()
    core.remove_docker_objects()
    for name in ("octod", "octo"):
        shutil.copy(lists / f"{name}.classlist", DEB / f"share/{name}.classlist")
        count = sum(1 for line in open(lists / f"{name}.classlist") if not line.startswith("@"))
        print(f"{DEB / f'share/{name}.classlist'}: {count} classes")


if __name__ == "__main__":
    sys.exit(main())
