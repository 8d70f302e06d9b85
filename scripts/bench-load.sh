#!/bin/sh
# bench-load.sh: throughput of "httpstatus serve" on GET /404 next to a bare
# net/http handler that writes "404 Not Found", and next to go-httpbin on its
# equivalent, GET /status/404, measured with wrk on the same machine, in
# alternating rounds. Prints, for each server, its requests per second (the
# mean of the rounds) and its ratio to the bare handler; and the same for the
# requests it answered per second of the CPU time it used, a figure that
# other processes on the machine disturb less. The order of the servers is
# reversed every other round, so that a machine getting slower or faster
# during the run does not favour one of them.
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
scratch

(cd "$root" && go build -o "$tmp/httpstatus" ./cmd/httpstatus && go build -o "$tmp/bare" ./scripts/bare)
install_httpbin "$tmp"

settings="-read-header-timeout $(serve_default "$tmp/httpstatus" read-header-timeout)"
settings="$settings -idle-timeout $(serve_default "$tmp/httpstatus" idle-timeout)"
# serve takes net/http's 4,096 bytes of slack off its header limit, so that
# the limit is exact: the bare server gets the http.Server field serve sets.
settings="$settings -max-header-bytes $(($(serve_default "$tmp/httpstatus" max-header-bytes) - 4096))"

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
pid_server=$!
$on_servers "$tmp/bare" -addr "127.0.0.1:$p_bare" &
pid_bare=$!
# shellcheck disable=SC2086
$on_servers "$tmp/bare" -addr "127.0.0.1:$p_settings" $settings &
pid_settings=$!
$on_servers "$tmp/go-httpbin" -host 127.0.0.1 -port "$p_httpbin" -log-level OFF &
pid_httpbin=$!
pids="$pid_server $pid_bare $pid_settings $pid_httpbin"
wait_up "$p_server"
# shellcheck disable=SC2086
$on_servers "$tmp/bare" -addr "127.0.0.1:$p_same" $settings -mirror "http://127.0.0.1:$p_server/404" &
pid_same=$!
pids="$pids $pid_same"
for p in $p_bare $p_settings $p_same $p_httpbin; do wait_up "$p"; done

hz=$(getconf CLK_TCK)
# cpu_ticks PID prints the CPU time, user and system, that process PID has
# used, in clock ticks.
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }

# measure NAME PORT PATH PID runs wrk against 127.0.0.1:PORT/PATH, and adds
# to the rounds file the requests per second it measured and the requests
# the server (process PID) answered per second of CPU time it used.
measure() {
	before=$(cpu_ticks "$4")
	$on_wrk wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" "http://127.0.0.1:$2$3" >"$tmp/wrk"
	after=$(cpu_ticks "$4")
	awk -v name="$1" -v ticks=$((after - before)) -v hz="$hz" '
		/ requests in / { n = $1 }
		/^Requests\/sec:/ { rps = $2 }
		/Socket errors/ { print "errors against " name ": " $0 > "/dev/stderr" }
		END {
			if (n == "" || rps == "" || ticks <= 0) { print "bench-load: wrk measured nothing against " name > "/dev/stderr"; exit 1 }
			printf "%s\t%s\t%.0f\n", name, rps, n / (ticks / hz)
		}' "$tmp/wrk" >>"$tmp/rounds"
	tail -n 1 "$tmp/rounds" | awk -F '\t' '{ sub(/^ +/, "", $1); printf "  %-40s %7.0f req/s, %7.0f a CPU-second\n", $1, $2, $3 }'
}

# Warm each up.
for p in $p_server $p_bare $p_settings $p_same; do wrk -t1 -c"$CONNS" -d1s "http://127.0.0.1:$p/404" >/dev/null; done
wrk -t1 -c"$CONNS" -d1s "http://127.0.0.1:$p_httpbin/status/404" >/dev/null

: >"$tmp/rounds"
r=1
while [ "$r" -le "$ROUNDS" ]; do
	echo "round $r:"
	if [ $((r % 2)) -eq 1 ]; then
		measure "$n_bare" "$p_bare" /404 "$pid_bare"
		measure "$n_settings" "$p_settings" /404 "$pid_settings"
		measure "$n_same" "$p_same" /404 "$pid_same"
		measure "$n_server" "$p_server" /404 "$pid_server"
		measure "$n_httpbin" "$p_httpbin" /status/404 "$pid_httpbin"
	else
		measure "$n_httpbin" "$p_httpbin" /status/404 "$pid_httpbin"
		measure "$n_server" "$p_server" /404 "$pid_server"
		measure "$n_same" "$p_same" /404 "$pid_same"
		measure "$n_settings" "$p_settings" /404 "$pid_settings"
		measure "$n_bare" "$p_bare" /404 "$pid_bare"
	fi
	r=$((r + 1))
done

echo
echo "GET /404 (go-httpbin: GET /status/404), wrk -t$THREADS -c$CONNS, $ROUNDS rounds of ${DURATION}s${PIN:+, pinned}"
echo "settings of serve given to the bare servers: $settings"
echo "req/CPU-s: requests answered per second of CPU time the server used (it counts less what other processes take)"
table "$n_bare" "req/s" "req/CPU-s" <"$tmp/rounds"
awk -F '\t' -v a="$n_server" -v b="$n_same" '
	$1 == a { x2 += $2; x3 += $3 } $1 == b { y2 += $2; y3 += $3 }
	END { printf "httpstatus serve to the bare handler sending its very response (its own cost): %.3f, %.3f a CPU-second\n", x2 / y2, x3 / y3 }' "$tmp/rounds"
