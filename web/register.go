package web

import (
	"cmp"
	"net/http"
	"slices"

	"redress"
)

// registerRoutes are the branch's registers kept from the cases: the opinion
// register (意见登记簿) of an outlet.
func (s *Server) registerRoutes() []route {
	return []route{
		{method: "GET", path: "/registers/opinion", access: pageAuth, handle: s.handleOpinionRegisterPage},
	}
}

// maxRegisterRows bounds the rows of one register page; a longer month is
// printed in parts (a shorter period).
const maxRegisterRows = 2000

// opinionRegister is an outlet's opinion register for a month (seed 002
// Arts. 3, 8, 10: the complaint manager records each complaint received
// other than in the customer opinion book, its handling and the reply to the
// customer, and the outlet's head signs each): the complaints the outlet
// received in the month, oldest first, each with its handling, its reply and
// the head's sign-off.
type opinionRegister struct {
	Org, Month, From, To string
	OrgName              string
	Units                []*redress.OrgUnit // the units in scope to choose from
	Rows                 []*redress.Case
	Cut                  bool // more than maxRegisterRows: the period is to be narrowed
}

func (s *Server) handleOpinionRegisterPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, err := redress.RequireUser(ctx)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	reg := &opinionRegister{Org: q.Get("org"), Month: q.Get("month")}
	if reg.Org == "" {
		reg.Org = u.OrgCode
	}
	if reg.Month == "" {
		reg.Month = s.now().In(redress.Beijing).Format("2006-01")
	}
	d := &pageData{Title: "register.opinion", Data: reg}
	orgs, err := s.svc.Orgs.ListOrgs(ctx)
	if err != nil {
		return err
	}
	for _, o := range orgs {
		if redress.InSubtree(o.Path, u.OrgPath) {
			reg.Units = append(reg.Units, o)
		}
		if o.Code == reg.Org {
			reg.OrgName = o.Name
		}
	}
	from, to, err := redress.PeriodOf(redress.PeriodMonth, reg.Month)
	if err != nil {
		var p redress.Problems
		p.AddKey("month", redress.ProblemOneOf, "YYYY-MM")
		d.Error, d.Fields = pageMessage(p.Err()), pageFields(p.Err())
		s.render(w, r, http.StatusOK, "register_opinion", d)
		return nil
	}
	reg.From, reg.To = from.String(), to.String()
	f := redress.CaseFilter{OriginOrg: reg.Org, ReceivedFrom: reg.From, ReceivedTo: reg.To, Limit: 200}
	for {
		page, err := s.svc.Cases.ListCases(ctx, f)
		if code := redress.ErrorCode(err); code == redress.EINVALID {
			d.Error, d.Fields = pageMessage(err), pageFields(err)
			break
		} else if err != nil {
			return err
		}
		reg.Rows = append(reg.Rows, page.Cases...)
		if page.NextCursor == "" {
			break
		}
		if len(reg.Rows) >= maxRegisterRows {
			reg.Cut = true
			break
		}
		f.Cursor = page.NextCursor
	}
	// The register reads as it was kept: oldest first.
	slices.SortStableFunc(reg.Rows, func(a, b *redress.Case) int {
		if c := a.ReceivedAt.Compare(b.ReceivedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID) // registered first, listed first
	})
	logins := []string{}
	for _, c := range reg.Rows {
		logins = append(logins, c.Handler, c.SignedOffBy, c.FirstResponder)
	}
	d.People = s.userNames(ctx, logins...)
	format, err := exportFormat(r)
	if err != nil {
		return err
	}
	if format != "" {
		return s.exportOpinionRegister(w, r, format, reg, d.People)
	}
	if s.svc.Settings != nil {
		if d.Bank, err = s.svc.Settings.BankProfile(ctx); err != nil {
			return err
		}
	}
	s.render(w, r, http.StatusOK, "register_opinion", d)
	return nil
}
