package sqldb

import (
	"testing"

	"redress"
)

// TestDeterminationCountsRootCauseAndAccountability_Order3Art9: CBIRC
// Order 2020 No.3 Art.9 asks for 溯源整改 and Arts.26–27 for statistics and
// assessment, so a determination records its root cause as a code of the
// list R and the accountability measure with the staff member it is taken
// against. An unknown or retired code and an unknown staff member are
// refused by field; what is stored reads back, and the audit event records
// the change.
func TestDeterminationCountsRootCauseAndAccountability_Order3Art9(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.register(t, "staff.bj")
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionAccept})
	determine := func(d redress.Determination) (*redress.Case, error) {
		return f.cases.Act(f.as("mgr.bj"), c.No, redress.ActionRequest{Action: redress.ActionDetermine, Version: c.Version, Determination: d})
	}
	d := determined
	d.RootCauseCode, d.AccountabilityMeasure, d.AccountableStaff = "R04", redress.AccountabilityCriticism, "staff2.bj"

	for _, bad := range []struct {
		field string
		set   func(d *redress.Determination)
	}{
		{"root_cause_code", func(d *redress.Determination) { d.RootCauseCode = "R77" }},
		{"root_cause_code", func(d *redress.Determination) { d.RootCauseCode = "B06" }},
		{"accountable_staff", func(d *redress.Determination) { d.AccountableStaff = "nobody" }},
		{"accountable_staff", func(d *redress.Determination) { d.AccountableStaff = "" }},
		{"accountability_measure", func(d *redress.Determination) { d.AccountabilityMeasure = "caning" }},
	} {
		wrong := d
		bad.set(&wrong)
		_, err := determine(wrong)
		if redress.ErrorFields(err)[bad.field] == "" {
			t.Errorf("%+v: want a problem on %s, got %v", wrong, bad.field, err)
		}
	}
	admin := f.as("admin")
	if _, err := NewCodeService(f.db).SaveCode(admin, redress.Code{Dimension: redress.DimensionRootCause, Code: "R10",
		Name: "外部因素", NameEN: "External factors", Active: false}); err != nil {
		t.Fatal(err)
	}
	retired := d
	retired.RootCauseCode = "R10"
	if _, err := determine(retired); redress.ErrorFields(err)["root_cause_code"] == "" {
		t.Errorf("a retired root cause was accepted: %v", err)
	}

	got, err := determine(d)
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.cases.Case(f.as("mgr.bj"), c.No)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []*redress.Case{got, again} {
		if x.Determination == nil || *x.Determination != d {
			t.Fatalf("stored determination: %+v, want %+v", x.Determination, d)
		}
	}
	events, err := f.cases.CaseEvents(f.as("auditor"), c.No)
	if err != nil {
		t.Fatal(err)
	}
	changed := map[string]string{}
	for _, ch := range events[len(events)-1].Changes {
		changed[ch.Field] = ch.After
	}
	if changed["root_cause_code"] != "R04" || changed["accountability_measure"] != "criticism" || changed["accountable_staff"] != "staff2.bj" {
		t.Fatalf("the audit event's changes: %v", changed)
	}
	// A determination without a measure names no one.
	c = got
	plain := determined
	plain.RootCauseCode = "R01"
	if got, err = determine(plain); err != nil || got.Determination.AccountableStaff != "" {
		t.Fatalf("a determination without a measure: %+v %v", got, err)
	}
}
