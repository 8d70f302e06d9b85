package ops

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Config is how Run listens and shuts down.
type Config struct {
	// Addr is the TCP address to listen on; empty means DefaultAddr.
	Addr string
	// Listener, when set, is used instead of listening on Addr.
	Listener net.Listener
	// CertFile and KeyFile, when both are set, turn on TLS, with HTTP/2
	// offered by ALPN next to HTTP/1.1.
	CertFile, KeyFile string
	// H2C turns on cleartext HTTP/2 with prior knowledge, next to HTTP/1.1.
	H2C bool
	// ReadHeaderTimeout bounds the time to read a request's header section;
	// zero means 10 seconds.
	ReadHeaderTimeout time.Duration
	// IdleTimeout bounds the time a keep-alive connection waits for its
	// next request; zero means 2 minutes.
	IdleTimeout time.Duration
	// MaxHeaderBytes bounds the size of an HTTP/1.x request's header
	// section, request line and blank line included: on a connection's
	// first request, one of MaxHeaderBytes bytes is read and one byte more
	// is answered 431. A later request on a kept-alive connection may have
	// up to 4,096 bytes more, which net/http reads ahead, uncounted, while
	// it waits for the request to begin. Zero means 32 KiB; it must be at
	// least MinMaxHeaderBytes. Over HTTP/2, net/http bounds the header list
	// in HTTP/2's own count instead (see HTTPServer).
	MaxHeaderBytes int
	// DrainDelay is how long Run keeps serving once ctx is done, before it
	// stops accepting connections: /healthz answers 503 and every response
	// asks for its connection to be closed, so that a load balancer that
	// polls the probe moves clients away first. Zero means no delay.
	DrainDelay time.Duration
	// DrainTimeout bounds how long shutdown waits for in-flight requests,
	// after DrainDelay; zero means 35 seconds, longer than the default
	// longest delay.
	DrainTimeout time.Duration
	// Logger receives the server's records: listening, shutting down,
	// and what net/http reports. Nil means none.
	Logger *slog.Logger

	// after starts the drain delay; nil means time.After. Tests end the
	// delay when they have made their requests, not when a clock says.
	after func(time.Duration) <-chan time.Time
}

// DefaultAddr is the address Run listens on when Config.Addr is empty.
const DefaultAddr = ":8080"

// Defaults of Config.
const (
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultIdleTimeout       = 2 * time.Minute
	DefaultMaxHeaderBytes    = 32 << 10
	DefaultDrainTimeout      = 35 * time.Second
)

// What net/http's HTTP/1 server reads of a request's header section
// without counting it against its MaxHeaderBytes: 4,096 bytes of slack
// (room for its read buffer) and, when it serves h2c, the 14 bytes it reads
// first to tell the HTTP/2 preface ("PRI * HTTP/2.0") from HTTP/1.
const (
	headerSlack = 4096
	h2cPeek     = len("PRI * HTTP/2.0")
)

// MinMaxHeaderBytes is the smallest Config.MaxHeaderBytes that Run can
// enforce: what net/http reads uncounted, and one byte.
const MinMaxHeaderBytes = headerSlack + h2cPeek + 1

func (c Config) withDefaults() Config {
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if c.ReadHeaderTimeout <= 0 {
		c.ReadHeaderTimeout = DefaultReadHeaderTimeout
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = DefaultIdleTimeout
	}
	if c.MaxHeaderBytes <= 0 {
		c.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	if c.DrainTimeout <= 0 {
		c.DrainTimeout = DefaultDrainTimeout
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.after == nil {
		c.after = time.After
	}
	return c
}

// HTTPServer returns the http.Server Run uses for h and cfg: timeouts,
// header limit and protocols set, not yet listening. Its MaxHeaderBytes is
// cfg's less what net/http reads without counting it (4,096 bytes, and 14
// more with h2c), so that the first HTTP/1.x header section of a connection
// passes at cfg.MaxHeaderBytes and gets 431 one byte over; a cfg limit
// below MinMaxHeaderBytes is raised to it. HTTP/2 advertises that
// MaxHeaderBytes, plus 320 bytes, as its header list size, which counts
// each field's name and value and 32 bytes more.
func HTTPServer(h http.Handler, cfg Config) *http.Server {
	cfg = cfg.withDefaults()
	uncounted := headerSlack
	if cfg.H2C && (cfg.CertFile == "" || cfg.KeyFile == "") {
		uncounted += h2cPeek // only a cleartext connection is peeked at
	}
	hs := &http.Server{
		Addr:              cfg.Addr,
		Handler:           h,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		MaxHeaderBytes:    max(cfg.MaxHeaderBytes, MinMaxHeaderBytes) - uncounted,
		ErrorLog:          slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelWarn),
		Protocols:         new(http.Protocols),
	}
	hs.Protocols.SetHTTP1(true)
	if cfg.CertFile != "" && cfg.KeyFile != "" {
		hs.Protocols.SetHTTP2(true)
	}
	if cfg.H2C {
		hs.Protocols.SetUnencryptedHTTP2(true)
	}
	return hs
}

// Run serves h until ctx is done, then drains and shuts down: it marks
// health as draining (503), and for cfg.DrainDelay goes on serving, every
// response carrying Connection: close (a GOAWAY over HTTP/2); then it stops
// accepting connections, closes the idle ones, and lets in-flight requests
// finish for up to cfg.DrainTimeout before closing what is left. It returns
// nil after a clean shutdown. A TLS certificate and key are loaded before
// anything listens, so that a bad file is an error, not a server whose
// every handshake fails.
func Run(ctx context.Context, h http.Handler, health *Health, cfg Config) error {
	cfg = cfg.withDefaults()
	log := cfg.Logger
	if health == nil {
		health = new(Health)
	}
	if cfg.MaxHeaderBytes < MinMaxHeaderBytes {
		return fmt.Errorf("ops: a header limit of %d bytes is below the %d net/http can enforce", cfg.MaxHeaderBytes, MinMaxHeaderBytes)
	}
	if cfg.DrainDelay < 0 {
		return errors.New("ops: the drain delay must not be negative")
	}
	useTLS := cfg.CertFile != "" || cfg.KeyFile != ""
	if useTLS && (cfg.CertFile == "" || cfg.KeyFile == "") {
		return errors.New("ops: TLS needs both a certificate file and a key file")
	}
	hs := HTTPServer(closeWhileDraining(h, health), cfg)
	if useTLS {
		cert, err := tls.LoadX509KeyPair(cfg.CertFile, cfg.KeyFile)
		if err != nil {
			return fmt.Errorf("ops: loading the TLS certificate %s and key %s: %w", cfg.CertFile, cfg.KeyFile, err)
		}
		hs.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	}
	ln := cfg.Listener
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", cfg.Addr); err != nil {
			return fmt.Errorf("ops: listening: %w", err)
		}
	}
	health.draining.Store(false)
	log.Info("listening", "addr", ln.Addr().String(), "tls", useTLS, "h2c", cfg.H2C)
	served := make(chan error, 1)
	go func() {
		if useTLS {
			served <- hs.ServeTLS(ln, "", "") // the certificate is in hs.TLSConfig
		} else {
			served <- hs.Serve(ln)
		}
	}()
	select {
	case err := <-served:
		return fmt.Errorf("ops: serving: %w", err)
	case <-ctx.Done():
	}
	health.draining.Store(true)
	if cfg.DrainDelay > 0 {
		log.Info("draining", "drain_delay", cfg.DrainDelay.String())
		select {
		case <-cfg.after(cfg.DrainDelay):
		case err := <-served:
			return fmt.Errorf("ops: serving: %w", err)
		}
	}
	log.Info("shutting down", "drain_timeout", cfg.DrainTimeout.String())
	drainCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.DrainTimeout)
	defer cancel()
	if err := hs.Shutdown(drainCtx); err != nil {
		_ = hs.Close()
		<-served
		return fmt.Errorf("ops: in-flight requests outlasted the drain timeout of %v: %w", cfg.DrainTimeout, err)
	}
	<-served
	log.Info("stopped")
	return nil
}

// closeWhileDraining asks for the connection of every request that starts
// while health is draining to be closed after the response. net/http
// honours the field: it closes an HTTP/1.x connection after the response,
// and turns it into a GOAWAY on HTTP/2. Server.SetKeepAlivesEnabled(false)
// would do the same, but it also closes idle connections at once, so that
// a client on one could never be told by the health probe to go away.
func closeWhileDraining(h http.Handler, health *Health) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if health.draining.Load() {
			w.Header().Set("Connection", "close")
		}
		h.ServeHTTP(w, r)
	})
}
