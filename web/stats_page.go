package web

import (
	"context"
	"encoding/json"
	"net/http"

	"redress"
)

// This file is the statistics page (统计分析): a period picked by month,
// quarter, year or dates, a unit of the caller's scope to drill into, the
// figures of redress.Stats as cards, charts and tables. It computes
// nothing: every number comes from the statistics service, the same that
// answers GET /api/v1/stats.

// statsPageRoutes are the statistics page.
func (s *Server) statsPageRoutes() []route {
	return []route{{method: "GET", path: "/stats", access: pageAuth, handle: s.handleStatsPage}}
}

// statsPage is what the statistics page shows.
type statsPage struct {
	Period, Value, From, To, Org, Trend string
	Kinds                               []string
	// Units are the units of the caller's scope to pick from; Up the unit
	// above the asked one, when it is in scope.
	Units  []*redress.OrgUnit
	Up     *redress.OrgUnit
	Asked  *redress.OrgUnit
	Stats  *redress.Stats
	Tables []statsTable
	// Charts are the JSON the charts draw (app.js): the trend, the shares
	// by kind, business code and root cause, the units.
	Charts map[string]string
	// Corrective counts the unit's corrective actions (整改), those opened
	// in the period apart: open ones and their effect, as DOMAIN.md §7 asks.
	Corrective *redress.CorrectiveSummary
	// Reception counts the reception log's visits of the period by outlet
	// (来访接待登记, reception.go), beside the corrective actions.
	Reception *redress.ReceptionSummary
}

// statsTable is one breakdown as a table: its title and its rows named.
type statsTable struct {
	Name, Title string // the breakdown, and the message that names it
	Rows        []statsRow
}

// statsTableTitles are the messages naming the breakdowns, in the order
// the page and the exports show them.
var statsTableTitles = []struct{ name, title string }{
	{"unit", "stats.table.unit"}, {"kind", "stats.table.kind"}, {"status", "stats.table.status"},
	{"channel", "stats.table.channel"}, {"code_b", "stats.table.code_b"}, {"code_a", "stats.table.code_a"},
	{"code_c", "stats.table.code_c"}, {"root_cause", "stats.table.root_cause"},
}

// statsRow is one figure of a breakdown with the name of its key.
type statsRow struct {
	Label string
	redress.Figure
}

// chartPoint is one point or slice of a chart.
type chartPoint struct {
	Name  string `json:"name"`
	Value any    `json:"value"`
}

func (s *Server) handleStatsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, err := redress.RequireUser(ctx)
	if err != nil {
		return err
	}
	t := newT(s.ui.bundle, pageLang(r))
	q := r.URL.Query()
	p := &statsPage{Period: q.Get("period"), Value: q.Get("value"), From: q.Get("from"), To: q.Get("to"), Org: q.Get("org"),
		Trend: q.Get("trend"), Kinds: redress.PeriodKinds}
	if p.Period == "" {
		p.Period, p.Value = redress.PeriodMonth, redress.LastMonth(redress.DateOf(s.now().In(redress.Beijing)))
	}
	d := &pageData{T: t, Title: "stats.title", Data: p}
	if p.Period != redress.PeriodCustom {
		from, to, err := redress.PeriodOf(p.Period, p.Value)
		if err != nil {
			d.Error, d.Fields = pageMessage(err), pageFields(err)
			s.render(w, r, http.StatusOK, "stats", d)
			return nil
		}
		p.From, p.To = from.String(), to.String()
	}
	if err := s.loadStatsUnits(ctx, u, p); err != nil {
		return err
	}
	st, err := s.svc.Stats.Stats(ctx, redress.StatsQuery{From: p.From, To: p.To, Org: p.Org, Trend: p.Trend})
	switch code := redress.ErrorCode(err); {
	case err == nil:
	case code == redress.EINVALID || code == redress.ENOTFOUND:
		d.Error, d.Fields = pageMessage(err), pageFields(err)
		s.render(w, r, http.StatusOK, "stats", d)
		return nil
	default:
		return err
	}
	p.Stats = st
	if err := s.nameStats(ctx, t, p); err != nil {
		return err
	}
	from, _ := redress.ParseDate(p.From) // the engine accepted the period
	to, _ := redress.ParseDate(p.To)
	if s.svc.Corrective != nil {
		if p.Corrective, err = s.svc.Corrective.CorrectiveSummary(ctx, p.Org, from, to); err != nil {
			return err
		}
	}
	if s.svc.Reception != nil {
		if p.Reception, err = s.svc.Reception.ReceptionSummary(ctx, p.Org, from, to); err != nil {
			return err
		}
	}
	s.render(w, r, http.StatusOK, "stats", d)
	return nil
}

// loadStatsUnits lists the units of the caller's scope and finds the asked
// one and the one above it.
func (s *Server) loadStatsUnits(ctx context.Context, u *redress.User, p *statsPage) error {
	orgs, err := s.svc.Orgs.ListOrgs(ctx)
	if err != nil {
		return err
	}
	byCode := map[string]*redress.OrgUnit{}
	for _, o := range orgs {
		byCode[o.Code] = o
		if redress.InSubtree(o.Path, u.OrgPath) {
			p.Units = append(p.Units, o)
		}
	}
	if p.Asked = byCode[p.Org]; p.Asked != nil && p.Asked.Path != u.OrgPath {
		if up := byCode[p.Asked.ParentCode]; up != nil && redress.InSubtree(up.Path, u.OrgPath) {
			p.Up = up
		}
	}
	return nil
}

// nameStats turns the breakdowns into tables with their keys named in the
// page's language, and the charts' data into JSON.
func (s *Server) nameStats(ctx context.Context, t *T, p *statsPage) error {
	codes, err := s.svc.Codes.ListCodes(ctx, "")
	if err != nil {
		return err
	}
	codeName := map[string]string{}
	for _, c := range codes {
		codeName[c.Code] = c.Code + " " + c.Name
		if t.Lang == "en" {
			codeName[c.Code] = c.Code + " " + c.NameEN
		}
	}
	unitName := map[string]string{}
	for _, o := range p.Units {
		unitName[o.Code] = o.Name
	}
	label := func(table, key string) string {
		switch table {
		case "status", "kind", "channel":
			return t.Label(table, key)
		case "unit":
			if n, ok := unitName[key]; ok {
				return n
			}
		case "root_cause":
			if key == "" {
				return t.Get("stats.uncoded")
			}
		}
		if n, ok := codeName[key]; ok {
			return n
		}
		return key
	}
	charts := map[string][]chartPoint{}
	for _, tt := range statsTableTitles {
		name := tt.name
		table := statsTable{Name: name, Title: tt.title}
		for _, f := range p.Stats.Breakdowns[name] {
			table.Rows = append(table.Rows, statsRow{Label: label(name, f.Key), Figure: f})
			if f.Count > 0 {
				charts[name] = append(charts[name], chartPoint{Name: label(name, f.Key), Value: f.Count})
			}
		}
		p.Tables = append(p.Tables, table)
	}
	for _, tp := range p.Stats.Trend {
		charts["trend"] = append(charts["trend"], chartPoint{Name: tp.Start, Value: tp.Count})
	}
	for _, us := range p.Stats.Units {
		charts["on_time"] = append(charts["on_time"], chartPoint{Name: us.Name, Value: us.DecisionOnTime.Rate * 100})
	}
	p.Charts = map[string]string{}
	for name, points := range charts {
		raw, err := json.Marshal(points)
		if err != nil {
			return err
		}
		p.Charts[name] = string(raw)
	}
	return nil
}
