#!/bin/sh
# record-har.sh: records conform/testdata/chromium-recorded.har, the HAR file
# the tests of "check --har" read. Debian's Chromium, driven by Playwright,
# visits the pages scripts/record-har.mjs lists on two "httpstatus serve"
# processes on loopback, one over HTTP/1.1 and one over HTTPS with HTTP/2
# (with a throwaway certificate made by Go's crypto/tls/generate_cert.go);
# Playwright's HAR recorder writes what the browser saw, and the script then
# prints what the servers answered, from their access logs.
#
# Needs Go, curl, node and npm on PATH and Chromium at $CHROMIUM (default
# /usr/bin/chromium; on Debian, apt-get install chromium). Playwright
# (playwright-core, at PLAYWRIGHT_VERSION, default 1.65.1) is installed from
# npm into a temporary directory with the certificate; at the end the
# servers are stopped and the directory removed. Environment: PORT and
# TLS_PORT, the servers' ports (default 8480 and 8443; the recorded URLs
# name them). The first argument, when given, is the file to write instead.
set -eu

cd "$(dirname "$0")/.."
. scripts/lib.sh
PLAYWRIGHT_VERSION=${PLAYWRIGHT_VERSION:-1.65.1}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
PORT=${PORT:-8480}
TLS_PORT=${TLS_PORT:-8443}
out=${1:-conform/testdata/chromium-recorded.har}

work=$(mktemp -d)
pids=""
cleanup() {
	for pid in $pids; do
		kill "$pid" 2>/dev/null || true
	done
	rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/httpstatus" ./cmd/httpstatus
(cd "$work" && go run "$(go env GOROOT)/src/crypto/tls/generate_cert.go" --host 127.0.0.1 --duration 1h) 2>/dev/null
(cd "$work" && npm init -y >/dev/null && npm install --no-audit --no-fund "playwright-core@$PLAYWRIGHT_VERSION" >/dev/null)
cp scripts/record-har.mjs "$work/"

"$work/httpstatus" serve --addr "127.0.0.1:$PORT" 2>"$work/http.log" &
pids="$pids $!"
"$work/httpstatus" serve --addr "127.0.0.1:$TLS_PORT" --tls-cert "$work/cert.pem" --tls-key "$work/key.pem" 2>"$work/https.log" &
pids="$pids $!"
wait_up "$PORT"
wait_up "$TLS_PORT" https

node "$work/record-har.mjs" "$out" "$CHROMIUM" "http://127.0.0.1:$PORT" "https://127.0.0.1:$TLS_PORT"

# What the servers answered, from their access logs, to set against the
# statuses the HAR file records.
echo "the servers' access logs (method, path, status, protocol):"
sed -n 's/.* method=\([^ ]*\) path=\([^ ]*\) .* status=\([0-9]*\) .* proto=\([^ ]*\) .*/  \1 \2 \3 \4/p' "$work/http.log" "$work/https.log"
