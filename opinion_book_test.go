package redress

import "testing"

// TestMissedInARow_Seed002Art9_每日查阅客户意见簿: the working days missed in
// a row are counted back from yesterday (today may still be checked), stop
// at the last day checked and never reach back before the outlet opened.
func TestMissedInARow_Seed002Art9_每日查阅客户意见簿(t *testing.T) {
	d := func(s string) Date { return mustDate(t, s) }
	// Mon 11-23 … Fri 11-27, Mon 11-30, Tue 12-01.
	workdays := []Date{d("2026-11-23"), d("2026-11-24"), d("2026-11-25"), d("2026-11-26"), d("2026-11-27"), d("2026-11-30"), d("2026-12-01")}
	today := d("2026-12-01")
	for _, tt := range []struct {
		checked []string
		opened  string
		want    int
	}{
		{nil, "2026-11-01", 6},
		{[]string{"2026-11-26"}, "2026-11-01", 2},
		{[]string{"2026-11-30"}, "2026-11-01", 0},
		{[]string{"2026-12-01"}, "2026-11-01", 6}, // today's check does not undo yesterday's miss
		{nil, "2026-11-26", 2},                    // opened on the 26th: the 27th and the 30th
	} {
		checked := map[Date]bool{}
		for _, c := range tt.checked {
			checked[d(c)] = true
		}
		if got := MissedInARow(workdays, checked, d(tt.opened), today); got != tt.want {
			t.Errorf("checked %v, opened %s: %d missed, want %d", tt.checked, tt.opened, got, tt.want)
		}
	}
}

// TestNewOpinionBookCheck: every problem of a day's check at once.
func TestNewOpinionBookCheck(t *testing.T) {
	today := mustDate(t, "2026-12-01")
	n := NewOpinionBookCheck{Day: "2026-12-02", Entries: []OpinionEntry{{Outcome: "lost"}, {Outcome: OpinionCase, Text: "排队太久", CaseNo: "x"}}}
	fields := ErrorFields(n.Validate(today))
	for _, f := range []string{"org", "day", "entries.0.outcome", "entries.0.text", "entries.1.case_no"} {
		if fields[f] == "" {
			t.Errorf("no problem with %s: %v", f, fields)
		}
	}
	ok := NewOpinionBookCheck{Org: "BJ-HD-01", Entries: []OpinionEntry{{Outcome: OpinionSuggestion, Text: "建议增加座椅", CaseNo: "TS20261120-00001"}}}
	if err := ok.Validate(today); err != nil || ok.Day != "2026-12-01" || ok.Entries[0].CaseNo != "" {
		t.Fatalf("a day's check with a suggestion: %v %+v", err, ok)
	}
}
