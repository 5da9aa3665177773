package redress

import (
	"slices"
	"testing"
)

// TestParseCaseSort: every column sorts both ways, the older values keep
// their meaning, anything else is refused.
func TestParseCaseSort(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want CaseSort
		ok   bool
	}{
		{"", CaseSort{SortReceived, true}, true},
		{"received", CaseSort{SortReceived, true}, true},
		{"due", CaseSort{SortDue, false}, true},
		{"due_asc", CaseSort{SortDue, false}, true},
		{"due_desc", CaseSort{SortDue, true}, true},
		{"received_asc", CaseSort{SortReceived, false}, true},
		{"level_desc", CaseSort{SortLevel, true}, true},
		{"level_asc", CaseSort{SortLevel, false}, true},
		{"priority_desc", CaseSort{SortPriority, true}, true},
		{"priority_asc", CaseSort{SortPriority, false}, true},
		{"level", CaseSort{}, false},
		{"name_asc", CaseSort{}, false},
		{"due_up", CaseSort{}, false},
		{"due_asc_desc", CaseSort{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseCaseSort(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseCaseSort(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
		if ok && tt.in != "" && !slices.Contains(CaseSortValues(), tt.in) {
			t.Errorf("%q is accepted but not listed in CaseSortValues", tt.in)
		}
	}
	for _, v := range CaseSortValues() {
		s, ok := ParseCaseSort(v)
		if !ok {
			t.Errorf("listed value %q refused", v)
		}
		if r, _ := ParseCaseSort(s.Reversed().String()); r.Desc == s.Desc || r.Key != s.Key {
			t.Errorf("%v reversed is %v", s, r)
		}
	}
	if PriorityRank(PriorityLow) >= PriorityRank(PriorityNormal) || PriorityRank(PriorityHigh) >= PriorityRank(PriorityUrgent) {
		t.Error("priority ranks out of order")
	}
}
