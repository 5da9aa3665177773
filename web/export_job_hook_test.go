package web

// SetAsyncExportRows sets the size from which the workbench starts a
// background export: the tests' lists are a few cases long.
func (s *Server) SetAsyncExportRows(n int) { s.jobs.rows = n }
