#!/bin/sh
# grade-clients.sh: grades four HTTP clients with "httpstatus grade", as a
# new user would call each: curl (with the command of the README; then
# without "-o /dev/null", which stops curl's retries in versions with
# curl/curl#17371, such as Debian 12's 7.88.1; then
# without -X, on the POST scenarios), Go's net/http client
# (scripts/goclient), Node's built-in fetch (then with the content as a
# string, on 307 and 308, which Node 20 cannot follow with a Buffer) and
# Python's urllib.
# Prints each client's version and the table grade prints for it; the
# README's verdict tables come from this script.
#
# Needs Go, and curl, node and python3 on PATH; a client that is missing is
# skipped with a line that says so. Environment: TIMEOUT (grade's
# --timeout, default 30s).
set -eu

cd "$(dirname "$0")/.."
TIMEOUT=${TIMEOUT:-30s}
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/httpstatus" ./cmd/httpstatus
go build -o "$bin/goclient" ./scripts/goclient
PATH=$bin:$PATH

# The Node client: fetch with the method, the URL and, when the body file
# is not empty, its content; a failure is printed as its message and cause.
node_client='const [method, url, file] = process.argv.slice(1);
const body = require("fs").readFileSync(file);
fetch(url, { method, body: body.length ? body : undefined })
  .then((res) => res.arrayBuffer())
  .catch((e) => { console.error(e.cause ? `${e.message}: ${e.cause.message}` : e.message); process.exit(1); });'

# The Python client: urllib's default opener; credentials in the URL go to
# an HTTPBasicAuthHandler, urllib's documented way to answer a challenge.
python_client='import sys, urllib.parse, urllib.request
method, url, body_file = sys.argv[1:]
parts = urllib.parse.urlsplit(url)
handlers = []
if parts.username:
    url = parts._replace(netloc=f"{parts.hostname}:{parts.port}").geturl()
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, url, urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password))
    handlers.append(urllib.request.HTTPBasicAuthHandler(passwords))
body = open(body_file, "rb").read() or None
urllib.request.build_opener(*handlers).open(urllib.request.Request(url, data=body, method=method)).read()'

# grade TITLE VERSION-COMMAND [FLAG...] -- COMMAND ARGS... prints a heading,
# the client's version, and the table grade prints with the flags given;
# grade's exit status 1 (a MUST broken) does not stop the script.
grade() {
	title=$1
	version=$2
	shift 2
	flags=""
	while [ "$1" != "--" ]; do
		flags="$flags $1"
		shift
	done
	shift
	printf '\n## %s\n\n' "$title"
	if ! command -v "$1" >/dev/null 2>&1; then
		echo "skipped: $1 is not installed"
		return
	fi
	echo "version: $(sh -c "$version" 2>&1 | head -n 1)"
	echo
	status=0
	# shellcheck disable=SC2086 # the flags are words without spaces
	httpstatus grade --timeout "$TIMEOUT" $flags -- "$@" || status=$?
	[ "$status" -le 1 ] || exit "$status"
}

grade "curl, the README's command" "curl --version" -- \
	curl -s -o /dev/null --retry 3 -L -X '{method}' --data-binary '@{body-file}' '{url}'
grade "curl, its output to standard output (which grade drops)" "curl --version" -- \
	curl -s --retry 3 -L -X '{method}' --data-binary '@{body-file}' '{url}'
grade "curl, without -X, on the POST scenarios" "curl --version" \
	--scenario post-307 --scenario post-308 --scenario post-303 --scenario post-301 --scenario post-302 -- \
	curl -s -L --data-binary '@{body-file}' '{url}'
grade "Go's net/http client (scripts/goclient)" "go version" -- \
	goclient '{method}' '{url}' '{body-file}'
grade "Node's built-in fetch" "node --version" -- \
	node -e "$node_client" '{method}' '{url}' '{body-file}'
grade "Node's built-in fetch, the content as a string, on 307 and 308" "node --version" \
	--scenario post-307 --scenario post-308 -- \
	node -e "$(echo "$node_client" | sed 's/body.length ? body :/body.length ? body.toString() :/')" '{method}' '{url}' '{body-file}'
grade "Python's urllib" "python3 --version" -- \
	python3 -c "$python_client" '{method}' '{url}' '{body-file}'
