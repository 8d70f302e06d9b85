# shellcheck shell=sh
# lib.sh: shell functions the benchmark scripts share; they source it.

# HTTPBIN_VERSION is the version of go-httpbin (github.com/mccutchen/go-httpbin)
# that both benchmarks measure next to the status server.
HTTPBIN_VERSION=${HTTPBIN_VERSION:-v2.26.0}

# wait_up PORT waits up to ten seconds for a server to answer on
# 127.0.0.1:PORT, and exits the script when none does.
wait_up() {
	i=0
	until curl -s -o /dev/null "http://127.0.0.1:$1/404"; do
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

# table prints the lines "NAME<tab>FIGURE" on its standard input, one a
# round, as a table: each name once, in the order first seen, with the mean
# of its figures, and that mean divided by the mean of the lines named BASE.
# UNIT heads the figures' column.
table() {
	awk -F '\t' -v base="$1" -v unit="$2" '
		!($1 in n) { order[++count] = $1 }
		{ n[$1]++; sum[$1] += $2 }
		END {
			printf "%-58s %12s  %s\n", "server", unit, "ratio"
			for (i = 1; i <= count; i++) {
				s = order[i]
				if (base in n && sum[base] > 0)
					printf "%-58s %12.0f  %5.3f\n", s, sum[s] / n[s], (sum[s] / n[s]) / (sum[base] / n[base])
				else
					printf "%-58s %12.0f  %5s\n", s, sum[s] / n[s], "-"
			}
		}'
}
