package web

import (
	"net/http"
	"strconv"
	"strings"

	"redress"
)

// searchAnswer is the answer of a search.
type searchAnswer struct {
	Results []*redress.SearchResult `json:"results"`
}

// searchRoutes are the search: the API and the page of the header's search box.
func (s *Server) searchRoutes() []route {
	return []route{
		{method: "GET", path: "/api/v1/search", summary: "Find cases by tracking number, complainant name or text (2 or more characters, Chinese or not), best first, with the matching fragment",
			query: []param{{"q", "string", "the query"}, {"limit", "integer", "1-50, default 20 (an export: 50)"},
				{"format", "string", "json (default), or csv or xlsx: the results as a file (also by Accept: text/csv or the XLSX type)"}},
			schemas: map[string]object{"q": {"required": true, "minLength": 2, "maxLength": 50}, // redress.SearchQuery.Validate
				"limit": {"minimum": 1, "maximum": redress.MaxSearchLimit, "default": 20}, "format": {"enum": exportFormats}},
			out: searchAnswer{}, handle: s.handleSearch},
		{method: "GET", path: "/search", access: pageAuth, handle: s.handleSearchPage},
		{method: "POST", path: "/search/lookup", access: pageAuth, handle: s.handleLookupSubmit},
	}
}

func searchQueryFrom(r *http.Request) (redress.SearchQuery, error) {
	q := redress.SearchQuery{Q: r.URL.Query().Get("q")}
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return q, invalid("invalid query", map[string]string{"limit": "must be a whole number"})
		}
		q.Limit = n
	}
	return q, nil
}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) error {
	q, err := searchQueryFrom(r)
	if err != nil {
		return err
	}
	format, err := exportFormat(r)
	if err != nil {
		return err
	}
	if format != "" && q.Limit == 0 {
		q.Limit = redress.MaxSearchLimit // a file holds every result the search gives
	}
	results, err := s.svc.Search.Search(r.Context(), q)
	if err != nil {
		return err
	}
	if format != "" { // export.go: the results as a file
		return s.exportSearch(w, r, format, results)
	}
	writeJSON(w, http.StatusOK, searchAnswer{Results: results})
	return nil
}

// The search page shows pageSearchLimit results at first, and up to
// maxSearchLimit (the service's most) when asked for more.
const (
	pageSearchLimit = 20
	maxSearchLimit  = 50
)

// searchPage is the data of the search page: the results shown, how many,
// and whether there are more than those (More: a link shows up to
// maxSearchLimit) or may be (Capped: maxSearchLimit shown, narrow the query).
type searchPage struct {
	Results   []*redress.SearchResult
	More      bool
	Capped    bool
	MoreLimit int
	// Lookup is the answer of a lookup by number, nil before one.
	Lookup *lookupAnswer
}

// lookupFields are the numbers a lookup may be by, in the form's order.
var lookupFields = []string{"phone", "id_number", "account"}

// lookupAnswer is what the search page shows of a lookup by number: the
// cases in the user's scope (their numbers masked, as everywhere), and
// whether there are more than those shown.
type lookupAnswer struct {
	Cases []*redress.Case
	More  bool
}

// handleSearchPage shows the results of the header's search box, saying how
// many it shows and whether there are more: it asks the service for one
// result more than it shows.
func (s *Server) handleSearchPage(w http.ResponseWriter, r *http.Request) error {
	if r.URL.Query().Get("q") == "" { // the page opened from the menu: the lookup form alone
		s.render(w, r, http.StatusOK, "search", &pageData{Title: "search.title", Data: &searchPage{MoreLimit: maxSearchLimit}})
		return nil
	}
	q, err := searchQueryFrom(r)
	if err != nil {
		return err
	}
	shown := q.Limit
	if shown <= 0 || shown > maxSearchLimit {
		shown = pageSearchLimit
	}
	q.Limit = min(shown+1, maxSearchLimit)
	d := &pageData{Title: "search.title"}
	results, err := s.svc.Search.Search(r.Context(), q)
	switch {
	case redress.ErrorCode(err) == redress.EINVALID:
		d.Error, d.Fields = pageMessage(err), pageFields(err)
	case err != nil:
		return err
	}
	p := &searchPage{Results: results, MoreLimit: maxSearchLimit}
	if len(results) > shown {
		p.Results, p.More = results[:shown], true
	}
	p.Capped = !p.More && len(p.Results) >= maxSearchLimit
	d.Data = p
	s.render(w, r, http.StatusOK, "search", d)
	return nil
}

// handleLookupSubmit finds the cases of one phone, ID or account number
// through the blind index, as POST /api/v1/cases/lookup does: the number
// travels in the form's body, never in the URL (nor the browser's history),
// and the answer shows it masked.
func (s *Server) handleLookupSubmit(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		return invalid("the form could not be read", nil)
	}
	d := &pageData{Title: "search.title", Form: r.PostForm}
	p := &searchPage{MoreLimit: maxSearchLimit}
	d.Data = p
	number := strings.TrimSpace(r.PostForm.Get("number"))
	var problems redress.Problems
	l := redress.Lookup{Limit: maxSearchLimit}
	switch field := r.PostForm.Get("field"); field {
	case "phone":
		l.Phone = number
	case "id_number":
		l.IDNumber = number
	case "account":
		l.Account = number
	default:
		problems.AddKey("field", redress.ProblemChoice, strings.Join(lookupFields, ", "))
	}
	if number == "" {
		problems.AddKey("number", redress.ProblemRequired)
	}
	err := problems.Err()
	var page *redress.CasePage
	if err == nil {
		page, err = s.svc.Cases.ListCases(r.Context(), redress.CaseFilter{Phone: l.Phone, IDNumber: l.IDNumber, Account: l.Account, Limit: l.Limit})
	}
	switch {
	case redress.ErrorCode(err) == redress.EINVALID:
		d.Error, d.Fields = pageMessage(err), pageFields(err)
	case err != nil:
		return err
	default:
		p.Lookup = &lookupAnswer{Cases: page.Cases, More: page.NextCursor != ""}
	}
	s.render(w, r, http.StatusOK, "search", d)
	return nil
}
