package web

// deadlineRoutes are the deadline and calendar operations.
func (s *Server) deadlineRoutes() []route { return nil }
