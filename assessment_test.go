package redress

import (
	"testing"
)

// TestAssessmentScore_Order3Art27 (CBIRC Order 2020 No.3 Art.27: 考核): the
// default scheme's points worked out by hand for each case.
func TestAssessmentScore_Order3Art27(t *testing.T) {
	t.Parallel()
	s := DefaultAssessmentScheme()
	capped := DefaultAssessmentScheme()
	capped.Veto = AssessmentVeto{Measure: AccountabilityFine, UpheldComplaint: true, Mode: VetoCap, Cap: 60}
	for _, tc := range []struct {
		name   string
		scheme AssessmentScheme
		f      AssessmentFigures
		person bool
		score  float64
		vetoBy string
	}{
		{name: "nothing handled: full marks", scheme: s, person: true, score: 100},
		{name: "rates", scheme: s, person: true, f: AssessmentFigures{Handled: 4, Closed: 2,
			ReplyOnTime: ClockOnTime{Ended: 4, OnTime: 3}, DecisionOnTime: ClockOnTime{Ended: 2, OnTime: 1}, Reopened: 1,
			Satisfaction: map[string]int{"satisfied": 1, "basically_satisfied": 1, "dissatisfied": 2, "unreachable": 5}},
			// 20×3/4 + 30×1/2 + 20×2/4 + 20×2/4 + 10×(1−1/4)
			score: 15 + 15 + 10 + 10 + 7.5},
		{name: "deductions", scheme: s, person: true, f: AssessmentFigures{Handled: 1, Closed: 1, Overdue: 1, Complaints: 2,
			Measures: map[AccountabilityMeasure]int{AccountabilityCriticism: 1, AccountabilityNone: 3}},
			score: 100 - 2 - 10 - 10},
		{name: "never below zero", scheme: s, f: AssessmentFigures{Complaints: 30}, score: 0},
		{name: "discipline vetoes a person", scheme: s, person: true,
			f: AssessmentFigures{Measures: map[AccountabilityMeasure]int{AccountabilityDiscipline: 1}}, score: 0, vetoBy: "measure:discipline"},
		{name: "a unit is not vetoed", scheme: s,
			f: AssessmentFigures{Measures: map[AccountabilityMeasure]int{AccountabilityDiscipline: 1}}, score: 90},
		{name: "a milder measure than the veto's is a deduction", scheme: s, person: true,
			f: AssessmentFigures{Measures: map[AccountabilityMeasure]int{AccountabilityTransfer: 1}}, score: 90},
		{name: "cap: a more severe measure than the veto's", scheme: capped, person: true,
			f: AssessmentFigures{Measures: map[AccountabilityMeasure]int{AccountabilityTransfer: 1}}, score: 60, vetoBy: "measure:transfer"},
		{name: "cap: an upheld complaint against the person", scheme: capped, person: true,
			f: AssessmentFigures{Complaints: 1, Upheld: 1}, score: 60, vetoBy: "upheld_complaint"},
		{name: "cap leaves a lower score", scheme: capped, person: true,
			f: AssessmentFigures{Complaints: 7, Upheld: 1}, score: 100 - 35 - 10, vetoBy: "upheld_complaint"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.scheme.Score(tc.f, tc.person)
			if got.Score != tc.score || got.VetoBy != tc.vetoBy || got.Vetoed != (tc.vetoBy != "") {
				t.Fatalf("score %+v, want %v vetoed by %q", got, tc.score, tc.vetoBy)
			}
		})
	}
}

func TestAssessmentSchemeValidate(t *testing.T) {
	t.Parallel()
	if err := DefaultAssessmentScheme().Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(s *AssessmentScheme)
		field string
	}{
		{"missing item", func(s *AssessmentScheme) { delete(s.Weights, AssessClosed) }, "weights.closed"},
		{"unknown item", func(s *AssessmentScheme) { s.Weights["bonus"] = 1 }, "weights.bonus"},
		{"negative", func(s *AssessmentScheme) { s.Weights[AssessOverdue] = -1 }, "weights.overdue"},
		{"rates over 100", func(s *AssessmentScheme) { s.Weights[AssessClosed] = 21 }, "weights"},
		{"mode", func(s *AssessmentScheme) { s.Veto.Mode = "halve" }, "veto.mode"},
		{"measure", func(s *AssessmentScheme) { s.Veto.Measure = "jail" }, "veto.measure"},
		{"cap", func(s *AssessmentScheme) { s.Veto.Cap = 101 }, "veto.cap"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := DefaultAssessmentScheme()
			tc.edit(&s)
			err := s.Validate()
			if e, ok := err.(*Error); !ok || e.Fields[tc.field] == "" {
				t.Fatalf("want a problem with %s, got %v", tc.field, err)
			}
		})
	}
	if _, _, err := (AssessmentQuery{Month: "2026-13"}).Period(); ErrorCode(err) != EINVALID {
		t.Fatalf("month 13: %v", err)
	}
}
