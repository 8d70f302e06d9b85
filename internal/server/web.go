package server

import "net/http"

// registerWeb mounts the web reference (internal/web) on mux.
func registerWeb(mux *http.ServeMux) {}
