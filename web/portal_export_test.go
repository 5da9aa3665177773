package web

// PortalPatterns are the patterns of the public handler's table, for the
// tests of package web_test.
func PortalPatterns(s *Server) []string {
	var out []string
	for _, rt := range s.portal {
		out = append(out, rt.pattern())
	}
	return out
}

// StaffRoutes are the method and path of every route of the staff table.
func StaffRoutes(s *Server) [][2]string {
	var out [][2]string
	for _, rt := range s.routes {
		out = append(out, [2]string{rt.method, rt.path})
	}
	return out
}
