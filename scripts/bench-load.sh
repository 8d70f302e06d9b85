#!/bin/sh
# bench-load.sh: throughput of "httpstatus serve" on GET /404 next to a bare
# net/http handler that writes "404 Not Found", measured with wrk on the same
# machine, in alternating rounds. Prints the requests per second of each (the
# mean of the rounds) and their ratio. The order of the servers is reversed
# every other round, so that a machine getting slower or faster during the
# run does not favour one of them.
#
# Two more bare servers show where the difference goes: the bare handler on
# an http.Server with the status server's read-header timeout, idle timeout
# and header limit; and the same, answering with the very status, header
# fields and body the status server sends for GET /404.
#
# Environment: DURATION (seconds a round, default 3), ROUNDS (default 6),
# CONNS (default 64), THREADS (default 1), SERVE_FLAGS (extra flags for
# httpstatus serve, default "--access-log=false"), PIN (set to 1 to run the
# servers on CPU 0 and wrk on CPU 1 with taskset: steadier figures, which
# measure each server's own CPU cost rather than its share of a machine it
# shares with wrk).
set -eu

DURATION=${DURATION:-3}
ROUNDS=${ROUNDS:-6}
CONNS=${CONNS:-64}
THREADS=${THREADS:-1}
SERVE_FLAGS=${SERVE_FLAGS:---access-log=false}
PORT=${PORT:-18090} # and the three after it
PIN=${PIN:-}
on_servers=""
on_wrk=""
if [ -n "$PIN" ]; then
	command -v taskset >/dev/null || { echo "bench-load: PIN needs taskset (util-linux)" >&2; exit 1; }
	on_servers="taskset -c 0"
	on_wrk="taskset -c 1"
fi

command -v wrk >/dev/null || { echo "bench-load: wrk not found (apt-get install wrk)" >&2; exit 1; }
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

# serve_default FLAG prints the default of one of serve's flags, so that the
# bare servers are configured from the status server's own settings.
serve_default() {
	"$tmp/httpstatus" serve --help 2>&1 | awk -v f="-$1 " '
		index($0, "  " f) == 1 { getline; if (match($0, /\(default [^)]*\)/)) print substr($0, RSTART + 9, RLENGTH - 10); exit }'
}
settings="-read-header-timeout $(serve_default read-header-timeout) -idle-timeout $(serve_default idle-timeout) -max-header-bytes $(serve_default max-header-bytes)"

p_server=$PORT
p_bare=$((PORT + 1))
p_settings=$((PORT + 2))
p_same=$((PORT + 3))
# shellcheck disable=SC2086
$on_servers "$tmp/httpstatus" serve --addr "127.0.0.1:$p_server" $SERVE_FLAGS 2>"$tmp/server.log" &
pids="$pids $!"
$on_servers "$tmp/bare" -addr "127.0.0.1:$p_bare" &
pids="$pids $!"
# shellcheck disable=SC2086
$on_servers "$tmp/bare" -addr "127.0.0.1:$p_settings" $settings &
pids="$pids $!"
wait_up "$p_server"
# shellcheck disable=SC2086
$on_servers "$tmp/bare" -addr "127.0.0.1:$p_same" $settings -mirror "http://127.0.0.1:$p_server/404" &
pids="$pids $!"
for p in $p_bare $p_settings $p_same; do wait_up "$p"; done

rps() {
	$on_wrk wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" "http://127.0.0.1:$1/404" |
		awk '/^Requests\/sec:/ {print $2} /Socket errors/ {print "errors: " $0 > "/dev/stderr"}'
}

# Warm each up.
for p in $p_server $p_bare $p_settings $p_same; do DURATION=1 rps "$p" >/dev/null; done

sum_server=0 sum_bare=0 sum_settings=0 sum_same=0
r=1
while [ "$r" -le "$ROUNDS" ]; do
	if [ $((r % 2)) -eq 1 ]; then
		s=$(rps "$p_server") b=$(rps "$p_bare") t=$(rps "$p_settings") m=$(rps "$p_same")
	else
		m=$(rps "$p_same") t=$(rps "$p_settings") b=$(rps "$p_bare") s=$(rps "$p_server")
	fi
	echo "round $r: httpstatus $s, bare $b, bare with serve's settings $t, and serve's response $m req/s"
	sum_server=$(echo "$sum_server + $s" | bc -l)
	sum_bare=$(echo "$sum_bare + $b" | bc -l)
	sum_settings=$(echo "$sum_settings + $t" | bc -l)
	sum_same=$(echo "$sum_same + $m" | bc -l)
	r=$((r + 1))
done

echo "settings of serve given to the bare servers: $settings"
printf 'httpstatus serve %s GET /404:             %7.0f req/s\n' "$SERVE_FLAGS" "$(echo "$sum_server / $ROUNDS" | bc -l)"
printf 'bare net/http handler:                                        %7.0f req/s\n' "$(echo "$sum_bare / $ROUNDS" | bc -l)"
printf '  on an http.Server with serve'"'"'s settings:                    %7.0f req/s\n' "$(echo "$sum_settings / $ROUNDS" | bc -l)"
printf '  on it, and sending the same header fields and body as serve: %7.0f req/s\n' "$(echo "$sum_same / $ROUNDS" | bc -l)"
printf 'ratio to the bare handler:                                    %7.3f\n' "$(echo "$sum_server / $sum_bare" | bc -l)"
printf 'ratio to the bare handler with serve'"'"'s settings:              %7.3f\n' "$(echo "$sum_server / $sum_settings" | bc -l)"
printf 'ratio to it sending the same response (the server'"'"'s own cost): %7.3f\n' "$(echo "$sum_server / $sum_same" | bc -l)"
