package web

import (
	"net/http"

	"redress"
)

// statsRoutes are the statistics operations.
func (s *Server) statsRoutes() []route {
	return []route{
		{method: "GET", path: "/api/v1/stats", summary: "Statistics of the cases received in a period (at most 366 days), within the caller's scope",
			query: []param{{"from", "string", "YYYY-MM-DD, inclusive"}, {"to", "string", "YYYY-MM-DD, inclusive"}, {"org", "string", "a unit code: its subtree"},
				{"trend", "string", "the trend's buckets: day, week or month (default: day up to 31 days, week up to 92, month beyond)"},
				{"format", "string", "json (default), or csv or xlsx: the same figures as a file, a sheet per table (also by Accept)"}},
			schemas: map[string]object{"from": {"required": true, "format": "date"}, "to": {"required": true, "format": "date"},
				"trend": {"enum": []string{redress.TrendDay, redress.TrendWeek, redress.TrendMonth}}, "format": {"enum": exportFormats}},
			out: redress.Stats{}, handle: s.handleStats},
	}
}

func (s *Server) handleStats(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	st, err := s.svc.Stats.Stats(r.Context(), redress.StatsQuery{From: q.Get("from"), To: q.Get("to"), Org: q.Get("org"), Trend: q.Get("trend")})
	if err != nil {
		return err
	}
	format, err := exportFormat(r)
	if err != nil {
		return err
	}
	if format != "" { // export.go: the same figures as a file
		return s.exportStats(w, r, format, st)
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}
