package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"redress"
)

// caseRoutes are the API operations that read cases and show their
// protected fields.
func (s *Server) caseRoutes() []route {
	caseFilters := []param{
		{"status", "string", "status, or several separated by commas"},
		{"kind", "string", "inquiry, suggestion, complaint, petition, other"},
		{"channel", "string", "channel of receipt"},
		{"org", "string", "org unit code: cases held by the unit's whole subtree"},
		{"handler", "string", "login of the handler"},
		{"level", "integer", "escalation level 1-4"},
		{"overdue", "boolean", "true: open cases past their decision date; false: the others"},
		{"received_from", "string", "YYYY-MM-DD (Beijing time), inclusive"},
		{"received_to", "string", "YYYY-MM-DD (Beijing time), inclusive"},
		{"code", "string", "a JR/T 0169 code (A, B or C): cases classified under it or under a code below it"},
		{"due_by", "string", "YYYY-MM-DD: open cases whose decision is due by then, overdue included"},
		{"sort", "string", "the order: a column (due, received, level, priority) and _asc or _desc; received (newest first, the default) and due (earliest decision due first) as before"},
		{"cursor", "string", "next_cursor of the previous page"},
		{"limit", "integer", "page size, 1-200, default 50"},
		{"format", "string", "json (default), or csv or xlsx: every case of the filter as a file (also by Accept: text/csv or the XLSX type)"},
		{"queue", "string", "a worklist of the caller: accept (待我受理), mine (待我处理), sign_off (待我签字), registered (我登记的)"},
	}
	return []route{
		{method: "GET", path: "/api/v1/cases", summary: "Cases in the caller's scope, newest receipt first unless sort says otherwise",
			query: caseFilters, schemas: caseFilterSchemas(), out: redress.CasePage{}, handle: s.handleCaseList},
		{method: "GET", path: "/api/v1/cases/{no}", summary: "One case by tracking number",
			out: redress.Case{}, handle: s.handleCaseView},
		{method: "GET", path: "/api/v1/cases/{no}/events", summary: "The case's audit events, oldest first",
			out: listAnswer[redress.Event]{}, handle: s.handleCaseEvents},
		{method: "POST", path: "/api/v1/cases/lookup", summary: "Cases of one phone, ID or account number (exact match through the blind index); numbers travel in the body, never the URL",
			body: redress.Lookup{}, out: redress.CasePage{}, handle: s.handleCaseLookup},
		{method: "POST", path: "/api/v1/cases/{no}/reveal", summary: "Show one protected field in full; who, when and why are audited",
			body: redress.RevealRequest{}, out: redress.Revealed{}, handle: s.handleReveal},
	}
}

// caseFilterSchemas are the ranges and values of the list's filters, from
// the domain's own lists and limits (redress.CaseFilter.Normalize).
func caseFilterSchemas() map[string]object {
	date := object{"format": "date"}
	return map[string]object{
		"kind": {"enum": stringsOf(redress.Kinds)}, "channel": {"enum": stringsOf(redress.Channels)},
		"level": {"minimum": 1, "maximum": redress.MaxLevel}, "limit": {"minimum": 1, "maximum": redress.MaxListLimit, "default": redress.DefaultListLimit},
		"received_from": date, "received_to": date, "due_by": date,
		"sort": {"enum": redress.CaseSortValues()}, "format": {"enum": exportFormats},
		"queue": {"enum": stringsOf(redress.Queues)},
	}
}

func (s *Server) handleCaseList(w http.ResponseWriter, r *http.Request) error {
	f, err := caseFilterFrom(r)
	if err != nil {
		return err
	}
	format, err := exportFormat(r)
	if err != nil {
		return err
	}
	if format != "" { // export.go: every case of the filter, as a file
		return s.exportCases(w, r, format, f)
	}
	page, err := s.svc.Cases.ListCases(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

// caseFilterFrom reads the list filters from the query string; unknown
// parameters are refused so that a typo does not silently widen a list.
func caseFilterFrom(r *http.Request) (redress.CaseFilter, error) {
	var f redress.CaseFilter
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return f, invalid("malformed query string: "+err.Error(), nil)
	}
	fields := map[string]string{}
	for name := range q {
		switch name {
		case "status", "kind", "channel", "org", "handler", "level", "overdue", "received_from", "received_to", "code", "due_by",
			"sort", "cursor", "limit", "format", "queue", "back": // back: the workbench's previous pages (pageLinks)
		default:
			fields[name] = "unknown filter"
		}
	}
	for _, st := range strings.Split(q.Get("status"), ",") {
		if st = strings.TrimSpace(st); st != "" {
			f.Status = append(f.Status, redress.Status(st))
		}
	}
	f.Kind, f.Channel = redress.Kind(q.Get("kind")), redress.Channel(q.Get("channel"))
	f.Org, f.Handler, f.Cursor = q.Get("org"), q.Get("handler"), q.Get("cursor")
	f.ReceivedFrom, f.ReceivedTo = q.Get("received_from"), q.Get("received_to")
	f.Code, f.DueBy, f.Sort = q.Get("code"), q.Get("due_by"), q.Get("sort")
	for name, dst := range map[string]*int{"level": &f.Level, "limit": &f.Limit} {
		if v := q.Get(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				fields[name] = "must be a whole number"
			}
			*dst = n
		}
	}
	if v := q.Get("overdue"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			fields["overdue"] = "must be true or false"
		}
		f.Overdue = &b
	}
	if v := q.Get("queue"); v != "" {
		applyQueue(&f, redress.Queue(v), redress.UserFrom(r.Context()), fields)
	}
	if len(fields) > 0 {
		return f, invalid("invalid filter", fields)
	}
	return f, nil
}

// applyQueue narrows a filter to a workbench queue (redress.Queue.Filter):
// the queue's statuses, handler and order unless the filter names its own.
func applyQueue(f *redress.CaseFilter, queue redress.Queue, u *redress.User, fields map[string]string) {
	if !queue.Valid() || u == nil {
		fields["queue"] = "unknown queue: want accept, mine, sign_off, registered or return_visit"
		return
	}
	base := queue.Filter(u)
	if len(f.Status) == 0 {
		f.Status = base.Status
	}
	if f.Handler == "" {
		f.Handler = base.Handler
	}
	if f.Sort == "" {
		f.Sort = base.Sort
	}
	f.NotHandler, f.FirstResponder, f.ReturnVisit = base.NotHandler, base.FirstResponder, base.ReturnVisit
}

func (s *Server) handleCaseView(w http.ResponseWriter, r *http.Request) error {
	c, err := s.svc.Cases.Case(r.Context(), r.PathValue("no"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) handleCaseEvents(w http.ResponseWriter, r *http.Request) error {
	events, err := s.svc.Cases.CaseEvents(r.Context(), r.PathValue("no"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listAnswer[*redress.Event]{Items: events})
	return nil
}

func (s *Server) handleCaseLookup(w http.ResponseWriter, r *http.Request) error {
	var l redress.Lookup
	if err := readJSON(w, r, &l); err != nil {
		return err
	}
	if err := l.Validate(); err != nil {
		return err
	}
	page, err := s.svc.Cases.ListCases(r.Context(), redress.CaseFilter{Phone: l.Phone, IDNumber: l.IDNumber,
		Account: l.Account, Cursor: l.Cursor, Limit: l.Limit})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

func (s *Server) handleReveal(w http.ResponseWriter, r *http.Request) error {
	var req redress.RevealRequest
	if err := readJSON(w, r, &req); err != nil {
		return err
	}
	revealed, err := s.svc.Cases.Reveal(r.Context(), r.PathValue("no"), req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, revealed)
	return nil
}
