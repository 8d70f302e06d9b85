#!/bin/sh
# bench-delay.sh: how exact delays are. Sends N concurrent delayed requests,
# one a connection, each as soon as its connection is open, against
# "httpstatus serve" (GET /200?delay=D), against go-httpbin's delay route
# (GET /delay/D) and, for reference, against a bare net/http handler whose
# wait ends when the client leaves (GET /?delay=D); times each request from
# the moment it is written to the moment its response's header section has
# been read; and prints, for each server and each N, the median and the 99th
# percentile of that time and of its excess over D, then a table of the means
# over the rounds and their ratio to the bare handler's. The servers run side
# by side; the order of the measures is reversed every other round. This
# prints figures; it is not a test.
#
# go-httpbin (HTTPBIN_VERSION, in lib.sh) is installed with go install into a
# temporary directory and runs with its request log off, otherwise with its
# defaults; serve runs with --max-waiting raised to the largest N.
#
# Environment: NS (the numbers of concurrent requests, default "1000 10000"),
# DELAY (a Go duration, default 1s), ROUNDS (default 2), SERVE_FLAGS (extra
# flags for httpstatus serve, default "--access-log=false"), PORT (the first
# of three ports, default 18098).
set -eu

NS=${NS:-1000 10000}
DELAY=${DELAY:-1s}
ROUNDS=${ROUNDS:-2}
SERVE_FLAGS=${SERVE_FLAGS:---access-log=false}
PORT=${PORT:-18098}

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$root/scripts/lib.sh"
scratch
# 10,000 connections need more than the usual 1,024 descriptors.
raise_open_files
most=0
for n in $NS; do [ "$n" -le "$most" ] || most=$n; done
# shellcheck disable=SC3045
if [ "$(ulimit -n)" -lt $((most + 100)) ]; then
	echo "bench-delay: $most connections need more open files than ulimit -n allows ($(ulimit -n))" >&2
	exit 1
fi

(cd "$root" && go build -o "$tmp/httpstatus" ./cmd/httpstatus && go build -o "$tmp/bare" ./scripts/bare &&
	go build -o "$tmp/delaylag" ./scripts/delaylag)
install_httpbin "$tmp"

n_server="httpstatus serve"
n_httpbin="go-httpbin $HTTPBIN_VERSION"
n_bare="bare net/http (cancellable)"
p_server=$PORT
p_httpbin=$((PORT + 1))
p_bare=$((PORT + 2))

# shellcheck disable=SC2086
"$tmp/httpstatus" serve --addr "127.0.0.1:$p_server" --max-waiting "$most" $SERVE_FLAGS 2>"$tmp/server.log" &
pids="$pids $!"
"$tmp/go-httpbin" -host 127.0.0.1 -port "$p_httpbin" -log-level OFF &
pids="$pids $!"
"$tmp/bare" -addr "127.0.0.1:$p_bare" -cancellable &
pids="$pids $!"
for p in $p_server $p_httpbin $p_bare; do wait_up "$p"; done

# measure NAME PORT PATH STATUS N sends N requests for PATH, expecting
# STATUS, prints the figures and adds them to the rounds file.
measure() {
	if ! "$tmp/delaylag" -addr "127.0.0.1:$2" -path "$3" -status "$4" -n "$5" -delay "$DELAY" >"$tmp/out" 2>"$tmp/err"; then
		echo "  $1, $5 requests: not every request succeeded, left out of the table:" >&2
		cat "$tmp/err" >&2
	fi
	sed -n '1s/^/  /p; 2,3s/^/  /p' "$tmp/out"
	awk -F '\t' -v name="$1 ($5)" '$1 == "figures" && $8 == 0 { printf "%s\t%s\t%s\t%s\t%s\n", name, $2, $3, $4, $5 }' "$tmp/out" >>"$tmp/rounds"
}
server() { measure "$n_server" "$p_server" "/200?delay=$DELAY" 200 "$1"; }
httpbin() { measure "$n_httpbin" "$p_httpbin" "/delay/$DELAY" 200 "$1"; }
bare() { measure "$n_bare" "$p_bare" "/?delay=$DELAY" 404 "$1"; }

# Warm each up, so that buffers and pools exist: a few hundred requests, no
# more than serve's --max-waiting lets wait at once.
warm=200
[ "$most" -ge "$warm" ] || warm=$most
"$tmp/delaylag" -addr "127.0.0.1:$p_server" -path "/200?delay=1ms" -n "$warm" -delay 1ms >/dev/null
"$tmp/delaylag" -addr "127.0.0.1:$p_httpbin" -path "/delay/1ms" -n "$warm" -delay 1ms >/dev/null
"$tmp/delaylag" -addr "127.0.0.1:$p_bare" -path "/?delay=1ms" -status 404 -n "$warm" -delay 1ms >/dev/null

: >"$tmp/rounds"
: >"$tmp/order"
for n in $NS; do printf '%s (%s)\n%s (%s)\n%s (%s)\n' "$n_bare" "$n" "$n_server" "$n" "$n_httpbin" "$n" >>"$tmp/order"; done
r=1
while [ "$r" -le "$ROUNDS" ]; do
	echo "round $r:"
	for n in $NS; do
		if [ $((r % 2)) -eq 1 ]; then
			bare "$n"; server "$n"; httpbin "$n"
		else
			httpbin "$n"; server "$n"; bare "$n"
		fi
		sleep 1 # let the closed connections go
	done
	r=$((r + 1))
done

echo
echo "$DELAY delays, $ROUNDS rounds; microseconds from a request written to its response's header section read"
for n in $NS; do
	awk -F '\t' -v n="($n)" 'NR == FNR { if (index($0, n)) order[++k] = $0; next } { rows[$1] = rows[$1] $0 "\n" }
		END { for (i = 1; i <= k; i++) printf "%s", rows[order[i]] }' "$tmp/order" "$tmp/rounds" |
		table "$n_bare ($n)" "median" "p99" "median late" "p99 late"
done
