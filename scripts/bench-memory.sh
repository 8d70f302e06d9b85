#!/bin/sh
# bench-memory.sh: resident memory per waiting connection. Holds N
# concurrent delayed requests against "httpstatus serve" (GET /200?delay=D),
# against a bare net/http handler that sleeps (GET /?delay=D), and against
# the same bare handler whose wait ends when the client leaves, and prints,
# for each, the growth of the server's resident set while the requests wait
# divided by N, and whether every request succeeded.
#
# Environment: N (default 10000), DELAY (default 15s, under the server's
# 30s limit), SERVE_FLAGS (extra flags for httpstatus serve, default
# "--access-log=false").
set -eu

N=${N:-10000}
DELAY=${DELAY:-15s}
SERVE_FLAGS=${SERVE_FLAGS:---access-log=false}
PORT=${PORT:-18095}

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$root/scripts/lib.sh"
tmp=$(mktemp -d)
pid=""
cleanup() {
	[ -z "$pid" ] || kill "$pid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

(cd "$root" && go build -o "$tmp/httpstatus" ./cmd/httpstatus && go build -o "$tmp/bare" ./scripts/bare &&
	go build -o "$tmp/holdconns" ./scripts/holdconns)

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# measure NAME PATH starts the server (already in $pid), warms it up, holds N
# requests and prints the figures.
measure() {
	name=$1
	path=$2
	status=$3
	wait_up "$PORT"
	# Warm up: a few hundred plain requests, so that buffers and pools exist.
	"$tmp/holdconns" -addr "127.0.0.1:$PORT" -n 200 -status "$status" -path "$(echo "$path" | sed 's/delay=[^&]*/delay=1ms/')" >/dev/null
	sleep 1
	before=$(rss_kb "$pid")
	"$tmp/holdconns" -addr "127.0.0.1:$PORT" -n "$N" -status "$status" -path "$path" >"$tmp/out" 2>"$tmp/err" &
	client=$!
	until grep -q '^ready' "$tmp/out" 2>/dev/null; do
		kill -0 "$client" 2>/dev/null || { echo "bench-memory: holdconns failed against $name" >&2; cat "$tmp/err" >&2; exit 1; }
		sleep 0.1
	done
	sleep 2 # let the last requests reach their handlers
	during=$(rss_kb "$pid")
	wait "$client" || true
	result=$(grep '^done' "$tmp/out" || echo "done: client failed")
	per=$(echo "($during - $before) * 1024 / $N" | bc)
	printf '%-28s %6d MiB -> %6d MiB while %d wait: %6d bytes a connection; %s\n' \
		"$name" $((before / 1024)) $((during / 1024)) "$N" "$per" "$result"
	sed 's/^/    /' "$tmp/err"
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	pid=""
}

# shellcheck disable=SC2086
"$tmp/httpstatus" serve --addr "127.0.0.1:$PORT" --max-waiting "$N" $SERVE_FLAGS 2>"$tmp/server.log" &
pid=$!
measure "httpstatus serve" "/200?delay=$DELAY" 200

"$tmp/bare" -addr "127.0.0.1:$PORT" &
pid=$!
measure "bare net/http (time.Sleep)" "/?delay=$DELAY" 404

# For reference: the same bare handler when its wait, like the server's,
# ends as soon as the client goes away (a timer and a select on the
# request's context).
"$tmp/bare" -addr "127.0.0.1:$PORT" -cancellable &
pid=$!
measure "bare net/http (cancellable)" "/?delay=$DELAY" 404
