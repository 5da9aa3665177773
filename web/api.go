package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"redress"
)

// statusAnswer is a short answer in words: the health check, sign-out, revocation.
type statusAnswer struct {
	Status string `json:"status"`
}

// actionAnswer lists the lifecycle table for clients.
type actionAnswer struct {
	Action  redress.Action   `json:"action"`
	From    []redress.Status `json:"from"`
	To      redress.Status   `json:"to,omitempty"`
	Roles   []redress.Role   `json:"roles"`
	Handler bool             `json:"handler_may"`
	Fields  []string         `json:"fields"`
}

// listAnswer wraps the list endpoints' items.
type listAnswer[T any] struct {
	Items []T `json:"items"`
}

func (s *Server) apiRoutes() []route {
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
		{"cursor", "string", "next_cursor of the previous page"},
		{"limit", "integer", "page size, 1-200, default 50"},
	}
	return []route{
		{method: "GET", path: "/healthz", summary: "The server and its database answer", public: true,
			out: statusAnswer{}, handle: s.handleHealth},
		{method: "GET", path: "/api/v1/openapi.json", summary: "This OpenAPI document", public: true,
			out: map[string]any{}, handle: s.handleOpenAPI},
		{method: "POST", path: "/api/v1/cases", summary: "Register a case; the caller is its first responder",
			status: http.StatusCreated, body: redress.NewCase{}, out: redress.Case{}, handle: s.handleCaseCreate},
		{method: "GET", path: "/api/v1/cases", summary: "Cases in the caller's scope, newest receipt first",
			query: caseFilters, out: redress.CasePage{}, handle: s.handleCaseList},
		{method: "GET", path: "/api/v1/cases/{no}", summary: "One case by tracking number",
			out: redress.Case{}, handle: s.handleCaseView},
		{method: "POST", path: "/api/v1/cases/{no}/{action}", summary: "Take a lifecycle action at the case's current version; see GET /api/v1/actions for who may take which, from which status, with which fields",
			body: redress.ActionRequest{}, out: redress.Case{}, handle: s.handleCaseAct},
		{method: "GET", path: "/api/v1/cases/{no}/events", summary: "The case's audit events, oldest first",
			out: listAnswer[redress.Event]{}, handle: s.handleCaseEvents},
		{method: "GET", path: "/api/v1/actions", summary: "The lifecycle table: every action, its statuses, roles and fields",
			out: listAnswer[actionAnswer]{}, handle: s.handleActions},
		{method: "GET", path: "/api/v1/audit/verify", summary: "Verify the whole audit hash chain",
			out: redress.AuditReport{}, handle: s.handleAuditVerify},
		{method: "GET", path: "/api/v1/orgs", summary: "Every org unit, parents before children",
			out: listAnswer[redress.OrgUnit]{}, handle: s.handleOrgList},
		{method: "POST", path: "/api/v1/orgs", summary: "Create an org unit (admin)", status: http.StatusCreated,
			body: redress.NewOrgUnit{}, out: redress.OrgUnit{}, handle: s.handleOrgCreate},
		{method: "GET", path: "/api/v1/users", summary: "Users: all for an admin, else those in the caller's subtree",
			query: []param{{"org", "string", "org unit code: its subtree"}, {"role", "string", "role"}},
			out:   listAnswer[redress.User]{}, handle: s.handleUserList},
		{method: "POST", path: "/api/v1/users", summary: "Create a user (admin)", status: http.StatusCreated,
			body: redress.NewUser{}, out: redress.User{}, handle: s.handleUserCreate},
		{method: "PATCH", path: "/api/v1/users/{login}", summary: "Change a user's name, role, unit, password or disabled flag (admin); closes their sessions",
			body: redress.UserUpdate{}, out: redress.User{}, handle: s.handleUserUpdate},
		{method: "GET", path: "/api/v1/me", summary: "The caller", out: redress.User{}, handle: s.handleMe},
		{method: "POST", path: "/api/v1/session", summary: "Sign in with login and password: sets the session cookie", public: true,
			status: http.StatusCreated, body: redress.SignIn{}, out: redress.User{}, handle: s.handleSignIn},
		{method: "DELETE", path: "/api/v1/session", summary: "Sign out: ends the session and clears the cookie", public: true,
			out: statusAnswer{}, handle: s.handleSignOut},
		{method: "POST", path: "/api/v1/me/password", summary: "Change one's own password; closes one's other sessions",
			body: redress.PasswordChange{}, out: statusAnswer{}, handle: s.handlePasswordChange},
		{method: "GET", path: "/api/v1/tokens", summary: "API tokens: one's own, or a user's for an admin",
			query: []param{{"login", "string", "whose tokens (admin)"}}, out: listAnswer[redress.APIToken]{}, handle: s.handleTokenList},
		{method: "POST", path: "/api/v1/tokens", summary: "Issue an API token for oneself; the token is in this answer only",
			status: http.StatusCreated, body: redress.NewToken{}, out: redress.IssuedToken{}, handle: s.handleTokenIssue},
		{method: "DELETE", path: "/api/v1/tokens/{id}", summary: "Revoke a token: one's own, or anyone's for an admin",
			out: statusAnswer{}, handle: s.handleTokenRevoke},
		{method: "POST", path: "/api/v1/cases/lookup", summary: "Cases of one phone, ID or account number (exact match through the blind index); numbers travel in the body, never the URL",
			body: redress.Lookup{}, out: redress.CasePage{}, handle: s.handleCaseLookup},
		{method: "POST", path: "/api/v1/cases/{no}/reveal", summary: "Show one protected field in full; who, when and why are audited",
			body: redress.RevealRequest{}, out: redress.Revealed{}, handle: s.handleReveal},
		{method: "GET", path: "/api/v1/audit/events", summary: "The audit trail, newest first (auditors)",
			query: []param{{"actor", "string", "login"}, {"action", "string", "exact (noun.verb; an older name finds the same events), or a prefix ending in '.' (session., token., user., case.): the events whose subject is of that kind"},
				{"case", "string", "tracking number"}, {"subject_kind", "string", "the subject's kind: case, user, token, org, code, calendar, policy, session, keys, system"},
				{"subject_id", "string", "with subject_kind: the subject's id (tracking number, login, token number, ...)"},
				{"from", "string", "YYYY-MM-DD"}, {"to", "string", "YYYY-MM-DD"},
				{"before", "integer", "next_before of the previous page"}, {"limit", "integer", "1-500, default 100"}},
			out: redress.EventPage{}, handle: s.handleAuditEvents},
		{method: "GET", path: "/api/v1/codes", summary: "JR/T 0169 code lists",
			query: []param{{"dimension", "string", "A, B or C"}}, out: listAnswer[redress.Code]{}, handle: s.handleCodeList},
		{method: "POST", path: "/api/v1/codes", summary: "Add or change a code (admin)",
			body: redress.Code{}, out: redress.Code{}, handle: s.handleCodeSave},
	}
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.Ping(r.Context()); err != nil {
		s.log.ErrorContext(r.Context(), "health check failed", "error", err.Error())
		writeJSON(w, http.StatusServiceUnavailable, statusAnswer{Status: "database unavailable"})
		return nil
	}
	writeJSON(w, http.StatusOK, statusAnswer{Status: "ok"})
	return nil
}

func (s *Server) handleCaseCreate(w http.ResponseWriter, r *http.Request) error {
	var n redress.NewCase
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	if err := decodeStrict(body, &n); err != nil {
		return err
	}
	c, err := s.svc.Cases.CreateCase(r.Context(), n)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/cases/"+c.No)
	writeJSON(w, http.StatusCreated, c)
	return nil
}

func (s *Server) handleCaseList(w http.ResponseWriter, r *http.Request) error {
	f, err := caseFilterFrom(r)
	if err != nil {
		return err
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
		case "status", "kind", "channel", "org", "handler", "level", "overdue", "received_from", "received_to", "cursor", "limit":
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
	if len(fields) > 0 {
		return f, invalid("invalid filter", fields)
	}
	return f, nil
}

func (s *Server) handleCaseView(w http.ResponseWriter, r *http.Request) error {
	c, err := s.svc.Cases.Case(r.Context(), r.PathValue("no"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

// handleCaseAct takes one action. The body may hold only version and the
// fields the action takes: a field of another action is refused by name.
func (s *Server) handleCaseAct(w http.ResponseWriter, r *http.Request) error {
	action := redress.Action(r.PathValue("action"))
	rule, ok := redress.Lifecycle[action]
	if !ok || action == redress.ActionRegister {
		return redress.Errorf(redress.ENOTFOUND, "unknown action %q", action)
	}
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	var keys map[string]json.RawMessage
	if err := decodeStrict(body, &keys); err != nil {
		return err
	}
	allowed := map[string]bool{"version": true}
	for _, f := range rule.Fields {
		allowed[f] = true
	}
	fields := map[string]string{}
	for k := range keys {
		if !allowed[k] {
			fields[k] = "not a field of " + string(action)
		}
	}
	if len(fields) > 0 {
		return invalid("invalid input", fields)
	}
	req := redress.ActionRequest{Action: action}
	if err := decodeStrict(body, &req); err != nil {
		return err
	}
	req.Action = action
	c, err := s.svc.Cases.Act(r.Context(), r.PathValue("no"), req)
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

func (s *Server) handleActions(w http.ResponseWriter, r *http.Request) error {
	items := []actionAnswer{}
	for _, a := range redress.Actions {
		rule := redress.Lifecycle[a]
		fields := append([]string{"version"}, rule.Fields...)
		if a == redress.ActionRegister {
			fields = []string{}
		}
		from := rule.From
		if from == nil {
			from = []redress.Status{}
		}
		items = append(items, actionAnswer{Action: a, From: from, To: rule.To, Roles: rule.Roles, Handler: rule.Handler, Fields: fields})
	}
	writeJSON(w, http.StatusOK, listAnswer[actionAnswer]{Items: items})
	return nil
}

func (s *Server) handleAuditVerify(w http.ResponseWriter, r *http.Request) error {
	report, err := s.svc.Audit.VerifyAudit(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, report)
	return nil
}

func (s *Server) handleOrgList(w http.ResponseWriter, r *http.Request) error {
	orgs, err := s.svc.Orgs.ListOrgs(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listAnswer[*redress.OrgUnit]{Items: orgs})
	return nil
}

func (s *Server) handleOrgCreate(w http.ResponseWriter, r *http.Request) error {
	var n redress.NewOrgUnit
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	if err := decodeStrict(body, &n); err != nil {
		return err
	}
	o, err := s.svc.Orgs.CreateOrg(r.Context(), n)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, o)
	return nil
}

func (s *Server) handleUserList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	users, err := s.svc.Users.ListUsers(r.Context(), redress.UserFilter{Org: q.Get("org"), Role: redress.Role(q.Get("role"))})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listAnswer[*redress.User]{Items: users})
	return nil
}

func (s *Server) handleUserCreate(w http.ResponseWriter, r *http.Request) error {
	var n redress.NewUser
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	if err := decodeStrict(body, &n); err != nil {
		return err
	}
	u, err := s.svc.Users.CreateUser(r.Context(), n)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, u)
	return nil
}

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) error {
	u, err := redress.RequireUser(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, u)
	return nil
}

func (s *Server) handleCodeList(w http.ResponseWriter, r *http.Request) error {
	codes, err := s.svc.Codes.ListCodes(r.Context(), redress.Dimension(r.URL.Query().Get("dimension")))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listAnswer[*redress.Code]{Items: codes})
	return nil
}

func (s *Server) handleCodeSave(w http.ResponseWriter, r *http.Request) error {
	var c redress.Code
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	if err := decodeStrict(body, &c); err != nil {
		return err
	}
	saved, err := s.svc.Codes.SaveCode(r.Context(), c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, saved)
	return nil
}

func (s *Server) handleUserUpdate(w http.ResponseWriter, r *http.Request) error {
	var up redress.UserUpdate
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	if err := decodeStrict(body, &up); err != nil {
		return err
	}
	u, err := s.svc.Users.UpdateUser(r.Context(), r.PathValue("login"), up)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, u)
	return nil
}

func (s *Server) handleCaseLookup(w http.ResponseWriter, r *http.Request) error {
	var l redress.Lookup
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	if err := decodeStrict(body, &l); err != nil {
		return err
	}
	if l.Phone == "" && l.IDNumber == "" && l.Account == "" {
		return invalid("invalid input", map[string]string{"phone": "give a phone, id_number or account to look up"})
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
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	if err := decodeStrict(body, &req); err != nil {
		return err
	}
	revealed, err := s.svc.Cases.Reveal(r.Context(), r.PathValue("no"), req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, revealed)
	return nil
}

func (s *Server) handleAuditEvents(w http.ResponseWriter, r *http.Request) error {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return invalid("malformed query string: "+err.Error(), nil)
	}
	f := redress.AuditFilter{Actor: q.Get("actor"), Action: q.Get("action"), CaseNo: q.Get("case"), From: q.Get("from"), To: q.Get("to"),
		Subject: redress.NewSubject(redress.SubjectKind(q.Get("subject_kind")), q.Get("subject_id"))}
	fields := map[string]string{}
	for name := range q {
		switch name {
		case "actor", "action", "case", "subject_kind", "subject_id", "from", "to", "before", "limit":
		default:
			fields[name] = "unknown filter"
		}
	}
	for name, dst := range map[string]*int64{"before": &f.Before} {
		if v := q.Get(name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				fields[name] = "must be a whole number"
			}
			*dst = n
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			fields["limit"] = "must be a whole number"
		}
		f.Limit = n
	}
	if len(fields) > 0 {
		return invalid("invalid filter", fields)
	}
	page, err := s.svc.Audit.ListEvents(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}
