package web

import (
	"net/http"
	"strconv"

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
}

// handleSearchPage shows the results of the header's search box, saying how
// many it shows and whether there are more: it asks the service for one
// result more than it shows.
func (s *Server) handleSearchPage(w http.ResponseWriter, r *http.Request) error {
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
