#!/bin/sh
# bench-load.sh: throughput of "httpstatus serve" on GET /404 next to a bare
# net/http handler that writes "404 Not Found", measured with wrk on the same
# machine, in alternating rounds. Prints the requests per second of each
# (the mean of the rounds) and their ratio.
#
# Environment: DURATION (seconds a round, default 5), ROUNDS (default 3),
# CONNS (default 64), THREADS (default 1), SERVE_FLAGS (extra flags for
# httpstatus serve, default "--access-log=false").
set -eu

DURATION=${DURATION:-5}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-64}
THREADS=${THREADS:-1}
SERVE_FLAGS=${SERVE_FLAGS:---access-log=false}
PORT_SERVER=${PORT_SERVER:-18090}
PORT_BARE=${PORT_BARE:-18091}

command -v wrk >/dev/null || { echo "bench-load: wrk not found (apt-get install wrk)" >&2; exit 1; }
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

(cd "$root" && go build -o "$tmp/httpstatus" ./cmd/httpstatus && go build -o "$tmp/bare" ./scripts/bare)

# shellcheck disable=SC2086
"$tmp/httpstatus" serve --addr "127.0.0.1:$PORT_SERVER" $SERVE_FLAGS 2>"$tmp/server.log" &
pids="$pids $!"
"$tmp/bare" -addr "127.0.0.1:$PORT_BARE" &
pids="$pids $!"

wait_up() {
	i=0
	until curl -s -o /dev/null "http://127.0.0.1:$1/404"; do
		i=$((i + 1))
		[ "$i" -lt 100 ] || { echo "bench-load: port $1 did not come up" >&2; exit 1; }
		sleep 0.1
	done
}
wait_up "$PORT_SERVER"
wait_up "$PORT_BARE"

rps() {
	wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" "http://127.0.0.1:$1/404" |
		awk '/^Requests\/sec:/ {print $2} /Non-2xx/ {next} /Socket errors/ {print "errors: " $0 > "/dev/stderr"}'
}

# Warm both up.
DURATION=1 rps "$PORT_SERVER" >/dev/null
DURATION=1 rps "$PORT_BARE" >/dev/null

sum_server=0
sum_bare=0
r=1
while [ "$r" -le "$ROUNDS" ]; do
	s=$(rps "$PORT_SERVER")
	b=$(rps "$PORT_BARE")
	echo "round $r: httpstatus $s req/s, bare net/http $b req/s"
	sum_server=$(echo "$sum_server + $s" | bc -l)
	sum_bare=$(echo "$sum_bare + $b" | bc -l)
	r=$((r + 1))
done

mean_server=$(echo "$sum_server / $ROUNDS" | bc -l)
mean_bare=$(echo "$sum_bare / $ROUNDS" | bc -l)
printf 'httpstatus serve %s GET /404: %.0f req/s\n' "$SERVE_FLAGS" "$mean_server"
printf 'bare net/http handler:         %.0f req/s\n' "$mean_bare"
printf 'ratio:                         %.3f\n' "$(echo "$mean_server / $mean_bare" | bc -l)"
