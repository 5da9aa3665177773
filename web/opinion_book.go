package web

import (
	"net/http"
	"strconv"
	"strings"

	"redress"
)

// opinionBookRoutes are the customer opinion book's daily checks (每日查阅
// 客户意见簿): the API and the page.
func (s *Server) opinionBookRoutes() []route {
	return []route{
		{method: "GET", path: "/api/v1/opinion-book/checks", summary: "The outlets in the caller's scope with their working days in a period, each checked (with what was found) or missed, and the days missed in a row",
			query: []param{{"org", "string", "a unit's code: the outlets under it (default: the caller's scope)"},
				{"from", "string", "YYYY-MM-DD (required)"}, {"to", "string", "YYYY-MM-DD (required), at most 92 days after from"},
				{"format", "string", "json (default), or csv or xlsx: a row per outlet and working day as a file (also by Accept)"}},
			out: listAnswer[redress.OpinionBookOutlet]{}, handle: s.handleOpinionBookList},
		{method: "POST", path: "/api/v1/opinion-book/checks", summary: "Record a day's check of an outlet's opinion book (complaint managers, unit heads): each entry registered as a case or noted as a suggestion; once per outlet and day",
			status: http.StatusCreated, body: redress.NewOpinionBookCheck{}, out: redress.OpinionBookCheck{}, handle: s.handleOpinionBookRecord},
		{method: "GET", path: "/registers/opinion-book", access: pageAuth, handle: s.handleOpinionBookPage},
		{method: "POST", path: "/registers/opinion-book", access: pageAuth, handle: s.handleOpinionBookSubmit},
	}
}

func (s *Server) handleOpinionBookList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	from, to, err := periodDates(q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	list, err := s.svc.OpinionBook.Outlets(r.Context(), q.Get("org"), from, to)
	if err != nil {
		return err
	}
	format, err := exportFormat(r)
	if err != nil {
		return err
	}
	if format != "" {
		return s.exportOpinionBook(w, r, format, list)
	}
	writeJSON(w, http.StatusOK, listAnswer[redress.OpinionBookOutlet]{Items: list})
	return nil
}

func (s *Server) handleOpinionBookRecord(w http.ResponseWriter, r *http.Request) error {
	var n redress.NewOpinionBookCheck
	if err := readJSON(w, r, &n); err != nil {
		return err
	}
	c, err := s.svc.OpinionBook.RecordCheck(r.Context(), n)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, c)
	return nil
}

// opinionBookDays is how many days back the page shows.
const opinionBookDays = 14

// opinionEntryRows is how many entry rows the page's form offers.
const opinionEntryRows = 5

// opinionBookPage is what the opinion book's page shows: the outlets with
// their last days, the form of a day's check, and its choices.
type opinionBookPage struct {
	Outlets  []redress.OpinionBookOutlet
	MayCheck bool
	Today    string
	From     string // the first day shown (the export's period)
	Rows     []int
	Outcomes []redress.OpinionOutcome
}

func (s *Server) handleOpinionBookPage(w http.ResponseWriter, r *http.Request) error {
	return s.opinionBookPage(w, r, &pageData{})
}

func (s *Server) opinionBookPage(w http.ResponseWriter, r *http.Request, d *pageData) error {
	u, err := redress.RequireUser(r.Context())
	if err != nil {
		return err
	}
	today := redress.DateOf(s.now().In(redress.Beijing))
	p := &opinionBookPage{MayCheck: redress.MayCheckOpinionBook(u.Role), Today: today.String(), From: today.AddDays(-opinionBookDays).String(),
		Outcomes: redress.OpinionOutcomes}
	for i := range opinionEntryRows {
		p.Rows = append(p.Rows, i)
	}
	if p.Outlets, err = s.svc.OpinionBook.Outlets(r.Context(), "", today.AddDays(-opinionBookDays), today); err != nil {
		return err
	}
	d.Title, d.Data = "opinion_book.title", p
	s.render(w, r, http.StatusOK, "opinion_book", d)
	return nil
}

func (s *Server) handleOpinionBookSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	n := redress.NewOpinionBookCheck{Org: f.Get("org"), Day: f.Get("day"), Note: f.Get("note"), Entries: []redress.OpinionEntry{}}
	for i := range opinionEntryRows {
		key := strconv.Itoa(i)
		text, no := strings.TrimSpace(f.Get("text_"+key)), strings.TrimSpace(f.Get("case_"+key))
		if text == "" && no == "" {
			continue // a row left empty
		}
		n.Entries = append(n.Entries, redress.OpinionEntry{Outcome: redress.OpinionOutcome(f.Get("outcome_" + key)), Text: text, CaseNo: no})
	}
	_, err := s.svc.OpinionBook.RecordCheck(r.Context(), n)
	return s.afterPost(w, r, err, "/registers/opinion-book", func(d *pageData) error { return s.opinionBookPage(w, r, d) })
}
