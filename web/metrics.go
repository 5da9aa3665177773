package web

import (
	"net/http"
	"net/http/pprof"
	"time"

	"redress"
)

// RequestObserver hears of every request a route answered (package prom):
// the route's pattern (never the path, which may hold a tracking number),
// the method, the status and how long it took.
type RequestObserver interface {
	ObserveRequest(route, method string, status int, took time.Duration)
}

// metricsRoutes are the metrics in the Prometheus format, to an admin.
func (s *Server) metricsRoutes() []route {
	return []route{
		{method: "GET", path: "/metrics", summary: "The server's metrics in the Prometheus text format (admin): requests by route and status, intake and its group commits, the jobs, the cases by status, the outboxes, the database pools",
			files: []string{"text/plain"}, handle: s.handleMetrics},
	}
}

// requireAdmin answers EFORBIDDEN for anyone but an admin.
func requireAdmin(r *http.Request) error {
	u, err := redress.RequireUser(r.Context())
	if err != nil {
		return err
	}
	if u.Role != redress.RoleAdmin {
		return redress.Errorf(redress.EFORBIDDEN, "role %s may not read the server's metrics or profiles", u.Role)
	}
	return nil
}

func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) error {
	if err := requireAdmin(r); err != nil {
		return err
	}
	if s.svc.Metrics == nil {
		return redress.Errorf(redress.ENOTFOUND, "this server keeps no metrics")
	}
	s.svc.Metrics.ServeHTTP(w, r)
	return nil
}

// OpsHandler is the operators' handler for a separate (loopback) address:
// the metrics at /metrics and the Go profiles (net/http/pprof) under
// /debug/pprof/, each to an admin's token or session like /metrics on the
// staff handler.
func (s *Server) OpsHandler() http.Handler {
	mux := http.NewServeMux()
	admin := func(h http.Handler) http.Handler {
		return s.endpoint(route{access: apiAuth, handle: func(w http.ResponseWriter, r *http.Request) error {
			if err := requireAdmin(r); err != nil {
				return err
			}
			h.ServeHTTP(w, r)
			return nil
		}})
	}
	mux.Handle("GET /metrics", admin(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := s.handleMetrics(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})))
	mux.Handle("GET /debug/pprof/", admin(http.HandlerFunc(pprof.Index)))
	mux.Handle("GET /debug/pprof/cmdline", admin(http.HandlerFunc(pprof.Cmdline)))
	mux.Handle("GET /debug/pprof/profile", admin(http.HandlerFunc(pprof.Profile)))
	mux.Handle("GET /debug/pprof/symbol", admin(http.HandlerFunc(pprof.Symbol)))
	mux.Handle("GET /debug/pprof/trace", admin(http.HandlerFunc(pprof.Trace)))
	mux.Handle("/", s.endpoint(route{access: apiPublic, handle: func(w http.ResponseWriter, r *http.Request) error {
		return redress.Errorf(redress.ENOTFOUND, "no operation %s %s here: /metrics and /debug/pprof/", r.Method, r.URL.Path)
	}}))
	return s.middleware(s.log, mux)
}

// observed counts each answer of a route with the request observer.
func (s *Server) observed(rt route, h http.Handler) http.Handler {
	if s.svc.Requests == nil {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now() // a duration: the monotonic clock, not the pages' clock
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		s.svc.Requests.ObserveRequest(rt.path, rt.method, rec.status, time.Since(start))
	})
}
