package web

import (
	"encoding/json"
	"net/http"

	"redress"
)

// actionAnswer lists the lifecycle table for clients.
type actionAnswer struct {
	Action  redress.Action   `json:"action"`
	From    []redress.Status `json:"from"`
	To      redress.Status   `json:"to,omitempty"`
	Roles   []redress.Role   `json:"roles"`
	Handler bool             `json:"handler_may"`
	Fields  []string         `json:"fields"`
}

// actionRoutes are the lifecycle actions on a case and the table of them.
func (s *Server) actionRoutes() []route {
	return []route{
		{method: "POST", path: "/api/v1/cases/{no}/{action}", summary: "Take a lifecycle action at the case's current version; see GET /api/v1/actions for who may take which, from which status, with which fields",
			body: redress.ActionRequest{}, out: redress.Case{}, handle: s.handleCaseAct},
		{method: "GET", path: "/api/v1/actions", summary: "The lifecycle table: every action, its statuses, roles and fields",
			out: listAnswer[actionAnswer]{}, handle: s.handleActions},
	}
}

// handleCaseAct takes one action. The body may hold only version and the
// fields the action takes: a field of another action is refused by name.
func (s *Server) handleCaseAct(w http.ResponseWriter, r *http.Request) error {
	action := redress.Action(r.PathValue("action"))
	rule := redress.Lifecycle[action]
	if !action.OnCase() {
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
	if c.ReceiptOnly { // a review request from outside the case's units (redress.MayReceiveReviewRequest)
		writeJSON(w, http.StatusOK, c.Receipt())
		return nil
	}
	writeJSON(w, http.StatusOK, c)
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
