package web

import (
	"cmp"
	"context"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"redress"
)

// workbenchRoutes is the workbench, the staff's home page.
func (s *Server) workbenchRoutes() []route {
	return []route{{method: "GET", path: "/{$}", access: pageAuth, handle: s.handleWorkbench}}
}

// dueLine is how a list shows one case's deadline.
type dueLine struct {
	Case *redress.Case
	// Complainant is the complainant's name as the list shows it (the
	// bank's ListPrivacy: 张* unless it shows names).
	Complainant string
	Left        string // 剩余 2 个工作日 / 已超期 1 天
	Late        bool
	Reply       bool // the branch reply is late while the decision is not
}

// workbench is the data of the workbench page.
type workbench struct {
	Mine     map[redress.Status]int
	Unit     map[redress.Status]int
	Statuses []redress.Status
	Overdue  []dueLine
	DueSoon  []dueLine
	List     []dueLine
	Next     string
	Codes    []*redress.Code
	Kinds    []redress.Kind
	Channels []redress.Channel
	// Prev and NextURL are the list's page links (pageLinks).
	Prev, NextURL string
	// Queues are the user's worklists with how many cases wait in each;
	// Queue the one the list shows, Total how many cases the list holds,
	// Names the names of the users a list shows by login.
	Queues []queueCount
	Queue  redress.Queue
	Total  int
	Names  map[string]string
	// OpinionBooks are the outlets whose opinion book was not checked on
	// the last working days (for those who check it).
	OpinionBooks []redress.OpinionBookOutlet
	// Sort is the list's order, Heads the links of its sortable columns
	// (workbench_sort.go), Sorts the orders the form offers.
	Sort  string
	Heads map[string]sortHead
	Sorts []string
	// Bars draw the unit's cases by status (workbench_chart.go); Height is
	// the chart's height in its units.
	Bars   []statusBar
	Height int
	// ExportJob is the list's filter as a query string when the list is
	// large enough for its export to run in the background ("" otherwise:
	// the export links download at once).
	ExportJob string
}

// queueCount is one worklist and how many cases wait in it.
type queueCount struct {
	Queue redress.Queue
	Count int
}

// sum adds up counts by status.
func sum(counts map[redress.Status]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

func (s *Server) handleWorkbench(w http.ResponseWriter, r *http.Request) error {
	u := redress.UserFrom(r.Context())
	if !u.Role.ReadsCases() {
		http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
		return nil
	}
	ctx := r.Context()
	t := newT(s.ui.bundle, pageLang(r))
	// A filter the list refuses comes back on the workbench, naming the
	// field, with the list left empty; the rest of the page still shows.
	d := &pageData{T: t, Title: "workbench.title"}
	f, ferr := caseFilterFrom(r)
	if f.Limit == 0 {
		f.Limit = 25
	}
	cals, err := s.svc.Deadlines.Calendars(ctx)
	if err != nil {
		return err
	}
	policies, err := s.svc.Deadlines.Policies(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	wb := &workbench{Statuses: redress.Statuses, Kinds: redress.Kinds, Channels: redress.Channels}
	if wb.Mine, err = s.svc.Cases.CountCases(ctx, redress.CaseFilter{Handler: u.Login}); err != nil {
		return err
	}
	if wb.Unit, err = s.svc.Cases.CountCases(ctx, redress.CaseFilter{}); err != nil {
		return err
	}
	wb.Bars = statusBars(wb.Statuses, wb.Unit)
	wb.Height = max(1, len(wb.Bars)) * barRow
	yes, no := true, false
	overdue, err := s.svc.Cases.ListCases(ctx, redress.CaseFilter{Overdue: &yes, Sort: "due", Limit: 10})
	if err != nil {
		return err
	}
	cal, _ := cals.Calendar(redress.RegionCN)
	soonBy, _, err := redress.DueSoonEnd(cal, today(now), s.dueSoonDays())
	if err != nil {
		return err
	}
	soon, err := s.svc.Cases.ListCases(ctx, redress.CaseFilter{Overdue: &no, DueBy: soonBy.String(), Sort: "due", Limit: 10})
	if err != nil {
		return err
	}
	list := &redress.CasePage{}
	if ferr == nil {
		list, ferr = s.svc.Cases.ListCases(ctx, f)
	}
	switch {
	case ferr == nil:
	case redress.ErrorCode(ferr) == redress.EINVALID || redress.ErrorCode(ferr) == redress.ENOTFOUND:
		d.Error, d.Fields, list = pageMessage(ferr), pageFields(ferr), &redress.CasePage{}
	default:
		return ferr
	}
	wb.Queue = redress.Queue(r.URL.Query().Get("queue"))
	for _, q := range redress.QueuesFor(u.Role) {
		counts, err := s.svc.Cases.CountCases(ctx, q.Filter(u))
		if err != nil {
			return err
		}
		wb.Queues = append(wb.Queues, queueCount{Queue: q, Count: sum(counts)})
	}
	if ferr == nil {
		counts, err := s.svc.Cases.CountCases(ctx, f)
		if err != nil {
			return err
		}
		wb.Total = sum(counts)
	}
	wb.Names = s.userNames(ctx, handlers(overdue.Cases, soon.Cases, list.Cases)...)
	wb.Overdue, wb.DueSoon, wb.List = dueLines(t, cals, policies, now, overdue.Cases),
		dueLines(t, cals, policies, now, soon.Cases), dueLines(t, cals, policies, now, list.Cases)
	privacy := redress.ListPrivacy{} // names masked unless the bank's policy shows them
	if s.svc.Settings != nil {
		if privacy, err = s.svc.Settings.ListPrivacy(ctx); err != nil {
			return err
		}
	}
	for i := range wb.List {
		wb.List[i].Complainant = privacy.ListName(wb.List[i].Case.Complainant.Name)
	}
	wb.Next = list.NextCursor
	sort, ok := redress.ParseCaseSort(f.Sort)
	if !ok {
		sort = redress.DefaultCaseSort
	}
	wb.Sort, wb.Heads, wb.Sorts = sort.String(), sortHeads(r.URL.Query(), sort), sortOptions()
	wb.Prev, wb.NextURL = pageLinks(r.URL.Query(), list.NextCursor)
	if s.jobs.dir != "" && wb.Total > s.jobs.rows {
		wb.ExportJob = listQuery(r.URL.Query())
	}
	if wb.Codes, err = s.svc.Codes.ListCodes(ctx, redress.DimensionBusiness); err != nil {
		return err
	}
	if s.svc.OpinionBook != nil && redress.MayCheckOpinionBook(u.Role) {
		outlets, err := s.svc.OpinionBook.Outlets(ctx, "", today(now).AddDays(-1), today(now))
		if err != nil {
			return err
		}
		for _, o := range outlets {
			if o.MissedInARow > 0 {
				wb.OpinionBooks = append(wb.OpinionBooks, o)
			}
		}
	}
	d.Data = wb
	s.render(w, r, http.StatusOK, "workbench", d)
	return nil
}

// dueLines words each case's time left against its decision deadline
// (redress.DecisionTimeLeft): in the unit of the case's decision clock
// (calendar days for the clocks of Order 2020 No.3 and 信访工作条例), working
// days by the PRC calendar for a working-day clock, or calendar days where
// the calendar has no data.
func dueLines(t *T, cals redress.Calendars, policies []redress.Policy, now time.Time, cases []*redress.Case) []dueLine {
	lines := make([]dueLine, 0, len(cases))
	cal, _ := cals.Calendar(redress.RegionCN)
	for _, c := range cases {
		line := dueLine{Case: c, Reply: c.ReplyOverdue && !c.Overdue}
		switch left := redress.DecisionTimeLeft(c, policies, cal, today(now)); {
		case !left.Running:
		case left.Paused:
			line.Left = t.Get("due.paused")
		case left.Late:
			line.Late, line.Left = true, t.Get("due.late", "N", left.Days)
		case left.CalendarDays:
			line.Left = t.Get("due.days_left", "N", left.Days)
		default:
			line.Left = t.Get("due.workdays_left", "N", left.Days)
		}
		lines = append(lines, line)
	}
	return lines
}

// dueSoonDays is the due-soon window of the pages: the sweep's setting.
func (s *Server) dueSoonDays() int {
	if s.svc.DueSoonDays == 0 {
		return redress.DefaultDueSoonDays
	}
	return s.svc.DueSoonDays
}

// today is the current date in Beijing, for the pages' time-left texts.
func today(now time.Time) redress.Date { return redress.DateOf(now) }

// userNames maps the given logins to names, for a page that shows people:
// those the user may list (users.read in their scope); the others stay as
// logins. Only the logins shown are read.
func (s *Server) userNames(ctx context.Context, logins ...string) map[string]string {
	wanted := map[string]bool{}
	for _, l := range logins {
		if l != "" {
			wanted[l] = true
		}
	}
	if len(wanted) == 0 {
		return nil
	}
	users, err := s.svc.Users.ListUsers(ctx, redress.UserFilter{Logins: slices.Collect(maps.Keys(wanted))})
	if err != nil {
		return nil
	}
	names := make(map[string]string, len(users))
	for _, u := range users {
		names[u.Login] = u.Name
	}
	return names
}

// handlers lists the handlers of the cases of some lists.
func handlers(lists ...[]*redress.Case) []string {
	var out []string
	for _, list := range lists {
		for _, c := range list {
			out = append(out, c.Handler)
		}
	}
	return out
}

// firstPage stands for the first page's cursor (none) in the back list.
const firstPage = "."

// pageLinks are the list's previous and next page links. Keyset paging
// keeps no offsets, so the cursors of the pages before this one travel in
// the URL (back, comma-separated; cursors are base64url and hold no comma)
// and the previous page is the last of them. Either link is "" when there
// is no such page.
func pageLinks(q url.Values, next string) (prev, nextURL string) {
	return keysetLinks(q, "cursor", next)
}

// keysetLinks are pageLinks for a list whose cursor is the parameter param.
func keysetLinks(q url.Values, param, next string) (prev, nextURL string) {
	var back []string
	if v := q.Get("back"); v != "" {
		back = strings.Split(v, ",")
	}
	current := q.Get(param)
	if next != "" {
		n := cloneValues(q)
		n.Set(param, next)
		n.Set("back", strings.Join(append(append([]string{}, back...), cmp.Or(current, firstPage)), ","))
		nextURL = "?" + n.Encode()
	}
	if current != "" {
		p := cloneValues(q)
		last := firstPage
		if len(back) > 0 {
			last, back = back[len(back)-1], back[:len(back)-1]
		}
		p.Del(param)
		if last != firstPage {
			p.Set(param, last)
		}
		p.Del("back")
		if len(back) > 0 {
			p.Set("back", strings.Join(back, ","))
		}
		prev = "?" + p.Encode()
	}
	return prev, nextURL
}

// cloneValues copies a query.
func cloneValues(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = append([]string{}, v...)
	}
	return out
}
