# lib.sh: shell functions the benchmark scripts share; they source it.

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
