package web

import (
	"net/http"
	"strconv"
	"time"

	"redress"
)

// lostRoutes are the lost-property register (失物登记): the API and the pages.
func (s *Server) lostRoutes() []route {
	return []route{
		{method: "GET", path: "/api/v1/lost-items", summary: "The lost-property register in the caller's scope, oldest first (at most 1,000 items)",
			query: []param{{"org", "string", "an outlet or a unit above it (default: the caller's scope)"},
				{"status", "string", "kept, returned, police or disposed"},
				{"from", "string", "found on or after, YYYY-MM-DD"}, {"to", "string", "found on or before, YYYY-MM-DD"},
				{"format", "string", "json (default), or csv or xlsx: the register as a file (also by Accept)"}},
			out: listAnswer[redress.LostItem]{}, handle: s.handleLostList},
		{method: "POST", path: "/api/v1/lost-items", summary: "Register an item found in an outlet: where and when, who found it, the CCTV reference, where it is kept",
			status: http.StatusCreated, body: redress.NewLostItem{}, out: redress.LostItem{}, handle: s.handleLostRegister},
		{method: "GET", path: "/api/v1/lost-items/{id}", summary: "One found item (the receiver's ID number masked)",
			out: redress.LostItem{}, handle: s.handleLostView},
		{method: "POST", path: "/api/v1/lost-items/{id}/steps", summary: "A step at the version seen: trace (how the owner is traced), return (to the owner, ID checked, slip signed), police, dispose (after 90 days)",
			body: redress.LostRequest{}, out: redress.LostItem{}, handle: s.handleLostStep},
		{method: "GET", path: "/registers/lost", access: pageAuth, handle: s.handleLostPage},
		{method: "POST", path: "/registers/lost", access: pageAuth, handle: s.handleLostRegisterSubmit},
		{method: "GET", path: "/registers/lost/{id}", access: pageAuth, handle: s.handleLostItemPage},
		{method: "POST", path: "/registers/lost/{id}/step", access: pageAuth, handle: s.handleLostStepSubmit},
	}
}

// lostID reads the {id} of a path: a number or a reference SW-000012.
func lostID(r *http.Request) (int64, error) {
	id, ok := redress.ParseLostRef(r.PathValue("id"))
	if !ok {
		return 0, redress.Errorf(redress.ENOTFOUND, "lost item %q not found", r.PathValue("id"))
	}
	return id, nil
}

func lostFilterFrom(r *http.Request) redress.LostFilter {
	q := r.URL.Query()
	return redress.LostFilter{Org: q.Get("org"), Status: redress.LostStatus(q.Get("status")), From: q.Get("from"), To: q.Get("to")}
}

func (s *Server) handleLostList(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.Lost.LostItems(r.Context(), lostFilterFrom(r))
	if err != nil {
		return err
	}
	format, err := exportFormat(r)
	if err != nil {
		return err
	}
	if format != "" {
		return s.exportLost(w, r, format, list)
	}
	writeJSON(w, http.StatusOK, listAnswer[redress.LostItem]{Items: derefAll(list)})
	return nil
}

func (s *Server) handleLostRegister(w http.ResponseWriter, r *http.Request) error {
	var n redress.NewLostItem
	if err := readJSON(w, r, &n); err != nil {
		return err
	}
	item, err := s.svc.Lost.RegisterLost(r.Context(), n)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, item)
	return nil
}

func (s *Server) handleLostView(w http.ResponseWriter, r *http.Request) error {
	id, err := lostID(r)
	if err != nil {
		return err
	}
	item, err := s.svc.Lost.Lost(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, item)
	return nil
}

func (s *Server) handleLostStep(w http.ResponseWriter, r *http.Request) error {
	id, err := lostID(r)
	if err != nil {
		return err
	}
	var req redress.LostRequest
	if err := readJSON(w, r, &req); err != nil {
		return err
	}
	item, err := s.svc.Lost.StepLost(r.Context(), id, req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, item)
	return nil
}

// lostPage is what the register's pages show: the list with its filter and
// the registration form, or one item with its steps.
type lostPage struct {
	Items    []*redress.LostItem
	Filter   redress.LostFilter
	Units    []*redress.OrgUnit
	Statuses []redress.LostStatus
	IDTypes  []redress.IDType
	Item     *redress.LostItem
	Now      string
	MayAct   bool
}

func (s *Server) handleLostPage(w http.ResponseWriter, r *http.Request) error {
	return s.lostPage(w, r, &pageData{})
}

func (s *Server) lostPage(w http.ResponseWriter, r *http.Request, d *pageData) error {
	u, err := redress.RequireUser(r.Context())
	if err != nil {
		return err
	}
	p := &lostPage{Filter: lostFilterFrom(r), Statuses: redress.LostStatuses, MayAct: redress.MayRegister(u.Role),
		Now: s.now().In(redress.Beijing).Format("2006-01-02T15:04")}
	orgs, err := s.svc.Orgs.ListOrgs(r.Context())
	if err != nil {
		return err
	}
	for _, o := range orgs {
		if o.Kind == redress.OrgOutlet && redress.InSubtree(o.Path, u.OrgPath) {
			p.Units = append(p.Units, o)
		}
	}
	p.Items, err = s.svc.Lost.LostItems(r.Context(), p.Filter)
	if code := redress.ErrorCode(err); code == redress.EINVALID && d.Error == "" {
		d.Error, d.Fields = pageMessage(err), pageFields(err)
	} else if err != nil && code != redress.EINVALID {
		return err
	}
	d.Title, d.Data = "lost.title", p
	s.render(w, r, http.StatusOK, "lost", d)
	return nil
}

func (s *Server) handleLostRegisterSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	n := redress.NewLostItem{Org: f.Get("org"), Description: f.Get("description"), Place: f.Get("place"), FoundBy: f.Get("found_by"),
		CCTVRef: f.Get("cctv_ref"), KeptAt: f.Get("kept_at")}
	if v := f.Get("found_at"); v != "" {
		if t, err := time.ParseInLocation("2006-01-02T15:04", v, redress.Beijing); err == nil {
			n.FoundAt = t
		}
	}
	_, err := s.svc.Lost.RegisterLost(r.Context(), n)
	return s.afterPost(w, r, err, "/registers/lost", func(d *pageData) error { return s.lostPage(w, r, d) })
}

func (s *Server) handleLostItemPage(w http.ResponseWriter, r *http.Request) error {
	return s.lostItemPage(w, r, &pageData{})
}

func (s *Server) lostItemPage(w http.ResponseWriter, r *http.Request, d *pageData) error {
	u, err := redress.RequireUser(r.Context())
	if err != nil {
		return err
	}
	id, err := lostID(r)
	if err != nil {
		return err
	}
	item, err := s.svc.Lost.Lost(r.Context(), id)
	if err != nil {
		return err
	}
	d.Title, d.Data = "lost.item", &lostPage{Item: item, IDTypes: redress.IDTypes, MayAct: redress.MayRegister(u.Role) && item.Status == redress.LostKept}
	if s.svc.Settings != nil {
		if d.Bank, err = s.svc.Settings.BankProfile(r.Context()); err != nil {
			return err
		}
	}
	s.render(w, r, http.StatusOK, "lost_item", d)
	return nil
}

func (s *Server) handleLostStepSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := lostID(r)
	if err != nil {
		return err
	}
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	version, _ := strconv.Atoi(f.Get("version"))
	req := redress.LostRequest{Step: redress.LostStep(f.Get("step")), Version: version, Note: f.Get("note"), ReceiverName: f.Get("receiver_name"),
		ReceiverIDType: redress.IDType(f.Get("receiver_id_type")), ReceiverIDNumber: f.Get("receiver_id_number"), Signed: f.Get("signed") == "yes"}
	_, err = s.svc.Lost.StepLost(r.Context(), id, req)
	return s.afterPost(w, r, err, "/registers/lost/"+redress.LostRef(id), func(d *pageData) error { return s.lostItemPage(w, r, d) })
}
