#!/bin/sh
# soak.sh: runs a bounded random mix of requests against "httpstatus serve"
# for a given time and fails on a leak. It builds the server and the load
# generator (scripts/soak), starts the server on a loopback port, and runs
# the generator, which prints the requests sent, their outcomes by kind, and
# the server's goroutines and resident memory (from /metrics) before and
# after the load; it exits 1 when the goroutines do not come back near the
# baseline once the load stops, when the resident memory grows by more than
# its bound (16 MiB by default), or when a request fails in a way the mix did
# not ask for (a cut without a fault, a timeout; -fail-on-errors=false counts
# those without failing). This script then stops the server with SIGTERM and
# fails too when the server logged a panic or did not shut down cleanly.
#
# Usage: scripts/soak.sh [DURATION] [soak flags...]
#   DURATION: a Go duration, default 2m (or the environment's DURATION);
#   soak flags: -workers N, -max-requests N, -settle D, -goroutine-slack N,
#   -max-rss-growth BYTES, -fail-on-errors=false, -report D, -seed N,
#   -warm-up D (go run ./scripts/soak -h).
# Environment: PORT (default 18097), SERVE_FLAGS (extra flags for httpstatus
# serve, default "--access-log=false --max-memory=2097152": the runs the mix
# keys remember resources of up to a megabyte each, by design up to
# --max-memory, so the soak gives that bound 2 MiB, which with the garbage
# collector's headroom stays well within the memory growth it allows, and
# what grows past it is a leak rather than runs filling their bound).
set -eu

DURATION=${DURATION:-2m}
case ${1:-} in
"" | -*) ;;
*) DURATION=$1; shift ;;
esac
PORT=${PORT:-18097}
SERVE_FLAGS=${SERVE_FLAGS:---access-log=false --max-memory=2097152}

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$root/scripts/lib.sh"
scratch
raise_open_files

(cd "$root" && go build -o "$tmp/httpstatus" ./cmd/httpstatus && go build -o "$tmp/soak" ./scripts/soak)
# shellcheck disable=SC2086
"$tmp/httpstatus" serve --addr "127.0.0.1:$PORT" $SERVE_FLAGS 2>"$tmp/server.log" &
pid=$!
wait_up "$PORT"

status=0
"$tmp/soak" -addr "127.0.0.1:$PORT" -duration "$DURATION" "$@" || status=$?

kill -TERM "$pid"
served=0
wait "$pid" || served=$?
pid=""
if [ "$served" -ne 0 ]; then
	echo "soak: httpstatus serve exited $served after SIGTERM" >&2
	status=1
fi
if grep -i 'panic' "$tmp/server.log" >"$tmp/panics"; then
	echo "soak: the server logged a panic:" >&2
	head -n 20 "$tmp/panics" >&2
	status=1
fi
echo "server log: $(wc -l <"$tmp/server.log") lines, $(grep -c 'level=WARN' "$tmp/server.log" || true) warnings, $(grep -c 'level=ERROR' "$tmp/server.log" || true) errors"
grep 'level=ERROR\|level=WARN' "$tmp/server.log" | head -n 5 || true
exit "$status"
