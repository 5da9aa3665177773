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

// deadlineRoutes are the deadline and calendar operations.
func (s *Server) deadlineRoutes() []route {
	return []route{
		{method: "GET", path: "/api/v1/calendar/due", summary: "A deadline: days of a unit from a date, or a policy's clock",
			query: []param{{"from", "string", "start date YYYY-MM-DD (not counted)"}, {"days", "integer", "number of days"},
				{"unit", "string", "calendar or working (default calendar)"}, {"region", "string", "calendar region, default CN"},
				{"policy", "string", "a deadline policy, e.g. complaint"}, {"clock", "string", "a clock of the policy, e.g. decision"}},
			out: dueAnswer{}, handle: s.handleDue},
		{method: "GET", path: "/api/v1/calendar", summary: "The holiday calendar of a region, year by year, embedded or overridden",
			query: []param{{"region", "string", "CN (default) or GB"}}, out: listAnswer[redress.ScheduleInfo]{}, handle: s.handleSchedules},
		{method: "PUT", path: "/api/v1/calendar/{region}/{year}", summary: "Set one year of a region's holiday calendar (admin): next year's notice, a closure",
			body: redress.YearSchedule{}, out: redress.ScheduleInfo{}, handle: s.handleScheduleSave},
		{method: "DELETE", path: "/api/v1/calendar/{region}/{year}", summary: "Remove an admin's calendar year, restoring the embedded one if any",
			out: statusAnswer{}, handle: s.handleScheduleDelete},
		{method: "GET", path: "/api/v1/policies", summary: "The deadline policies in force", out: listAnswer[redress.Policy]{}, handle: s.handlePolicies},
		{method: "PUT", path: "/api/v1/policies/{name}", summary: "Replace a deadline policy (admin)",
			body: redress.Policy{}, out: redress.Policy{}, handle: s.handlePolicySave},
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

func (s *Server) handleSchedules(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.Deadlines.Schedules(r.Context(), r.URL.Query().Get("region"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listAnswer[redress.ScheduleInfo]{Items: list})
	return nil
}

// pathYear reads the region and year of a calendar path; the body must name the same.
func pathYear(r *http.Request) (string, int, error) {
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || year < 2000 || year > 2100 {
		return "", 0, redress.Errorf(redress.ENOTFOUND, "no calendar year %s", r.PathValue("year"))
	}
	return r.PathValue("region"), year, nil
}

func (s *Server) handleScheduleSave(w http.ResponseWriter, r *http.Request) error {
	region, year, err := pathYear(r)
	if err != nil {
		return err
	}
	var sched redress.YearSchedule
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	if err := decodeStrict(body, &sched); err != nil {
		return err
	}
	if sched.Region != region || sched.Year != year {
		return invalid("invalid input", map[string]string{"year": "the body must be the schedule of " + region + " " + strconv.Itoa(year)})
	}
	saved, err := s.svc.Deadlines.SaveSchedule(r.Context(), sched)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, saved)
	return nil
}

func (s *Server) handleScheduleDelete(w http.ResponseWriter, r *http.Request) error {
	region, year, err := pathYear(r)
	if err != nil {
		return err
	}
	if err := s.svc.Deadlines.DeleteSchedule(r.Context(), region, year); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, statusAnswer{Status: "deleted"})
	return nil
}

func (s *Server) handlePolicies(w http.ResponseWriter, r *http.Request) error {
	policies, err := s.svc.Deadlines.Policies(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listAnswer[redress.Policy]{Items: policies})
	return nil
}

func (s *Server) handlePolicySave(w http.ResponseWriter, r *http.Request) error {
	var p redress.Policy
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	if err := decodeStrict(body, &p); err != nil {
		return err
	}
	if p.Name != r.PathValue("name") {
		return invalid("invalid input", map[string]string{"name": "must be " + r.PathValue("name")})
	}
	saved, err := s.svc.Deadlines.SavePolicy(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, saved)
	return nil
}
