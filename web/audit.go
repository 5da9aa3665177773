package web

import (
	"net/http"
	"net/url"
	"strconv"

	"redress"
)

// auditRoutes are the audit trail and the check of its hash chain.
func (s *Server) auditRoutes() []route {
	return []route{
		{method: "GET", path: "/api/v1/audit/verify", summary: "Verify the whole audit hash chain",
			out: redress.AuditReport{}, handle: s.handleAuditVerify},
		{method: "GET", path: "/api/v1/audit/events", summary: "The audit trail, newest first (auditors)",
			query: []param{{"actor", "string", "login"}, {"action", "string", "exact (noun.verb; an older name finds the same events), or a prefix ending in '.' (session., token., user., case.): the events whose subject is of that kind"},
				{"case", "string", "tracking number"}, {"subject_kind", "string", "the subject's kind: case, user, token, org, code, calendar, policy, session, keys, system"},
				{"subject_id", "string", "with subject_kind: the subject's id (tracking number, login, token number, ...)"},
				{"org", "string", "an org unit's code: the events of the people of its subtree"},
				{"from", "string", "YYYY-MM-DD"}, {"to", "string", "YYYY-MM-DD"},
				{"before", "integer", "next_before of the previous page"}, {"limit", "integer", "1-500, default 100"},
				{"format", "string", "json (default), or csv or xlsx: every event of the filter as a file, from before if given (also by Accept: text/csv or the XLSX type)"}},
			out: redress.EventPage{}, handle: s.handleAuditEvents},
	}
}

func (s *Server) handleAuditVerify(w http.ResponseWriter, r *http.Request) error {
	report, err := s.svc.Audit.VerifyAudit(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, report)
	return nil
}

func (s *Server) handleAuditEvents(w http.ResponseWriter, r *http.Request) error {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return invalid("malformed query string: "+err.Error(), nil)
	}
	f, fields := auditFilterOf(q)
	if len(fields) > 0 {
		return invalid("invalid filter", fields)
	}
	format, err := exportFormat(r)
	if err != nil {
		return err
	}
	if format != "" { // export.go: every event of the filter, as a file
		return s.exportAudit(w, r, format, f)
	}
	page, err := s.svc.Audit.ListEvents(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

// auditFilterOf reads an audit filter from a query, the API's and the audit
// page's alike, with the problems of its form (unknown parameters, numbers
// that are not) by field.
func auditFilterOf(q url.Values) (redress.AuditFilter, map[string]string) {
	f := redress.AuditFilter{Actor: q.Get("actor"), Action: q.Get("action"), CaseNo: q.Get("case"), From: q.Get("from"), To: q.Get("to"),
		Org: q.Get("org"), Subject: redress.NewSubject(redress.SubjectKind(q.Get("subject_kind")), q.Get("subject_id"))}
	fields := map[string]string{}
	for name := range q {
		switch name {
		case "actor", "action", "case", "subject_kind", "subject_id", "org", "from", "to", "before", "limit", "format":
		default:
			fields[name] = "unknown filter"
		}
	}
	if v := q.Get("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			fields["before"] = "must be a whole number"
		}
		f.Before = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			fields["limit"] = "must be a whole number"
		}
		f.Limit = n
	}
	return f, fields
}
