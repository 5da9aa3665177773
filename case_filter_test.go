package redress

import (
	"strings"
	"testing"
	"time"
)

func TestCaseFilterNormalize(t *testing.T) {
	tests := []struct {
		name   string
		f      CaseFilter
		fields []string // the fields with a problem
	}{
		{"empty", CaseFilter{}, nil},
		{"all good", CaseFilter{Status: []Status{StatusAccepted}, Kind: KindComplaint, Level: 3, ReceivedFrom: "2026-11-01",
			ReceivedTo: "2026-11-30", DueBy: "2026-12-01", Sort: "due", Limit: 200}, nil},
		{"every problem at once", CaseFilter{Status: []Status{"lost"}, Kind: "x", Channel: "y", Level: 5, ReceivedFrom: "1.11.",
			ReceivedTo: "2026-13-01", DueBy: "soon", Sort: "name", Limit: 201},
			[]string{"status", "kind", "channel", "level", "received_from", "received_to", "due_by", "sort", "limit"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p Problems
			tt.f.Normalize(&p)
			got := ErrorFields(p.Err())
			if len(got) != len(tt.fields) {
				t.Fatalf("problems %v, want fields %v", got, tt.fields)
			}
			for _, field := range tt.fields {
				if got[field] == "" {
					t.Errorf("no problem with %s: %v", field, got)
				}
				if ErrorProblems(p.Err())[field].Key == "" {
					t.Errorf("the problem with %s has no stable key", field)
				}
			}
		})
	}
	f := CaseFilter{Phone: "138 0013 8000"}
	var p Problems
	f.Normalize(&p)
	if f.Limit != DefaultListLimit || f.Phone != "13800138000" {
		t.Fatalf("normalised: limit %d, phone %q", f.Limit, f.Phone)
	}
}

// TestDayRange: an inclusive range of Beijing days is the half-open range of
// UTC instants from 16:00 the day before.
func TestDayRange(t *testing.T) {
	start, end, err := DayRange("2026-11-01", "2026-11-30")
	if err != nil {
		t.Fatal(err)
	}
	if got := start.UTC().Format(time.RFC3339); got != "2026-10-31T16:00:00Z" {
		t.Errorf("start %s", got)
	}
	if got := end.UTC().Format(time.RFC3339); got != "2026-11-30T16:00:00Z" {
		t.Errorf("end %s", got)
	}
	if _, _, err := DayRange("2026-02-30", ""); ErrorCode(err) != EINVALID {
		t.Errorf("30 February: %v", err)
	}
	if s, e, err := DayRange("", ""); err != nil || !s.IsZero() || !e.IsZero() {
		t.Errorf("open range: %v %v %v", s, e, err)
	}
}

func TestProblemTexts(t *testing.T) {
	var p Problems
	checkText(&p, "subject", "一二三", 1, 2)
	checkText(&p, "description", "", 1, 20000)
	err := p.Err()
	if ErrorFields(err)["subject"] != "must be at most 2 characters" {
		t.Errorf("the API's English text: %v", ErrorFields(err))
	}
	if got := ErrorProblems(err)["subject"]; got.Key != ProblemTooLong || len(got.Args) != 1 || got.Args[0] != "2" {
		t.Errorf("the stable key of too long: %+v", got)
	}
	if got := ErrorProblems(err)["description"]; got.Key != ProblemRequired {
		t.Errorf("the stable key of required: %+v", got)
	}
	for _, key := range ProblemKeys() {
		args := []string{"1", "5"}[:strings.Count(problemTexts[key], "%s")]
		if text := (Problem{Key: key, Args: args}).Text(); text == "" || strings.Contains(text, "%!") {
			t.Errorf("problem key %s: English text %q", key, text)
		}
	}
}
