# shellcheck shell=sh
# lib.sh: shell functions the benchmark scripts share; they source it.

# HTTPBIN_VERSION is the version of go-httpbin (github.com/mccutchen/go-httpbin)
# that both benchmarks measure next to the status server.
HTTPBIN_VERSION=${HTTPBIN_VERSION:-v2.26.0}

# scratch makes the script's temporary directory, $tmp, and arranges that
# when the script ends, however it ends, the servers it still runs are
# killed (the process in $pid, for a script that runs one at a time, and
# those in $pids, for one that runs several side by side) and $tmp is
# removed.
scratch() {
	tmp=$(mktemp -d)
	pid=""
	pids=""
	trap scratch_cleanup EXIT INT TERM
}

scratch_cleanup() {
	for p in $pid $pids; do kill "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}

# raise_open_files lifts the limit on open files as far as it goes: every
# request a benchmark holds is a connection, on both sides.
raise_open_files() {
	# dash's ulimit has -n and -H, which POSIX leaves out.
	# shellcheck disable=SC3045
	ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
}

# wait_up PORT [SCHEME] waits up to ten seconds for a server to answer on
# 127.0.0.1:PORT over SCHEME (http, the default, or https with any
# certificate), and exits the script when none does.
wait_up() {
	i=0
	until curl -sk -o /dev/null "${2:-http}://127.0.0.1:$1/404"; do
		i=$((i + 1))
		[ "$i" -lt 100 ] || { echo "$(basename "$0"): nothing answers on port $1" >&2; exit 1; }
		sleep 0.1
	done
}

# install_httpbin DIR installs go-httpbin's command, at HTTPBIN_VERSION,
# into DIR (from the Go module proxy, or the module cache once fetched).
install_httpbin() {
	(cd "$1" && GOBIN=$1 go install "github.com/mccutchen/go-httpbin/v2/cmd/go-httpbin@$HTTPBIN_VERSION")
}

# serve_default BINARY FLAG prints the default of one of "BINARY serve"'s
# flags, so that the other servers are configured from the status server's
# own settings.
serve_default() {
	"$1" serve --help 2>&1 | awk -v f="-$2 " '
		index($0, "  " f) == 1 { getline; if (match($0, /\(default [^)]*\)/)) print substr($0, RSTART + 9, RLENGTH - 10); exit }'
}

# table BASE HEADING... reads lines "NAME<tab>FIGURE<tab>FIGURE...", one a
# server and round, and prints them as a table: each name once, in the order
# first seen, and for each figure (headed HEADING) its mean over the rounds
# and that mean divided by the same mean of the lines named BASE.
table() {
	base=$1
	shift
	awk -F '\t' -v base="$base" -v heads="$(printf '%s\t' "$@")" '
		!($1 in n) { order[++count] = $1 }
		{ n[$1]++; for (j = 2; j <= NF; j++) sum[$1, j] += $j }
		END {
			k = split(heads, head, "\t") - 1
			printf "%-46s", "server"
			for (j = 1; j <= k; j++) printf " %14s  ratio", head[j]
			printf "\n"
			for (i = 1; i <= count; i++) {
				s = order[i]
				printf "%-46s", s
				for (j = 2; j <= k + 1; j++) {
					printf " %14.0f", sum[s, j] / n[s]
					if (base in n && sum[base, j] > 0)
						printf "  %5.3f", (sum[s, j] / n[s]) / (sum[base, j] / n[base])
					else
						printf "  %5s", "-"
				}
				printf "\n"
			}
		}'
}
