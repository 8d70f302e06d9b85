#!/bin/sh
# bench-load.sh: throughput of "httpstatus serve" on GET /404 next to a bare
# net/http handler that writes "404 Not Found", and next to go-httpbin on its
# equivalent, GET /status/404, measured with wrk on the same machine, in
# alternating rounds. Prints, for each server, its requests per second (the
# mean of the rounds) and its ratio to the bare handler. The order of the
# servers is reversed every other round, so that a machine getting slower or
# faster during the run does not favour one of them.
#
# Two more bare servers show where the difference goes: the bare handler on
# an http.Server with the status server's read-header timeout, idle timeout
# and header limit; and the same, answering with the very status, header
# fields and body the status server sends for GET /404.
#
# go-httpbin (HTTPBIN_VERSION, in lib.sh) is installed with go install into a
# temporary directory, and runs with its own defaults but for its request log,
# which is turned off as the status server's is.
#
# Environment: DURATION (seconds a round, default 3), ROUNDS (default 6),
# CONNS (default 64), THREADS (default 1), SERVE_FLAGS (extra flags for
# httpstatus serve, default "--access-log=false"), PORT (the first of five
# ports, default 18090), PIN (set to 1 to run the servers on CPU 0 and wrk on
# CPU 1 with taskset: steadier figures, which measure each server's own CPU
# cost rather than its share of a machine it shares with wrk).
set -eu

DURATION=${DURATION:-3}
ROUNDS=${ROUNDS:-6}
CONNS=${CONNS:-64}
THREADS=${THREADS:-1}
SERVE_FLAGS=${SERVE_FLAGS:---access-log=false}
PORT=${PORT:-18090} # and the four after it
PIN=${PIN:-}
on_servers=""
on_wrk=""
if [ -n "$PIN" ]; then
	command -v taskset >/dev/null || { echo "bench-load: PIN needs taskset (util-linux)" >&2; exit 1; }
	on_servers="taskset -c 0"
	on_wrk="taskset -c 1"
fi

command -v wrk >/dev/null || { echo "bench-load: wrk not found (on Debian: apt-get install wrk)" >&2; exit 1; }
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$root/scripts/lib.sh"
tmp=$(mktemp -d)
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

(cd "$root" && go build -o "$tmp/httpstatus" ./cmd/httpstatus && go build -o "$tmp/bare" ./scripts/bare)
install_httpbin "$tmp"

settings="-read-header-timeout $(serve_default "$tmp/httpstatus" read-header-timeout)"
settings="$settings -idle-timeout $(serve_default "$tmp/httpstatus" idle-timeout)"
settings="$settings -max-header-bytes $(serve_default "$tmp/httpstatus" max-header-bytes)"

# The servers' names in the table, and their ports.
n_bare="bare net/http handler"
n_settings="  on an http.Server with serve's settings"
n_same="  on it, sending serve's very response"
n_server="httpstatus serve $SERVE_FLAGS"
n_httpbin="go-httpbin $HTTPBIN_VERSION -log-level OFF"
p_server=$PORT
p_bare=$((PORT + 1))
p_settings=$((PORT + 2))
p_same=$((PORT + 3))
p_httpbin=$((PORT + 4))

# shellcheck disable=SC2086
$on_servers "$tmp/httpstatus" serve --addr "127.0.0.1:$p_server" $SERVE_FLAGS 2>"$tmp/server.log" &
pids="$pids $!"
$on_servers "$tmp/bare" -addr "127.0.0.1:$p_bare" &
pids="$pids $!"
# shellcheck disable=SC2086
$on_servers "$tmp/bare" -addr "127.0.0.1:$p_settings" $settings &
pids="$pids $!"
$on_servers "$tmp/go-httpbin" -host 127.0.0.1 -port "$p_httpbin" -log-level OFF &
pids="$pids $!"
wait_up "$p_server"
# shellcheck disable=SC2086
$on_servers "$tmp/bare" -addr "127.0.0.1:$p_same" $settings -mirror "http://127.0.0.1:$p_server/404" &
pids="$pids $!"
for p in $p_bare $p_settings $p_same $p_httpbin; do wait_up "$p"; done

# rps PORT PATH prints the requests per second wrk measures.
rps() {
	$on_wrk wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" "http://127.0.0.1:$1$2" |
		awk '/^Requests\/sec:/ {print $2} /Socket errors/ {print "errors: " $0 > "/dev/stderr"}'
}

# Warm each up.
for p in $p_server $p_bare $p_settings $p_same; do DURATION=1 rps "$p" /404 >/dev/null; done
DURATION=1 rps "$p_httpbin" /status/404 >/dev/null

r=1
while [ "$r" -le "$ROUNDS" ]; do
	if [ $((r % 2)) -eq 1 ]; then
		s=$(rps "$p_server" /404) b=$(rps "$p_bare" /404) t=$(rps "$p_settings" /404) m=$(rps "$p_same" /404)
		h=$(rps "$p_httpbin" /status/404)
	else
		h=$(rps "$p_httpbin" /status/404)
		m=$(rps "$p_same" /404) t=$(rps "$p_settings" /404) b=$(rps "$p_bare" /404) s=$(rps "$p_server" /404)
	fi
	for v in "$s" "$b" "$t" "$m" "$h"; do
		[ -n "$v" ] || { echo "bench-load: wrk measured nothing in round $r" >&2; exit 1; }
	done
	echo "round $r: httpstatus $s, bare $b, with serve's settings $t, and serve's response $m, go-httpbin $h req/s"
	# The rows of a round are in the order of the table, whatever the order of the measures.
	printf '%s\t%s\n' "$n_bare" "$b" "$n_settings" "$t" "$n_same" "$m" "$n_server" "$s" "$n_httpbin" "$h" >>"$tmp/rounds"
	r=$((r + 1))
done

echo
echo "GET /404 (go-httpbin: GET /status/404), wrk -t$THREADS -c$CONNS, $ROUNDS rounds of ${DURATION}s${PIN:+, pinned}"
echo "settings of serve given to the bare servers: $settings"
table "$n_bare" "req/s" <"$tmp/rounds"
printf 'httpstatus serve to the bare handler sending its very response (its own cost): %5.3f\n' \
	"$(awk -F '\t' -v a="$n_server" -v b="$n_same" '$1 == a { x += $2 } $1 == b { y += $2 } END { print x / y }' "$tmp/rounds")"
