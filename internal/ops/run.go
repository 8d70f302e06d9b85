package ops

import (
	"context"
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
	// MaxHeaderBytes bounds the size of a request's header section; a
	// larger one is answered 431. Zero means 32 KiB.
	MaxHeaderBytes int
	// DrainTimeout bounds how long shutdown waits for in-flight requests;
	// zero means 35 seconds, longer than the default longest delay.
	DrainTimeout time.Duration
	// Logger receives the server's records: listening, shutting down,
	// and what net/http reports. Nil means none.
	Logger *slog.Logger
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
	return c
}

// HTTPServer returns the http.Server Run uses for h and cfg: timeouts,
// header limit and protocols set, not yet listening.
func HTTPServer(h http.Handler, cfg Config) *http.Server {
	cfg = cfg.withDefaults()
	hs := &http.Server{
		Addr:              cfg.Addr,
		Handler:           h,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		MaxHeaderBytes:    cfg.MaxHeaderBytes,
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

// Run serves h until ctx is done, then shuts down gracefully: it stops
// accepting connections, makes health answer 503, and lets in-flight
// requests finish for up to cfg.DrainTimeout before closing what is left.
// It returns nil after a clean shutdown.
func Run(ctx context.Context, h http.Handler, health *Health, cfg Config) error {
	cfg = cfg.withDefaults()
	log := cfg.Logger
	if health == nil {
		health = new(Health)
	}
	tls := cfg.CertFile != "" || cfg.KeyFile != ""
	if tls && (cfg.CertFile == "" || cfg.KeyFile == "") {
		return errors.New("ops: TLS needs both a certificate file and a key file")
	}
	hs := HTTPServer(h, cfg)
	ln := cfg.Listener
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", cfg.Addr); err != nil {
			return fmt.Errorf("ops: listening: %w", err)
		}
	}
	health.draining.Store(false)
	log.Info("listening", "addr", ln.Addr().String(), "tls", tls, "h2c", cfg.H2C)
	served := make(chan error, 1)
	go func() {
		if tls {
			served <- hs.ServeTLS(ln, cfg.CertFile, cfg.KeyFile)
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
