package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"redress"
)

// auditPageRoutes are the audit trail's page for auditors: the events by
// filter a page at a time, the chain's verification, the export.
func (s *Server) auditPageRoutes() []route {
	return []route{{method: "GET", path: "/audit", access: pageAuth, handle: s.handleAuditPage}}
}

// auditSubjectKinds are the kinds of subject the page's filter offers.
var auditSubjectKinds = []redress.SubjectKind{redress.SubjectCase, redress.SubjectUser, redress.SubjectToken, redress.SubjectOrg,
	redress.SubjectCode, redress.SubjectCalendar, redress.SubjectPolicy, redress.SubjectSession, redress.SubjectKeys,
	redress.SubjectSystem, redress.SubjectExport, redress.SubjectCorrective, redress.SubjectLost,
	redress.SubjectTraining, redress.SubjectIncident, redress.SubjectPlan, redress.SubjectReception}

// auditPageSize is how many events the page lists at a time.
const auditPageSize = 50

// auditPageOnly are the page's own parameters, which are no filter: the
// cursors of the pages before (back, to go back a page) and verify.
var auditPageOnly = []string{"back", "verify"}

// handleAuditPage lists the audit trail for those who read it
// (redress.PermAuditRead, enforced by the service): the API's filters as a
// form, every problem at once next to its field, keyset paging with the
// cursors of the pages before in the URL, the chain verified on request,
// and the export of the filter through the API's (web/export.go
// exportAudit, an export.download event).
func (s *Server) handleAuditPage(w http.ResponseWriter, r *http.Request) error {
	if u := redress.UserFrom(r.Context()); !redress.Can(u.Role, redress.PermAuditRead) {
		return redress.Errorf(redress.EFORBIDDEN, "only auditors read the audit trail")
	}
	q := r.URL.Query()
	filterQuery := url.Values{}
	for k, v := range q {
		if !slices.Contains(auditPageOnly, k) {
			filterQuery[k] = v
		}
	}
	for k, v := range filterQuery { // a form leaves empty fields: they filter nothing
		if len(v) == 1 && strings.TrimSpace(v[0]) == "" {
			delete(filterQuery, k)
		}
	}
	f, fields := auditFilterOf(filterQuery)
	if f.Limit == 0 {
		f.Limit = auditPageSize
	}
	d := &pageData{Title: "audit.title", FieldScope: "audit.", Form: q}
	var page *redress.EventPage
	if len(fields) > 0 {
		d.Error, d.Fields = "audit.invalid", map[string]string{}
		for k := range fields {
			d.Fields[k] = "@" + redress.ProblemUnknown + "|" + k
		}
	} else {
		var err error
		page, err = s.svc.Audit.ListEvents(r.Context(), f)
		if redress.ErrorCode(err) == redress.EINVALID {
			d.Error, d.Fields = "audit.invalid", pageFields(err)
		} else if err != nil {
			return err
		}
	}
	var report *redress.AuditReport
	if q.Get("verify") != "" {
		var err error
		if report, err = s.svc.Audit.VerifyAudit(r.Context()); err != nil {
			return err
		}
	}
	// Paging by the keyset, the cursors of the pages before in the URL.
	base := cloneValues(filterQuery)
	base.Del("before")
	linkQuery := cloneValues(filterQuery)
	if v := q.Get("back"); v != "" {
		linkQuery.Set("back", v)
	}
	next := ""
	if page != nil && page.NextBefore != 0 {
		next = strconv.FormatInt(page.NextBefore, 10)
	}
	prev, nextURL := keysetLinks(linkQuery, "before", next)
	links := map[string]string{"prev": prev, "next": nextURL}
	exportQuery := cloneValues(base)
	exportQuery.Del("limit")
	d.Data = map[string]any{"Page": page, "Report": report, "Kinds": auditSubjectKinds, "Links": links,
		"Export": "/api/v1/audit/events?" + exportQuery.Encode(), "Verify": "/audit?" + withVerify(q)}
	s.render(w, r, http.StatusOK, "audit", d)
	return nil
}

// withVerify is the current query asking for the chain's verification.
func withVerify(q url.Values) string {
	v := cloneValues(q)
	v.Set("verify", "1")
	return v.Encode()
}

// EventAction names an audit action for people: a lifecycle action by its
// label (case.accept → 受理), another by auditaction.<name>, and an action
// the catalogue does not know yet as it is stored.
func (t *T) EventAction(stored string) string {
	action := redress.CurrentEventAction(stored)
	if verb, ok := strings.CutPrefix(action, string(redress.SubjectCase)+"."); ok && slices.Contains(redress.Actions, redress.Action(verb)) {
		return t.Label("action", verb)
	}
	if msg := t.Get("auditaction." + action); msg != "auditaction."+action {
		return msg
	}
	return action
}

// sessionFailures are the reasons a refused sign-in's audit event gives at
// the start of its detail (sqldb/session.go), by their message.
var sessionFailures = []struct{ prefix, key string }{
	{"wrong password, failure ", "auditdetail.wrong_password"}, {"unknown login", "auditdetail.unknown_login"},
	{"locked", "auditdetail.locked"}, {"disabled", "auditdetail.disabled"}, {"password changed meanwhile", "auditdetail.changed_meanwhile"},
}

// EventDetail shows an event's detail: a refused sign-in's reason in the
// page's language (the address it came from as recorded), any other
// detail as it was recorded.
func (t *T) EventDetail(action, detail string) string {
	if action != "session.failed" {
		return detail
	}
	for _, f := range sessionFailures {
		rest, ok := strings.CutPrefix(detail, f.prefix)
		if !ok {
			continue
		}
		n, remote, _ := strings.Cut(strings.TrimSpace(rest), " ")
		if f.key != "auditdetail.wrong_password" {
			n, remote = "", strings.TrimSpace(rest)
		}
		return strings.TrimSpace(t.Get(f.key, "N", n) + " " + remote)
	}
	return detail
}
