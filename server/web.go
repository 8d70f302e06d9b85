package server

import (
	"log/slog"
	"net/http"

	"github.com/httpstatus/httpstatus/internal/web"
)

// registerWeb mounts the web reference and JSON API (internal/web) on mux:
// GET /, /codes/{code}, /api/codes, /api/codes/{code} and /static/{file}.
func registerWeb(mux *http.ServeMux, logger *slog.Logger) {
	web.Register(mux, web.WithLogger(logger))
}
