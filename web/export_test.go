package web

// PageRoute is a route of the staff pages, for the attack suite of the
// external tests.
type PageRoute struct{ Method, Path string }

// PageRoutes lists the page routes of the staff table (not the API, which
// the attack suite takes from the OpenAPI document).
func PageRoutes(s *Server) []PageRoute {
	var out []PageRoute
	for _, rt := range s.routes {
		if rt.access == pageAuth || rt.access == pageOpen {
			out = append(out, PageRoute{rt.method, rt.path})
		}
	}
	return out
}

// SetAsyncExportRows sets the size from which the workbench starts a
// background export: the tests' lists are a few cases long.
func (s *Server) SetAsyncExportRows(n int) { s.jobs.rows = n }
