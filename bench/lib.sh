# Shared by the benchmarks: a private nginx and octod on loopback ports, torn down on exit.
# Source after `set -euo pipefail`; needs the built jars (scripts/lib.sh build_project) and a running dockerd.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$(mktemp -d /tmp/octohost-bench.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
HTTP_PORT=$(free_port)
SSH_PORT=$(free_port)
API_PORT=$(free_port)
DOMAIN=bench.octohost

start_octohost() {
    mkdir -p "$WORK/ngx/tmp" "$WORK/data"
    : > "$WORK/ngx/containers.conf"
    cat > "$WORK/ngx/nginx.conf" <<CONF
worker_processes 1; pid $WORK/ngx/nginx.pid; error_log $WORK/ngx/error.log;
events {}
http { access_log off; client_body_temp_path $WORK/ngx/tmp; proxy_temp_path $WORK/ngx/tmp;
       fastcgi_temp_path $WORK/ngx/tmp; uwsgi_temp_path $WORK/ngx/tmp; scgi_temp_path $WORK/ngx/tmp;
       include $WORK/ngx/containers.conf; }
CONF
    nginx -c "$WORK/ngx/nginx.conf" -p "$WORK/ngx"
    LC_ALL=C.UTF-8 setsid java -jar "$ROOT/octod/target/octod.jar" --data-dir "$WORK/data" \
        --ssh-listen "127.0.0.1:$SSH_PORT" --api-socket "$WORK/api.sock" --http-api-listen "127.0.0.1:$API_PORT" --domain "$DOMAIN" \
        --http-port "$HTTP_PORT" --nginx-conf "$WORK/ngx/containers.conf" \
        --nginx-cmd "nginx -c $WORK/ngx/nginx.conf -p $WORK/ngx" "$@" > "$WORK/octod.log" 2>&1 &
    OCTOD_PID=$!
    for _ in $(seq 1 200); do grep -q 'octod ready' "$WORK/octod.log" && break; sleep 0.1; done
    grep -q 'octod ready' "$WORK/octod.log" || { cat "$WORK/octod.log"; exit 1; }
    ssh-keygen -q -t ed25519 -N '' -f "$WORK/key"
    java -jar "$ROOT/octo-cli/target/octo.jar" --api-socket "$WORK/api.sock" keys:add bench < "$WORK/key.pub" > /dev/null
    export GIT_SSH_COMMAND="ssh -i $WORK/key -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"
}

stop_octohost() {
    local instance
    instance=$(cat "$WORK/data/instance-id" 2>/dev/null || true)
    [ -n "${OCTOD_PID:-}" ] && kill "$OCTOD_PID" 2>/dev/null || true
    nginx -c "$WORK/ngx/nginx.conf" -p "$WORK/ngx" -s stop 2>/dev/null || true
    if [ -n "$instance" ]; then
        docker ps -aq --filter "label=octohost.instance=$instance" | xargs -r docker rm -f > /dev/null
    fi
    rm -rf "$WORK"
}
trap stop_octohost EXIT

octo() { java -jar "$ROOT/octo-cli/target/octo.jar" --api-socket "$WORK/api.sock" "$@"; }
now() { date +%s.%N; }
