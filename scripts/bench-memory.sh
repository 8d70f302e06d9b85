#!/bin/sh
# bench-memory.sh: resident memory per waiting connection. Holds N
# concurrent delayed requests against "httpstatus serve" (GET /200?delay=D),
# against a bare net/http handler that sleeps (GET /?delay=D), against the
# same bare handler whose wait ends when the client leaves, and against
# go-httpbin's delay route (GET /delay/D), and prints, for each, the growth
# of the server's resident set while the requests wait divided by N, whether
# every request succeeded, and then a table of the figures and their ratio to
# the bare handler. The servers run one at a time, in ROUNDS rounds; the
# order is reversed every other round.
#
# go-httpbin (HTTPBIN_VERSION, in lib.sh) is installed with go install into a
# temporary directory, and runs with its request log off and with serve's
# longest delay as its -max-duration (its own default, 10s, is shorter than
# DELAY's); otherwise with its defaults.
#
# Environment: N (default 10000), DELAY (a Go duration, default 15s, under
# the server's 30s limit), ROUNDS (default 2), SERVE_FLAGS (extra flags for
# httpstatus serve, default "--access-log=false"), PORT (default 18095).
set -eu

N=${N:-10000}
DELAY=${DELAY:-15s}
ROUNDS=${ROUNDS:-2}
SERVE_FLAGS=${SERVE_FLAGS:---access-log=false}
PORT=${PORT:-18095}

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$root/scripts/lib.sh"
scratch
raise_open_files

(cd "$root" && go build -o "$tmp/httpstatus" ./cmd/httpstatus && go build -o "$tmp/bare" ./scripts/bare &&
	go build -o "$tmp/holdconns" ./scripts/holdconns)
install_httpbin "$tmp"
max_delay=$(serve_default "$tmp/httpstatus" max-delay)

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# measure NAME PATH WARM-UP-PATH STATUS starts the server (already in $pid),
# warms it up, holds N requests for PATH, expecting STATUS, prints the
# figures and adds NAME's to the rounds file.
measure() {
	name=$1
	path=$2
	warm=$3
	status=$4
	wait_up "$PORT"
	# Warm up: a few hundred short requests, so that buffers and pools exist.
	"$tmp/holdconns" -addr "127.0.0.1:$PORT" -n 200 -status "$status" -path "$warm" >/dev/null
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
	per=$(((during - before) * 1024 / N))
	printf '%-30s %6d MiB -> %6d MiB while %d wait: %6d bytes a connection; %s\n' \
		"$name" $((before / 1024)) $((during / 1024)) "$N" "$per" "$result"
	sed 's/^/    /' "$tmp/err"
	case $result in
	*" failed=0") printf '%s\t%s\n' "$name" "$per" >>"$tmp/rounds" ;;
	*) echo "    (left out of the table: not every request succeeded)" ;;
	esac
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	pid=""
}

n_bare="bare net/http (time.Sleep)"
n_cancel="bare net/http (cancellable)"
n_server="httpstatus serve"
n_httpbin="go-httpbin $HTTPBIN_VERSION"

serve() {
	# shellcheck disable=SC2086
	"$tmp/httpstatus" serve --addr "127.0.0.1:$PORT" --max-waiting "$N" $SERVE_FLAGS 2>"$tmp/server.log" &
	pid=$!
	measure "$n_server" "/200?delay=$DELAY" "/200?delay=1ms" 200
}
bare() {
	"$tmp/bare" -addr "127.0.0.1:$PORT" &
	pid=$!
	measure "$n_bare" "/?delay=$DELAY" "/?delay=1ms" 404
}
# For reference: the same bare handler when its wait, like the server's,
# ends as soon as the client goes away (a timer and a select on the
# request's context).
cancellable() {
	"$tmp/bare" -addr "127.0.0.1:$PORT" -cancellable &
	pid=$!
	measure "$n_cancel" "/?delay=$DELAY" "/?delay=1ms" 404
}
# go-httpbin's /delay/{duration} takes seconds or a Go duration; its wait,
# too, ends when the client goes away. After it, it answers 200 with a JSON
# echo of the request.
httpbin() {
	"$tmp/go-httpbin" -host 127.0.0.1 -port "$PORT" -log-level OFF -max-duration "$max_delay" &
	pid=$!
	measure "$n_httpbin" "/delay/$DELAY" "/delay/1ms" 200
}

# The table's rows come in this order, whatever the order of the measures.
printf '%s\n' "$n_bare" "$n_cancel" "$n_server" "$n_httpbin" >"$tmp/order"
: >"$tmp/rounds"
r=1
while [ "$r" -le "$ROUNDS" ]; do
	echo "round $r:"
	if [ $((r % 2)) -eq 1 ]; then
		serve; bare; cancellable; httpbin
	else
		httpbin; cancellable; bare; serve
	fi
	r=$((r + 1))
done

echo
echo "$N requests waiting $DELAY each, $ROUNDS rounds; bytes of resident memory a waiting connection"
awk -F '\t' 'NR == FNR { order[++n] = $1; next } { rows[$1] = rows[$1] $0 "\n" }
	END { for (i = 1; i <= n; i++) printf "%s", rows[order[i]] }' "$tmp/order" "$tmp/rounds" |
	table "$n_bare" "bytes"
