package web

import "net/http"

// healthRoutes is the health check, on the staff and the public handler alike.
func (s *Server) healthRoutes() []route {
	return []route{
		{method: "GET", path: "/healthz", summary: "The server and its database answer", access: apiPublic,
			out: statusAnswer{}, handle: s.handleHealth},
	}
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.Ping(r.Context()); err != nil {
		s.log.ErrorContext(r.Context(), "health check failed", "error", err.Error())
		writeJSON(w, http.StatusServiceUnavailable, statusAnswer{Status: "database unavailable"})
		return nil
	}
	writeJSON(w, http.StatusOK, statusAnswer{Status: "ok"})
	return nil
}
