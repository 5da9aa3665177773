package redress

import (
	"slices"
	"strings"
)

// SortKey is a column a case list can be ordered by.
type SortKey string

// The columns a case list sorts by.
const (
	SortReceived SortKey = "received" // when the case was received
	SortDue      SortKey = "due"      // the decision deadline
	SortLevel    SortKey = "level"    // the handling level, 1 (首问) to 4 (总行)
	SortPriority SortKey = "priority" // low < normal < high < urgent
	// SortVisit is the return visit's due date: the 待回访 queue's order
	// (return_visit.go), not a column the workbench offers.
	SortVisit SortKey = "visit"
)

// SortKeys lists the sortable columns, in the order the workbench offers them.
var SortKeys = []SortKey{SortDue, SortReceived, SortLevel, SortPriority}

// CaseSort is the order of a case list: a column and a direction. Ties are
// broken by the case's id in the same direction, so that the order is total
// and a keyset cursor (the last row's key and id) resumes it exactly.
type CaseSort struct {
	Key  SortKey
	Desc bool
}

// DefaultCaseSort is the order of a list that names none: newest receipt first.
var DefaultCaseSort = CaseSort{Key: SortReceived, Desc: true}

// sortAliases are the two values the API accepted before every column
// sorted both ways: received (newest first) and due (earliest first).
var sortAliases = map[string]CaseSort{
	string(SortReceived): {Key: SortReceived, Desc: true},
	string(SortDue):      {Key: SortDue},
	string(SortVisit):    {Key: SortVisit}, // the 待回访 queue: earliest visit due first
}

// String is the sort as the API and the URL write it: the column, then
// _asc or _desc.
func (s CaseSort) String() string {
	if s.Desc {
		return string(s.Key) + "_desc"
	}
	return string(s.Key) + "_asc"
}

// Reversed is the same column the other way round.
func (s CaseSort) Reversed() CaseSort { return CaseSort{Key: s.Key, Desc: !s.Desc} }

// CaseSortValues lists every value the sort parameter accepts: each column
// both ways, then the two older aliases.
func CaseSortValues() []string {
	var out []string
	for _, k := range SortKeys {
		out = append(out, CaseSort{Key: k}.String(), CaseSort{Key: k, Desc: true}.String())
	}
	out = append(out, CaseSort{Key: SortVisit}.String(), CaseSort{Key: SortVisit, Desc: true}.String())
	return append(out, string(SortReceived), string(SortDue), string(SortVisit))
}

// ParseCaseSort reads a sort value; "" is the default order.
func ParseCaseSort(v string) (CaseSort, bool) {
	if v == "" {
		return DefaultCaseSort, true
	}
	if s, ok := sortAliases[v]; ok {
		return s, true
	}
	key, dir, ok := strings.Cut(v, "_")
	if !ok || !(slices.Contains(SortKeys, SortKey(key)) || SortKey(key) == SortVisit) || (dir != "asc" && dir != "desc") {
		return CaseSort{}, false
	}
	return CaseSort{Key: SortKey(key), Desc: dir == "desc"}, true
}

// PriorityRank orders priorities from low (0) to urgent: the key the
// priority sort compares.
func PriorityRank(p Priority) int { return slices.Index(Priorities, p) }
