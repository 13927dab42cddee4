# shellcheck shell=bash
# Helpers shared by scripts/run and scripts/test. Source it; do not run it.
# Every helper is idempotent: a second call finds the work done and does nothing.
# They expect to run as root on Debian 12 (no systemd needed).

OCTOHOST_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BASE_IMAGE="octohost/busybox:latest"

log() { echo "==> $*" >&2; }
die() { echo "error: $*" >&2; exit 1; }

# Debian packages octohost needs to build, test and run.
OCTOHOST_PACKAGES=(
  openjdk-17-jdk-headless maven docker.io nginx git openssh-client
  busybox-static curl procps iproute2
)

_pkg_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

# Installs the packages that are missing; runs `apt-get update` at most once, and
# only when something has to be installed.
ensure_packages() {
  local missing=() p
  for p in "${OCTOHOST_PACKAGES[@]}" "$@"; do
    _pkg_installed "$p" || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || die "missing packages (${missing[*]}); run as root to install them"
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # nginx's postinst tries to start the service; without systemd or an init script
  # runner that may fail harmlessly, so policy-rc.d keeps it from trying.
  local policy=/usr/sbin/policy-rc.d made_policy=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=1
  fi
  local rc=0
  apt-get install -y -qq "${missing[@]}" >&2 || rc=$?
  if [ -n "$made_policy" ]; then rm -f "$policy"; fi
  [ "$rc" = 0 ] || die "apt-get install failed ($rc)"
}

# Starts dockerd detached unless an engine already answers; waits up to 60 s.
ensure_dockerd() {
  if docker info >/dev/null 2>&1; then return 0; fi
  if [ -n "${DOCKER_HOST:-}" ] && [[ "$DOCKER_HOST" != unix://* ]]; then
    die "DOCKER_HOST=$DOCKER_HOST does not answer"
  fi
  local pidfile=/var/run/docker.pid
  if [ -f "$pidfile" ]; then
    local pid; pid="$(cat "$pidfile" 2>/dev/null || true)"
    if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
      log "removing stale $pidfile"
      rm -f "$pidfile"
    fi
  fi
  # a killed dockerd can linger as a zombie, which pgrep still lists: count live ones only
  if ! ps -C dockerd -o stat= 2>/dev/null | grep -qv '^Z'; then
    log "starting dockerd (log: /var/log/dockerd.log)"
    setsid dockerd >/var/log/dockerd.log 2>&1 </dev/null &
  fi
  local i
  for i in $(seq 1 120); do
    docker info >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  tail -n 20 /var/log/dockerd.log >&2 || true
  die "dockerd did not answer within 60 s"
}

# Builds the local base image: busybox-static on scratch (nothing can be pulled here).
ensure_base_image() {
  if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then return 0; fi
  local busybox=/bin/busybox
  [ -x "$busybox" ] || busybox="$(command -v busybox || true)"
  [ -n "$busybox" ] && [ -x "$busybox" ] || die "busybox not found (install busybox-static)"
  local ctx; ctx="$(mktemp -d)"
  cp "$busybox" "$ctx/busybox"
  cat >"$ctx/Dockerfile" <<'EOF'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
CMD ["/bin/sh"]
EOF
  log "building $BASE_IMAGE"
  local rc=0
  # The legacy builder: it needs no buildx plugin, and dockerd 20.10 runs it as is.
  DOCKER_BUILDKIT=0 docker build -t "$BASE_IMAGE" "$ctx" >"$ctx.log" 2>&1 || rc=$?
  [ "$rc" = 0 ] || cat "$ctx.log" >&2
  rm -rf "$ctx" "$ctx.log"
  # A dynamically linked busybox (package busybox, not busybox-static) fails the RUN step.
  [ "$rc" = 0 ] || die "building $BASE_IMAGE failed (is /bin/busybox from busybox-static?)"
}

# Builds octod/target/octod.jar and octo-cli/target/octo.jar (only those modules: the .deb and the
# end-to-end tests are not needed to run, and a test of scripts/run must not rebuild its own classes).
build_project() {
  local jar stale=
  for jar in octod/target/octod.jar octo-cli/target/octo.jar; do
    if [ ! -f "$OCTOHOST_ROOT/$jar" ] ||
      [ -n "$(cd "$OCTOHOST_ROOT" && find pom.xml octod octo-cli -name target -prune -o -type f -newer "$jar" -print -quit)" ]; then
      stale=1
    fi
  done
  # jars newer than every source and pom are used as they are: a test run that built them goes on using them
  if [ -z "$stale" ]; then
    log "octod and octo are built from the current sources"
    return 0
  fi
  log "building octod and octo (mvn package)"
  (cd "$OCTOHOST_ROOT" && mvn -B -q -DskipTests -pl octod,octo-cli -am package)
  [ -f "$OCTOHOST_ROOT/octod/target/octod.jar" ] || die "octod/target/octod.jar was not built"
  [ -f "$OCTOHOST_ROOT/octo-cli/target/octo.jar" ] || die "octo-cli/target/octo.jar was not built"
}

# Makes the public key $1 known to octod under the name $2, as an admin key; octo's command line
# follows (e.g. java -jar octo.jar --api-socket SOCK). octod's data dir may be left from an earlier
# run whose key file is gone, so keys are compared by fingerprint: the same key is fine, another
# key under that name is replaced (the name is this machine's local admin key). Says which it did.
ensure_admin_key() {
  local pub=$1 name=$2 fingerprint listed k_name k_role k_fp replaced=
  shift 2
  fingerprint="$(ssh-keygen -l -E sha256 -f "$pub" | awk '{ print $2 }')"
  [ -n "$fingerprint" ] || die "cannot read the public key $pub"
  listed="$("$@" keys:list --json)" || die "octo keys:list failed"
  # keys:list --json prints each key as {"name":...,"role":...,"apps":[...],"fingerprint":...}, in that order
  while read -r k_name k_role k_fp; do
    [ -n "$k_name" ] || continue
    if [ "$k_fp" = "$fingerprint" ]; then
      log "octod knows $pub already, as key $k_name ($k_role)"
      return 0
    fi
    if [ "$k_name" = "$name" ]; then replaced="$k_fp"; fi
  done < <(grep -oE '"name":"[^"]*","role":"[^"]*",("apps":\[[^]]*\],)?"fingerprint":"[^"]*"' <<<"$listed" |
    sed -E 's/^"name":"([^"]*)","role":"([^"]*)",("apps":\[[^]]*\],)?"fingerprint":"([^"]*)"$/\1 \2 \4/')
  if [ -n "$replaced" ]; then
    log "replacing key $name ($replaced, from an earlier set-up) with $pub ($fingerprint)"
    "$@" keys:remove "$name" >/dev/null || die "octo keys:remove $name failed"
  else
    log "adding $pub as key $name ($fingerprint)"
  fi
  "$@" keys:add "$name" --role admin <"$pub" >/dev/null || die "octo keys:add $name failed"
}

# The SHA256 fingerprint of the SSH host key octod shows on 127.0.0.1:$1 (empty when none answers):
# what ssh asks a user to confirm on a first push from another machine.
ssh_host_key_fingerprint() {
  { ssh-keyscan -p "$1" 127.0.0.1 2>/dev/null | ssh-keygen -l -E sha256 -f - 2>/dev/null | awk 'NR == 1 { print $2 }'; } || true
}
