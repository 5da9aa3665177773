package redress

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// The customer opinion book (客户意见簿) lies in each outlet's hall for
// customers to write their complaints and suggestions in; the outlet's
// complaint manager reads it every day (seed 002 Art.9: 投诉管理人应每日查阅
// 客户意见簿) and sees each entry handled: a complaint becomes a case (channel
// opinion_book), a suggestion is noted. Redress records each day's check
// with what was found, shows the days missed, and tells the managers above
// once an outlet has missed OpinionBookEscalateDays working days in a row.

// OpinionBookEscalateDays is how many working days in a row an outlet may
// miss its check before the managers above it are told.
const OpinionBookEscalateDays = 3

// MaxOpinionEntries bounds the entries one day's check records.
const MaxOpinionEntries = 50

// OpinionOutcome is what became of an entry in the opinion book.
type OpinionOutcome string

// The outcomes of an entry.
const (
	OpinionCase       OpinionOutcome = "case"       // a complaint, registered as a case
	OpinionSuggestion OpinionOutcome = "suggestion" // a suggestion or praise, noted
)

// OpinionOutcomes lists every outcome.
var OpinionOutcomes = []OpinionOutcome{OpinionCase, OpinionSuggestion}

// OpinionEntry is one entry found in the opinion book.
type OpinionEntry struct {
	Outcome OpinionOutcome `json:"outcome"`
	Text    string         `json:"text"`              // what the customer wrote, in short
	CaseNo  string         `json:"case_no,omitempty"` // the case it became (outcome case)
}

// The opinion book's checks and the opinion register (意见登记簿) in an
// export's audit event.
const (
	ExportOpinionBook     = "opinion_book"
	ExportOpinionRegister = "opinion_register"
)

// OpinionBookCheck is one day's check of an outlet's opinion book.
type OpinionBookCheck struct {
	Org       string         `json:"org"`
	OrgName   string         `json:"org_name"`
	Day       Date           `json:"day"`
	CheckedBy string         `json:"checked_by"`
	CheckedAt time.Time      `json:"checked_at"`
	Entries   []OpinionEntry `json:"entries"`
	Note      string         `json:"note,omitempty"`
}

// NewOpinionBookCheck records a day's check.
type NewOpinionBookCheck struct {
	Org     string         `json:"org"`
	Day     string         `json:"day"` // YYYY-MM-DD; "" is today
	Entries []OpinionEntry `json:"entries"`
	Note    string         `json:"note,omitempty"`
}

// Validate checks a day's check, every problem at once: the day is not in
// the future nor more than 31 days back, each entry says what became of it
// and a case entry names its case.
func (n *NewOpinionBookCheck) Validate(today Date) error {
	var p Problems
	if strings.TrimSpace(n.Org) == "" {
		p.AddKey("org", ProblemRequired)
	}
	if n.Day == "" {
		n.Day = today.String()
	}
	if d, err := ParseDate(n.Day); err != nil {
		p.AddKey("day", ProblemDate)
	} else if d.After(today) {
		p.AddKey("day", ProblemFuture)
	} else if today.Sub(d) > 31 {
		p.AddKey("day", ProblemRange, today.AddDays(-31).String(), today.String())
	}
	n.Note = strings.TrimSpace(n.Note)
	checkText(&p, "note", n.Note, 0, 1000)
	if len(n.Entries) > MaxOpinionEntries {
		p.AddKey("entries", ProblemRange, "0", strconv.Itoa(MaxOpinionEntries))
	}
	for i := range n.Entries {
		e := &n.Entries[i]
		field := "entries." + strconv.Itoa(i)
		e.Text, e.CaseNo = strings.TrimSpace(e.Text), strings.TrimSpace(e.CaseNo)
		checkText(&p, field+".text", e.Text, 1, 500)
		switch e.Outcome {
		case OpinionCase:
			if !ValidTrackingNumber(e.CaseNo) {
				p.AddKey(field+".case_no", ProblemNoSuchCase, e.CaseNo)
			}
		case OpinionSuggestion:
			e.CaseNo = ""
		default:
			p.AddKey(field+".outcome", ProblemChoice, valueList(OpinionOutcomes))
		}
	}
	return p.Err()
}

// MayCheckOpinionBook reports whether a role records the opinion book's
// daily check: the complaint managers and the unit heads.
func MayCheckOpinionBook(r Role) bool { return r == RoleManager || r == RoleBranchHead }

// OpinionBookDay is one working day of an outlet: its check, or missing.
type OpinionBookDay struct {
	Day   Date              `json:"day"`
	Check *OpinionBookCheck `json:"check,omitempty"` // nil: missed
}

// OpinionBookOutlet is an outlet's days in a period and how many working
// days in a row it has missed up to yesterday.
type OpinionBookOutlet struct {
	Org          string           `json:"org"`
	OrgName      string           `json:"org_name"`
	Days         []OpinionBookDay `json:"days"`
	MissedInARow int              `json:"missed_in_a_row"`
}

// MissedInARow counts the working days before today, back from yesterday,
// that have no check, stopping at the first day checked or at the day the
// outlet was opened (a day on or before opened is not missed); checked
// holds the days checked, workdays the working days, oldest first.
func MissedInARow(workdays []Date, checked map[Date]bool, opened, today Date) int {
	n := 0
	for i := len(workdays) - 1; i >= 0; i-- {
		d := workdays[i]
		if !d.Before(today) {
			continue
		}
		if checked[d] || !d.After(opened) {
			break
		}
		n++
	}
	return n
}

// OpinionBookService keeps the opinion book's daily checks.
type OpinionBookService interface {
	// RecordCheck records a day's check of an outlet in the caller's scope
	// (managers and unit heads), once per outlet and day; each case entry's
	// case must be in scope; audited as org.opinion_book_check.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID, ECONFLICT.
	RecordCheck(ctx context.Context, n NewOpinionBookCheck) (*OpinionBookCheck, error)
	// Outlets lists the outlets in the caller's scope (under org when it is
	// given), each with its working days in [from, to], checked or missed.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID.
	Outlets(ctx context.Context, org string, from, to Date) ([]OpinionBookOutlet, error)
}
