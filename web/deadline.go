package web

import (
	"net/http"
	"net/url"
	"strconv"

	"redress"
)

// dueAnswer is the answer of the deadline query.
type dueAnswer struct {
	From string `json:"from"`
	redress.Due
}

// deadlineRoutes is the deadline query.
func (s *Server) deadlineRoutes() []route {
	return []route{
		{method: "GET", path: "/api/v1/calendar/due", summary: "A deadline: days of a unit from a date, or a policy's clock",
			query: []param{{"from", "string", "start date YYYY-MM-DD (not counted)"}, {"days", "integer", "number of days"},
				{"unit", "string", "calendar or working (default calendar)"}, {"region", "string", "calendar region, default CN"},
				{"policy", "string", "a deadline policy, e.g. complaint"}, {"clock", "string", "a clock of the policy, e.g. decision"}},
			out: dueAnswer{}, handle: s.handleDue},
	}
}

func (s *Server) handleDue(w http.ResponseWriter, r *http.Request) error {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return invalid("malformed query string: "+err.Error(), nil)
	}
	fields := map[string]string{}
	for name := range q {
		switch name {
		case "from", "days", "unit", "region", "policy", "clock":
		default:
			fields[name] = "unknown parameter"
		}
	}
	query := redress.DueQuery{Unit: redress.Unit(q.Get("unit")), Region: q.Get("region"), Policy: q.Get("policy"), Clock: q.Get("clock")}
	if query.Unit == "" {
		query.Unit = redress.UnitCalendar
	}
	if from, err := redress.ParseDate(q.Get("from")); err == nil {
		query.From = from
	} else {
		fields["from"] = "required: a date YYYY-MM-DD"
	}
	if v := q.Get("days"); v != "" {
		if query.Days, err = strconv.Atoi(v); err != nil {
			fields["days"] = "must be a whole number"
		}
	} else if query.Policy == "" {
		fields["days"] = "required, unless policy and clock are given"
	}
	if len(fields) > 0 {
		return invalid("invalid query", fields)
	}
	due, err := s.svc.Deadlines.Due(r.Context(), query)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, dueAnswer{From: query.From.String(), Due: *due})
	return nil
}
