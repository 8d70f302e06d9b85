package ops

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// startRun runs Run with cfg on a loopback listener, and returns the
// address and a function that cancels Run's context and waits for Run to
// return (the test's cleanup calls it too).
func startRun(t *testing.T, h http.Handler, health *Health, cfg Config) (addr string, stop func() error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Listener = ln
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- Run(ctx, h, health, cfg) }()
	var once sync.Once
	var runErr error
	stop = func() error {
		once.Do(func() { cancel(); runErr = <-ran })
		return runErr
	}
	t.Cleanup(func() { _ = stop() })
	return ln.Addr().String(), stop
}

// request returns a request whose header section, from the request line
// to the blank line that ends it, is exactly size bytes long: fields, then
// an X-Pad field that makes up the length.
func request(t *testing.T, size int, method, fields string) string {
	t.Helper()
	head := method + " / HTTP/1.1\r\nHost: example.com\r\n" + fields + "X-Pad: "
	const tail = "\r\n\r\n"
	pad := size - len(head) - len(tail)
	if pad < 1 {
		t.Fatalf("a header section of %d bytes is too short for the test's request", size)
	}
	return head + strings.Repeat("a", pad) + tail
}

// roundTrip sends raw on conn and reads the response, and its body.
func roundTrip(conn net.Conn, br *bufio.Reader, raw string) (*http.Response, error) {
	if _, err := io.WriteString(conn, raw); err != nil {
		return nil, err
	}
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		return nil, err
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res, err
}

// TestMaxHeaderBytesIsExact sends header sections of exactly the limit and
// of one byte more as the first request of a connection, with and without
// a body behind them, and with h2c served or not: the first pass, the
// second get 431. net/http alone would let 4,096 bytes more through (4,110
// with h2c). On a kept-alive connection a request at the limit passes, and
// one over the limit by net/http's read-ahead gets 431.
func TestMaxHeaderBytesIsExact(t *testing.T) {
	t.Parallel()
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.Copy(io.Discard, r.Body) })
	const body = "0123456789"
	withBody := fmt.Sprintf("Content-Length: %d\r\n", len(body))
	for _, h2c := range []bool{false, true} {
		for _, limit := range []int{0, MinMaxHeaderBytes, 8 << 10, 100 << 10} {
			t.Run(fmt.Sprintf("%d h2c %v", limit, h2c), func(t *testing.T) {
				t.Parallel()
				addr, _ := startRun(t, ok, nil, Config{MaxHeaderBytes: limit, H2C: h2c})
				n := limit
				if n == 0 {
					n = DefaultMaxHeaderBytes
				}
				for _, tc := range []struct {
					name   string
					size   int
					method string
					fields string
					body   string
					before int // requests on the connection before this one
					want   int
				}{
					{"at the limit", n, "GET", "", "", 0, 200},
					{"one byte over", n + 1, "GET", "", "", 0, 431},
					{"at the limit, a body behind", n, "PUT", withBody, body, 0, 200},
					{"one byte over, a body behind", n + 1, "PUT", withBody, body, 0, 431},
					{"at the limit, kept alive", n, "GET", "", "", 2, 200},
					{"over by the read-ahead and one byte, kept alive", n + headerSlack + 1, "GET", "", "", 2, 431},
				} {
					conn, err := net.Dial("tcp", addr)
					if err != nil {
						t.Fatal(err)
					}
					br := bufio.NewReader(conn)
					for range tc.before {
						if res, err := roundTrip(conn, br, "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"); err != nil || res.StatusCode != 200 {
							t.Fatalf("%s: an earlier request on the connection: %v", tc.name, err)
						}
					}
					res, err := roundTrip(conn, br, request(t, tc.size, tc.method, tc.fields)+tc.body)
					conn.Close()
					if err != nil {
						t.Fatalf("%s (%d bytes): %v", tc.name, tc.size, err)
					}
					if res.StatusCode != tc.want {
						t.Errorf("%s: a header section of %d bytes against a limit of %d: %d, want %d", tc.name, tc.size, n, res.StatusCode, tc.want)
					}
				}
			})
		}
	}
	if err := Run(context.Background(), ok, nil, Config{Addr: "127.0.0.1:0", MaxHeaderBytes: MinMaxHeaderBytes - 1}); err == nil {
		t.Errorf("Run with a header limit of %d: no error", MinMaxHeaderBytes-1)
	}
}

// drainMux returns the routes of the drain tests: health on /healthz, "ok"
// on any path, and on /slow a request that closes started when it begins
// and answers once release is closed.
func drainMux(health *Health) (mux *http.ServeMux, started, release chan struct{}) {
	started, release = make(chan struct{}), make(chan struct{})
	mux = http.NewServeMux()
	mux.Handle("/healthz", health)
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
		_, _ = io.WriteString(w, "done")
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "ok") })
	return mux, started, release
}

// TestDrainOnKeepAlive holds a kept-alive connection open across the start
// of a drain, with a drain delay: the health probe answers 503 on it with
// Connection: close and the server closes it after that response; a new
// connection is still served, closed after its response; when the delay
// ends the listener closes, and the request in flight all along finishes.
func TestDrainOnKeepAlive(t *testing.T) {
	t.Parallel()
	health := new(Health)
	mux, started, release := drainMux(health)
	endDelay := make(chan time.Time)
	addr, stop := startRun(t, mux, health, Config{
		DrainDelay:   time.Hour, // ended by the test through endDelay
		DrainTimeout: 10 * time.Second,
		after:        func(time.Duration) <-chan time.Time { return endDelay },
	})
	// On failure too, so that Run returns before startRun's cleanup waits for it.
	endTheDelay, finish := sync.OnceFunc(func() { close(endDelay) }), sync.OnceFunc(func() { close(release) })
	t.Cleanup(func() { endTheDelay(); finish() })
	dial := func() (net.Conn, *bufio.Reader) {
		t.Helper()
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c, bufio.NewReader(c)
	}
	const probe = "GET /healthz HTTP/1.1\r\nHost: example.com\r\n\r\n"
	idle, idleR := dial()
	if res, err := roundTrip(idle, idleR, probe); err != nil || res.StatusCode != 200 || res.Close {
		t.Fatalf("health before the drain: %v, %+v", err, res)
	}
	busy, busyR := dial()
	if _, err := io.WriteString(busy, "GET /slow HTTP/1.1\r\nHost: example.com\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	<-started
	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	for !health.draining.Load() {
		time.Sleep(time.Millisecond)
	}

	res, err := roundTrip(idle, idleR, probe)
	// res.Close is Connection: close; ReadResponse takes the field out.
	if err != nil || res.StatusCode != 503 || !res.Close || res.Header.Get("Retry-After") == "" {
		t.Fatalf("health on a kept-alive connection while draining: %v, %+v", err, res)
	}
	if n, err := idleR.Read(make([]byte, 1)); n != 0 || err == nil {
		t.Errorf("the kept-alive connection stays open after its Connection: close response: %d bytes, %v", n, err)
	}
	fresh, freshR := dial()
	res, err = roundTrip(fresh, freshR, "GET /anything HTTP/1.1\r\nHost: example.com\r\n\r\n")
	if err != nil || res.StatusCode != 200 || !res.Close {
		t.Errorf("a new connection during the drain delay: %v, %+v", err, res)
	}

	endTheDelay()
	// Shutdown closes the listener: wait for it, then let the slow request finish.
	for {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			break
		}
		c.Close()
		time.Sleep(time.Millisecond)
	}
	finish()
	res, err = http.ReadResponse(busyR, nil)
	if err != nil || res.StatusCode != 200 || !res.Close {
		t.Errorf("the request in flight through the drain: %v, %+v", err, res)
	}
	if err := <-stopped; err != nil {
		t.Errorf("Run: %v", err)
	}
}

// TestDrainWithoutDelay checks what a drain without delay does to a kept-
// alive connection: a request in flight is answered with Connection: close,
// an idle connection is closed, and nothing is accepted any more.
func TestDrainWithoutDelay(t *testing.T) {
	t.Parallel()
	health := new(Health)
	mux, started, release := drainMux(health)
	finish := sync.OnceFunc(func() { close(release) })
	defer finish() // on failure too, so that Run can drain
	addr, stop := startRun(t, mux, health, Config{DrainTimeout: 10 * time.Second})
	idle, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	idleR := bufio.NewReader(idle)
	if res, err := roundTrip(idle, idleR, "GET /healthz HTTP/1.1\r\nHost: example.com\r\n\r\n"); err != nil || res.StatusCode != 200 {
		t.Fatalf("health before the drain: %v", err)
	}
	busy, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	if _, err := io.WriteString(busy, "GET /slow HTTP/1.1\r\nHost: example.com\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	<-started
	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	if n, err := idleR.Read(make([]byte, 1)); n != 0 || err == nil {
		t.Errorf("an idle connection stays open through Shutdown: %d bytes, %v", n, err)
	}
	finish()
	res, err := http.ReadResponse(bufio.NewReader(busy), nil)
	if err != nil || res.StatusCode != 200 || !res.Close {
		t.Errorf("the request in flight: %v, %+v", err, res)
	}
	if err := <-stopped; err != nil {
		t.Errorf("Run: %v", err)
	}
	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
		t.Error("a connection is accepted after the drain")
	}
}

// writeCert writes a self-signed certificate for 127.0.0.1 and its key as
// PEM files in dir, and returns their paths and the certificate.
func writeCert(t *testing.T, dir string) (certFile, keyFile string, cert *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "httpstatus test"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	if cert, err = x509.ParseCertificate(der); err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	for file, block := range map[string]*pem.Block{certFile: {Type: "CERTIFICATE", Bytes: der}, keyFile: {Type: "EC PRIVATE KEY", Bytes: keyDER}} {
		if err := os.WriteFile(file, pem.EncodeToMemory(block), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return certFile, keyFile, cert
}

// TestRunChecksTLSFiles checks that a certificate or key that cannot be
// loaded is an error from Run before it listens or says it does, and that
// a good pair serves HTTPS with HTTP/2 and HTTP/1.1.
func TestRunChecksTLSFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	certFile, keyFile, cert := writeCert(t, dir)
	otherDir := filepath.Join(dir, "other")
	if err := os.Mkdir(otherDir, 0o700); err != nil {
		t.Fatal(err)
	}
	_, otherKey, _ := writeCert(t, otherDir)
	garbage := filepath.Join(dir, "garbage.pem")
	if err := os.WriteFile(garbage, []byte("not PEM\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.pem")
	for _, tc := range []struct {
		name, cert, key string
		is              error // what the error wraps, when that is known
	}{
		{"missing certificate", missing, keyFile, fs.ErrNotExist},
		{"missing key", certFile, missing, fs.ErrNotExist},
		{"certificate not PEM", garbage, keyFile, nil},
		{"key not PEM", certFile, garbage, nil},
		{"key of another certificate", certFile, otherKey, nil},
		{"the files swapped", keyFile, certFile, nil},
	} {
		var log strings.Builder
		logger := slog.New(slog.NewTextHandler(&log, nil))
		// Addr, not a Listener: Run must fail before it listens at all.
		err := Run(context.Background(), http.NotFoundHandler(), nil, Config{Addr: "127.0.0.1:0", CertFile: tc.cert, KeyFile: tc.key, Logger: logger})
		if err == nil || !strings.Contains(err.Error(), "TLS certificate") {
			t.Errorf("%s: Run returned %v; want an error about the TLS certificate and key", tc.name, err)
		}
		if tc.is != nil && !errors.Is(err, tc.is) {
			t.Errorf("%s: %v does not wrap %v", tc.name, err, tc.is)
		}
		if strings.Contains(log.String(), "listening") {
			t.Errorf("%s: Run said it was listening: %s", tc.name, log.String())
		}
	}

	addr, stop := startRun(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, r.Proto) }),
		nil, Config{CertFile: certFile, KeyFile: keyFile})
	roots := x509.NewCertPool()
	roots.AddCert(cert)
	for _, h2 := range []bool{true, false} {
		tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}, ForceAttemptHTTP2: h2}
		if !h2 {
			tr.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
		}
		res, err := (&http.Client{Transport: tr}).Get("https://" + addr + "/")
		if err != nil {
			t.Fatalf("HTTPS (HTTP/2 %v): %v", h2, err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if want := map[bool]string{true: "HTTP/2.0", false: "HTTP/1.1"}[h2]; string(body) != want {
			t.Errorf("HTTPS served %s, want %s", body, want)
		}
		tr.CloseIdleConnections()
	}
	if err := stop(); err != nil {
		t.Errorf("Run: %v", err)
	}
}
