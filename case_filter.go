package redress

import (
	"strings"
	"time"
)

// DefaultListLimit and MaxListLimit bound a page of a case list.
const (
	DefaultListLimit = 50
	MaxListLimit     = 200
)

// Normalize checks a case filter and puts it in the form the store queries:
// the default limit, personal-data lookups without spaces. Every problem is
// added to p at once, keyed by the query parameter. The cursor's form
// belongs to the store, which checks it into the same p.
func (f *CaseFilter) Normalize(p *Problems) {
	for _, st := range f.Status {
		if !st.Valid() {
			p.AddKey("status", ProblemUnknown, string(st))
		}
	}
	if f.Kind != "" && !f.Kind.Valid() {
		p.AddKey("kind", ProblemUnknown, string(f.Kind))
	}
	if f.Channel != "" && !f.Channel.Valid() {
		p.AddKey("channel", ProblemUnknown, string(f.Channel))
	}
	if f.Level != 0 && (f.Level < 1 || f.Level > MaxLevel) {
		p.AddKey("level", ProblemRange, "1", "4")
	}
	if _, _, err := DayRange(f.ReceivedFrom, ""); err != nil {
		p.AddKey("received_from", ProblemDate)
	}
	if _, _, err := DayRange("", f.ReceivedTo); err != nil {
		p.AddKey("received_to", ProblemDate)
	}
	if f.Code != "" && !codePattern.MatchString(f.Code) {
		p.AddKey("code", ProblemUnknown, f.Code)
	}
	if f.DueBy != "" {
		if _, err := ParseDate(f.DueBy); err != nil {
			p.AddKey("due_by", ProblemDate)
		}
	}
	if f.Limit == 0 {
		f.Limit = DefaultListLimit
	}
	if f.Limit < 1 || f.Limit > MaxListLimit {
		p.AddKey("limit", ProblemRange, "1", "200")
	}
	switch f.Sort {
	case "", "received", "due", "visit":
	default:
		p.AddKey("sort", ProblemOneOf, "received, due, visit")
	}
	f.Phone = strings.ReplaceAll(f.Phone, " ", "")
	f.IDNumber = strings.ReplaceAll(f.IDNumber, " ", "")
	f.Account = strings.ReplaceAll(f.Account, " ", "")
}

// DayRange turns an inclusive range of Beijing days (YYYY-MM-DD, either end
// may be empty) into the half-open range of instants [start, end) it
// covers: start is midnight at the beginning of from in Beijing, end
// midnight after to. An empty end gives the zero time. Lists, statistics
// and reports all select "received between these days" through it.
func DayRange(from, to string) (start, end time.Time, err error) {
	if from != "" {
		if start, err = time.ParseInLocation(time.DateOnly, from, Beijing); err != nil {
			return time.Time{}, time.Time{}, Errorf(EINVALID, "%q is not a date YYYY-MM-DD", from)
		}
	}
	if to != "" {
		day, perr := time.ParseInLocation(time.DateOnly, to, Beijing)
		if perr != nil {
			return time.Time{}, time.Time{}, Errorf(EINVALID, "%q is not a date YYYY-MM-DD", to)
		}
		end = day.AddDate(0, 0, 1)
	}
	return start, end, nil
}
