# Shared by scripts/consul and scripts/seaweedfs (sourced; the caller defines log and die):
# finding a Go toolchain, picking free loopback ports, checking a pid.

go_minor() { "$1" env GOVERSION | sed -n 's/^go1\.\([0-9]*\).*/\1/p'; }

# find_go MIN_MINOR: print a Go binary of at least 1.MIN_MINOR
find_go() {
  local min=$1 g
  for g in "$(command -v go || true)" /usr/local/go/bin/go /usr/lib/go/bin/go; do
    if [ -n "$g" ] && [ -x "$g" ] && [ "$(go_minor "$g")" -ge "$min" ] 2>/dev/null; then
      echo "$g"; return 0
    fi
  done
  # Fall back to Debian's package; bookworm ships 1.19, which is too old, so check.
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    log "no Go >= 1.$min found; trying Debian's golang-go"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go; } >&2 || true
    g=/usr/lib/go/bin/go
    [ -x "$g" ] || g="$(command -v go || true)"
    if [ -n "$g" ] && [ "$(go_minor "$g")" -ge "$min" ] 2>/dev/null; then
      echo "$g"; return 0
    fi
  fi
  die "Go >= 1.$min is needed (Debian's golang-go is too old or missing); install Go at /usr/local/go"
}

# Ports in use (TCP and UDP, v4 and v6), read from /proc so nothing extra is needed.
used_ports() {
  local hex
  awk 'FNR > 1 { n = split($2, a, ":"); print a[n] }' \
    /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6 2>/dev/null |
    while read -r hex; do echo $((16#$hex)); done | sort -un
}

# free_ports N [SPAN [SHIFT]]: print N distinct ports in 20000..20000+SPAN that are free right now
# (random, to make clashes between servers started at the same moment unlikely); with SHIFT, port+SHIFT
# must be free too (SeaweedFS puts each gRPC port at its HTTP port + 10000).
free_ports() {
  local n=$1 span=${2:-12000} shift=${3:-} used picked=" " p tries=0
  used=" $(used_ports | tr '\n' ' ') "
  while [ "$n" -gt 0 ]; do
    p=$(( 20000 + (RANDOM * 32768 + RANDOM) % span ))
    tries=$((tries + 1)); [ "$tries" -lt 10000 ] || die "no free ports found"
    case "$used$picked" in *" $p "*) continue ;; esac
    if [ -n "$shift" ]; then case "$used$picked" in *" $((p + shift)) "*) continue ;; esac; fi
    picked="$picked$p "; n=$((n - 1))
  done
  echo "$picked"
}

alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
