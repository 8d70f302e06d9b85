package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/httpstatus/httpstatus/internal/openapi"
	"github.com/httpstatus/httpstatus/internal/ops"
	"github.com/httpstatus/httpstatus/internal/web"
	"github.com/httpstatus/httpstatus/respond"
	"github.com/httpstatus/httpstatus/server"
)

// serveFlags are the flags of "httpstatus serve"; each has an environment
// variable, named in envOf, that sets it when the flag is not given.
type serveFlags struct {
	addr              string
	tlsCert, tlsKey   string
	h2c               bool
	maxDelay          time.Duration
	maxWaiting        int
	maxBody           int64
	bodyTimeout       time.Duration
	maxKeys           int
	maxMemory         int64
	keyIdle           time.Duration
	maxRedirects      int
	maxHeaderBytes    int
	readHeaderTimeout time.Duration
	idleTimeout       time.Duration
	drainDelay        time.Duration
	drainTimeout      time.Duration
	logFormat         string
	accessLog         bool
	cors              bool
	redirectHosts     string
}

// envOf returns the environment variable of a serve flag: HTTPSTATUS_ and
// the flag's name in upper case with underscores.
func envOf(flagName string) string {
	return "HTTPSTATUS_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

func runServe(ctx context.Context, e *Env, args []string) error {
	f, err := parseServeFlags(e, args)
	if err != nil {
		return err
	}
	logger := newLogger(e.Stderr, f.logFormat)
	handler, health, err := f.handler(logger)
	if err != nil {
		return exitError{exitFail, err.Error()}
	}
	err = ops.Run(ctx, handler, health, ops.Config{
		Addr:              f.addr,
		CertFile:          f.tlsCert,
		KeyFile:           f.tlsKey,
		H2C:               f.h2c,
		ReadHeaderTimeout: f.readHeaderTimeout,
		IdleTimeout:       f.idleTimeout,
		MaxHeaderBytes:    f.maxHeaderBytes,
		DrainDelay:        f.drainDelay,
		DrainTimeout:      f.drainTimeout,
		Logger:            logger,
	})
	if err != nil {
		return exitError{exitFail, err.Error()}
	}
	return nil
}

// parseServeFlags reads serve's flags from args and, for those not given,
// from the environment, and checks them.
func parseServeFlags(e *Env, args []string) (*serveFlags, error) {
	lim := server.DefaultLimits()
	f := new(serveFlags)
	fs := newFlags(e, "serve", "[flags]",
		"Run the status test server and web reference. Every flag can also be set by the\n"+
			"environment variable named after it (--max-delay: HTTPSTATUS_MAX_DELAY); a flag\n"+
			"given on the command line wins. Routes and controls: docs/server.md.")
	fs.StringVar(&f.addr, "addr", ops.DefaultAddr, "`address` to listen on")
	fs.StringVar(&f.tlsCert, "tls-cert", "", "TLS certificate `file` (PEM); with --tls-key, serves HTTPS with HTTP/2")
	fs.StringVar(&f.tlsKey, "tls-key", "", "TLS private key `file` (PEM)")
	fs.BoolVar(&f.h2c, "h2c", false, "also serve cleartext HTTP/2 (prior knowledge)")
	fs.DurationVar(&f.maxDelay, "max-delay", lim.MaxDelay, "longest `duration` a request may be held (delays and slow body together)")
	fs.IntVar(&f.maxWaiting, "max-waiting", lim.MaxWaiting, "most requests held by delays at once; more get 503 with Retry-After")
	fs.Int64Var(&f.maxBody, "max-body", lim.MaxBody, "largest request body in `bytes`; larger gets 413")
	fs.DurationVar(&f.bodyTimeout, "body-timeout", lim.BodyTimeout, "longest `duration` a request body may take to arrive, after the request's own delays; longer gets 408")
	fs.IntVar(&f.maxKeys, "max-keys", lim.MaxKeys, "most keys of runs remembered; past it the least recently used is forgotten")
	fs.Int64Var(&f.maxMemory, "max-memory", lim.MaxMemory, "most `bytes` the remembered keys hold together, resources included")
	fs.DurationVar(&f.keyIdle, "key-idle", lim.KeyIdle, "how long a key no request uses is remembered")
	fs.IntVar(&f.maxRedirects, "max-redirects", lim.MaxRedirects, "longest chain /redirect/{n} makes")
	fs.IntVar(&f.maxHeaderBytes, "max-header-bytes", ops.DefaultMaxHeaderBytes,
		fmt.Sprintf("largest HTTP/1 request header section in `bytes`, request line included; larger gets 431 (at least %d)", ops.MinMaxHeaderBytes))
	fs.DurationVar(&f.readHeaderTimeout, "read-header-timeout", ops.DefaultReadHeaderTimeout, "time allowed to read a request's header section")
	fs.DurationVar(&f.idleTimeout, "idle-timeout", ops.DefaultIdleTimeout, "time a keep-alive connection may wait for its next request")
	fs.DurationVar(&f.drainDelay, "drain-delay", 0, "on SIGTERM, time to go on serving with /healthz at 503 and every connection closed after its response, before new connections are refused")
	fs.DurationVar(&f.drainTimeout, "drain-timeout", ops.DefaultDrainTimeout, "on SIGTERM, after --drain-delay, time in-flight requests get to finish")
	fs.StringVar(&f.logFormat, "log-format", "text", "log `format`: text or json (to standard error)")
	fs.BoolVar(&f.accessLog, "access-log", true, "log every request")
	fs.BoolVar(&f.cors, "cors", true, "let browsers call every route from any origin and read every header")
	fs.StringVar(&f.redirectHosts, "redirect-hosts", "", "comma-separated `hosts` an absolute redirect target may name")
	usage := fs.Usage
	fs.Usage = func() {
		usage()
		fmt.Fprintf(fs.Output(), "\nEnvironment variables:\n%s", serveEnvHelp(fs))
	}

	positional, err := parseArgs(e, fs, args)
	if err != nil {
		return nil, err
	}
	if len(positional) > 0 {
		return nil, usagef("serve takes no arguments, got %q", positional[0])
	}
	if err := applyEnv(e, fs); err != nil {
		return nil, err
	}
	if err := f.check(); err != nil {
		return nil, err
	}
	return f, nil
}

// handler composes everything serve answers, in one place: the status
// server, the web reference and the operational routes on one mux, behind
// one CORS middleware and one observing middleware that feeds the metrics
// and the access log. The health probe is returned too, for Run to mark
// as draining.
func (f *serveFlags) handler(logger *slog.Logger) (http.Handler, *ops.Health, error) {
	status := server.New(
		server.WithLogger(logger),
		server.WithRedirectHosts(strings.Split(f.redirectHosts, ",")...), // it trims and drops empty names
		server.WithLimits(server.Limits{MaxDelay: f.maxDelay, MaxWaiting: f.maxWaiting, MaxBody: f.maxBody, BodyTimeout: f.bodyTimeout,
			MaxKeys: f.maxKeys, MaxMemory: f.maxMemory, KeyIdle: f.keyIdle, MaxRedirects: f.maxRedirects}),
	)
	metrics, err := ops.NewMetrics(ops.Gauges{Waiting: status.Waiting, Memory: status.Memory})
	if err != nil {
		return nil, nil, err
	}
	health := new(ops.Health)

	// Every route first. The operational routes name no method: they
	// refuse methods other than GET and HEAD with a 405 problem
	// themselves, where a pattern naming GET would leave those requests
	// to the status server's 404.
	mux := http.NewServeMux()
	status.Register(mux) // /{code}, /status/{codes}, /random/{codes}, and a 404 problem for any other path
	web.Register(mux, web.WithLogger(logger))
	operational := []operationalRoute{
		{"/healthz", "200 ok, or 503 draining while the server shuts down", health},
		{"/metrics", "Prometheus metrics", metrics},
	}
	for _, r := range operational {
		mux.Handle(r.pattern, r.handler)
	}
	mux.Handle(openAPIPattern, openapi.Handler(describe(status, operational)))

	// Then the middleware around them all, innermost first.
	h := status.Cache(mux) // the commonest requests are answered before the mux routes them
	h = respond.Recover(h, logger)
	if f.cors {
		h = server.CORS(h)
	}
	observers := []server.Observer{metrics.Observe}
	if f.accessLog {
		observers = append(observers, ops.AccessLog(logger))
	}
	return server.Observe(h, observers...), health, nil
}

// An operationalRoute is a route of serve's own, for running it.
type operationalRoute struct {
	pattern, summary string
	handler          http.Handler
}

const openAPIPattern = "/openapi.json"

// describe lists every route serve answers, and every control, for the
// OpenAPI document.
func describe(status *server.Server, operational []operationalRoute) openapi.Description {
	d := openapi.Description{Status: status.Routes(), Controls: server.Controls()}
	for _, r := range web.Routes() {
		d.Routes = append(d.Routes, openapi.Route{Pattern: r.Pattern, Summary: r.Summary})
	}
	for _, r := range operational {
		d.Routes = append(d.Routes, openapi.Route{Pattern: r.pattern, Method: http.MethodGet, Summary: r.summary})
	}
	d.Routes = append(d.Routes, openapi.Route{Pattern: openAPIPattern, Method: http.MethodGet,
		Summary: "this document: the OpenAPI 3.1 description of every route and control"})
	return d
}

// applyEnv sets every flag not given on the command line from its
// environment variable, when that is set.
func applyEnv(e *Env, fs *flag.FlagSet) error {
	given := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	var err error
	fs.VisitAll(func(fl *flag.Flag) {
		if err != nil || given[fl.Name] {
			return
		}
		name := envOf(fl.Name)
		v := e.getenv(name)
		if v == "" {
			return
		}
		if serr := fs.Set(fl.Name, v); serr != nil {
			err = usagef("environment variable %s=%q: %v", name, v, serr)
		}
	})
	return err
}

func (f *serveFlags) check() error {
	switch {
	case f.logFormat != "text" && f.logFormat != "json":
		return usagef("--log-format must be text or json, got %q", f.logFormat)
	case (f.tlsCert == "") != (f.tlsKey == ""):
		return usagef("--tls-cert and --tls-key go together")
	case f.maxDelay <= 0, f.maxWaiting <= 0, f.maxBody <= 0, f.maxHeaderBytes <= 0,
		f.maxKeys <= 0, f.maxMemory <= 0, f.keyIdle <= 0, f.maxRedirects <= 0,
		f.readHeaderTimeout <= 0, f.idleTimeout <= 0, f.drainTimeout <= 0, f.bodyTimeout <= 0:
		return usagef("limits and timeouts must be greater than zero")
	case f.maxHeaderBytes < ops.MinMaxHeaderBytes:
		return usagef("--max-header-bytes must be at least %d, the smallest header limit net/http can enforce, got %d", ops.MinMaxHeaderBytes, f.maxHeaderBytes)
	case f.drainDelay < 0:
		return usagef("--drain-delay must not be negative")
	}
	return nil
}

func newLogger(w io.Writer, format string) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// serveEnvHelp lists the environment variable of every flag.
func serveEnvHelp(fs *flag.FlagSet) string {
	var b strings.Builder
	fs.VisitAll(func(fl *flag.Flag) { fmt.Fprintf(&b, "  --%-20s %s\n", fl.Name, envOf(fl.Name)) })
	return b.String()
}
