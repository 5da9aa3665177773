package web

// notificationRoutes are the in-app notification operations.
func (s *Server) notificationRoutes() []route { return nil }
