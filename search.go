package redress

import (
	"context"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// SearchTerms splits text into the terms the search index holds: every run
// of Han characters becomes its overlapping character bigrams (理财产品 →
// 理财 财产 产品; a lone character stays itself), every run of letters and
// digits becomes one lower-case word. Bigrams make two-character queries
// (理财, 年费, 柜员) as fast as longer ones, and consecutive bigrams of a
// longer query, searched as a phrase, match exactly that substring.
func SearchTerms(text string) []string {
	var terms []string
	var han []rune
	var word strings.Builder
	flushHan := func() {
		switch len(han) {
		case 0:
		case 1:
			terms = append(terms, string(han))
		default:
			for i := 0; i+1 < len(han); i++ {
				terms = append(terms, string(han[i:i+2]))
			}
		}
		han = han[:0]
	}
	flushWord := func() {
		if word.Len() > 0 {
			terms = append(terms, strings.ToLower(word.String()))
			word.Reset()
		}
	}
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Han, r):
			flushWord()
			han = append(han, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			flushHan()
			word.WriteRune(r)
		default:
			flushHan()
			flushWord()
		}
	}
	flushHan()
	flushWord()
	return terms
}

// SearchQuery is a search over the cases in scope.
type SearchQuery struct {
	Q     string // at least 2 characters, at most 50
	Limit int    // 1-MaxSearchLimit, default 20
}

// MaxSearchLimit bounds the results of one search.
const MaxSearchLimit = 50

// Validate checks the query.
func (q *SearchQuery) Validate() error {
	var p Problems
	q.Q = strings.TrimSpace(q.Q)
	switch n := utf8.RuneCountInString(q.Q); {
	case n < 2:
		p.AddKey("q", ProblemTooShort, "2")
	case n > 50:
		p.AddKey("q", ProblemTooLong, "50")
	case len(SearchTerms(q.Q)) == 0:
		p.AddKey("q", ProblemSearchTerms)
	}
	if q.Limit == 0 {
		q.Limit = 20
	}
	if q.Limit < 1 || q.Limit > MaxSearchLimit {
		p.AddKey("limit", ProblemRange, "1", strconv.Itoa(MaxSearchLimit))
	}
	return p.Err()
}

// Fragment is the part of a case's text where a query matched, for
// highlighting: the match itself between what precedes and follows it.
type Fragment struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	Match  string `json:"match"`
	After  string `json:"after"`
}

// SearchResult is one case found, with its score and fragment.
type SearchResult struct {
	Case     *Case    `json:"case"`
	Score    float64  `json:"score"`
	Fragment Fragment `json:"fragment"`
}

// SearchService finds cases by tracking number, complainant name or the
// words of their text (subject, description, findings, reply).
type SearchService interface {
	// Search returns the best matches in the caller's scope, best first.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID.
	Search(ctx context.Context, q SearchQuery) ([]*SearchResult, error)
}

// FindFragment finds the query in one of the texts (field name, text pairs
// in order of importance) and cuts a fragment of about width characters
// around the first match. found is false when no text holds the query.
func FindFragment(q string, width int, fields ...string) (Fragment, bool) {
	lq := strings.ToLower(q)
	for i := 0; i+1 < len(fields); i += 2 {
		text := fields[i+1]
		start, end, ok := foldIndex(text, lq)
		if !ok {
			continue
		}
		before, match, after := text[:start], text[start:end], text[end:]
		if r := []rune(before); len(r) > width/2 {
			before = "…" + string(r[len(r)-width/2:])
		}
		if r := []rune(after); len(r) > width/2 {
			after = string(r[:width/2]) + "…"
		}
		return Fragment{Field: fields[i], Before: before, Match: match, After: after}, true
	}
	return Fragment{}, false
}

// foldIndex finds lq, lower-cased, in text lower-cased, and answers where
// the match lies in text itself: lower-casing may change a character's
// length (Ⱥ is 2 bytes, ⱥ 3; İ 2, i 1), so an offset in the lower-cased
// text is not one in text.
func foldIndex(text, lq string) (start, end int, ok bool) {
	lower := make([]byte, 0, len(text))
	from := make([]int, 0, len(text)+1) // for each byte of lower, where its character starts in text
	for i, r := range text {
		n := len(lower)
		lower = utf8.AppendRune(lower, unicode.ToLower(r))
		for range len(lower) - n {
			from = append(from, i)
		}
	}
	from = append(from, len(text))
	at := strings.Index(string(lower), lq)
	if at < 0 {
		return 0, 0, false
	}
	return from[at], from[at+len(lq)], true
}

// SearchDocument returns what a case is searchable by, as the terms of
// SearchTerms joined by spaces: its tracking number, the complainant's
// name, the subject, description and request, the reply's facts, basis and
// redress, and every investigation finding. The store writes it with every
// change to that text.
func SearchDocument(c *Case) string {
	parts := []string{c.No, c.Complainant.Name, c.Subject, c.Description, c.Request}
	if r := c.Reply; r != nil {
		parts = append(parts, r.Facts, r.Basis, r.Redress)
	}
	for _, f := range c.Findings {
		parts = append(parts, f.Text)
	}
	return strings.Join(SearchTerms(strings.Join(parts, "\n")), " ")
}
