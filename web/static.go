package web

import "net/http"

// staticRoutes serves the CSS, scripts and images under /static/, embedded
// in the binary; the public handler serves the same files.
func (s *Server) staticRoutes() []route {
	return []route{{method: "GET", path: "/static/", access: pageOpen, handle: s.handleStatic}}
}

func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Cache-Control", "public, max-age=3600")
	s.ui.static.ServeHTTP(w, r)
	return nil
}
