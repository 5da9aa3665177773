package redress

import (
	"errors"
	"testing"
)

func TestDateAddMonths(t *testing.T) {
	for _, tt := range []struct {
		from string
		n    int
		want string
	}{
		{"2026-01-31", 1, "2026-02-28"}, {"2024-01-31", 1, "2024-02-29"}, {"2026-03-15", -3, "2025-12-15"},
		{"2026-12-01", 3, "2027-03-01"}, {"2026-05-31", -1, "2026-04-30"}, {"2026-08-20", 0, "2026-08-20"},
	} {
		d, _ := ParseDate(tt.from)
		if got := d.AddMonths(tt.n).String(); got != tt.want {
			t.Errorf("%s %+d months: %s, want %s", tt.from, tt.n, got, tt.want)
		}
	}
}

// TestCorrectiveEffect_Order2020No3Art9_溯源整改: the effect of an action is
// the count of the cases with its cause in the unit for N months after it was
// done against the N months before it was opened; a partial after window is
// compared per day, not whole.
func TestCorrectiveEffect_Order2020No3Art9_溯源整改(t *testing.T) {
	opened, done, today := mustDate(t, "2026-06-10"), mustDate(t, "2026-07-20"), mustDate(t, "2026-12-01")
	bf, bt, af, at, partial := EffectWindows(3, opened, done, today)
	if bf.String() != "2026-03-10" || bt.String() != "2026-06-09" || af.String() != "2026-07-21" || at.String() != "2026-10-20" || partial {
		t.Fatalf("windows: %s–%s, %s–%s partial %v", bf, bt, af, at, partial)
	}
	_, _, _, at, partial = EffectWindows(3, opened, done, mustDate(t, "2026-08-19"))
	if at.String() != "2026-08-19" || !partial {
		t.Fatalf("an after window that has not ended is cut at today: %s %v", at, partial)
	}
	for _, tt := range []struct {
		before, after int
		afterTo       string
		fewer         bool
	}{
		{12, 3, "2026-10-20", true}, {12, 12, "2026-10-20", false}, {0, 0, "2026-10-20", false},
		// 30 days after: 5 cases against 12 in 92 days is more per day (5/30 > 12/92).
		{12, 5, "2026-08-19", false}, {12, 3, "2026-08-19", true},
	} {
		e := CorrectiveEffect{BeforeFrom: mustDate(t, "2026-03-10"), BeforeTo: mustDate(t, "2026-06-09"), Before: tt.before,
			AfterFrom: mustDate(t, "2026-07-21"), AfterTo: mustDate(t, tt.afterTo), After: tt.after}
		e.FinishEffect()
		if e.Fewer != tt.fewer {
			t.Errorf("before %d, after %d to %s: fewer %v, want %v", tt.before, tt.after, tt.afterTo, e.Fewer, tt.fewer)
		}
	}
}

func mustDate(t *testing.T, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestNewCorrectiveAction: every problem of an opening at once; the source
// decides what must be named.
func TestNewCorrectiveAction(t *testing.T) {
	today := mustDate(t, "2026-12-01")
	n := NewCorrectiveAction{Source: SourceRootCause, Due: "2026-11-30", EffectMonths: 13, Cases: []string{"nope"}}
	err := n.Validate(today)
	fields := ErrorFields(err)
	for _, f := range []string{"problem", "measures", "org", "owner", "due", "effect_months", "root_cause_code", "cases"} {
		if _, ok := fields[f]; !ok {
			t.Errorf("no problem with %s: %v", f, fields)
		}
	}
	ok := NewCorrectiveAction{Source: SourceCases, Org: "BJ-HD", Owner: "wang.fang", Problem: "理财销售未双录", Measures: "全员培训，抽查录音",
		Due: "2026-12-31", Cases: []string{"TS20261120-00001", "TS20261120-00001", " "}}
	if err := ok.Validate(today); err != nil || ok.EffectMonths != DefaultEffectMonths || len(ok.Cases) != 1 {
		t.Fatalf("a good opening: %v %+v", err, ok)
	}
	report := NewCorrectiveAction{Source: SourceReport, Org: "BJ", Owner: "x", Problem: "投诉量上升", Measures: "梳理流程", Due: "2026-12-01"}
	if _, ok := ErrorFields(report.Validate(today))["source_note"]; !ok {
		t.Error("an action from a report figure names the figure")
	}
}

// TestCorrectiveRule: the owner (or a manager) records progress and reports
// it done while open; a manager who is not the owner verifies a done
// action; an ineffective verification names the new due date; another
// unit's action is not found.
func TestCorrectiveRule(t *testing.T) {
	today := mustDate(t, "2026-12-01")
	a := &CorrectiveAction{Ref: "ZG-000001", Org: "BJ-HD", OrgPath: "/1/2/3/", Owner: "zhang.lei", Status: CorrectiveOpen, Version: 1}
	owner := &User{Login: "zhang.lei", Role: RoleStaff, OrgPath: "/1/2/3/4/"}
	mgr := &User{Login: "wang.fang", Role: RoleManager, OrgPath: "/1/2/3/"}
	other := &User{Login: "chen.jing", Role: RoleManager, OrgPath: "/1/2/9/"}
	colleague := &User{Login: "yang.xue", Role: RoleStaff, OrgPath: "/1/2/3/"}
	yes, no := true, false
	code := func(err error) string { return ErrorCode(err) }
	if got := CorrectiveStepsFor(a, owner, today); len(got) != 2 || got[0] != StepProgress || got[1] != StepDone {
		t.Errorf("the owner's steps on an open action: %v", got)
	}
	if got := CorrectiveStepsFor(a, colleague, today); len(got) != 0 {
		t.Errorf("a colleague who is not the owner: %v", got)
	}
	if err := CorrectiveRule(a, other, CorrectiveRequest{Step: StepProgress, Text: "进展"}, today); code(err) != ENOTFOUND {
		t.Errorf("another unit's manager: %v", err)
	}
	if err := CorrectiveRule(a, mgr, CorrectiveRequest{Step: StepVerify, Effective: &yes}, today); code(err) != ECONFLICT {
		t.Errorf("verifying an open action: %v", err)
	}
	a.Status, a.DoneBy = CorrectiveDone, "zhang.lei"
	if got := CorrectiveStepsFor(a, mgr, today); len(got) != 1 || got[0] != StepVerify {
		t.Errorf("the manager's steps on a done action: %v", got)
	}
	a.Owner = "wang.fang"
	if err := CorrectiveRule(a, mgr, CorrectiveRequest{Step: StepVerify, Effective: &yes}, today); code(err) != EFORBIDDEN {
		t.Errorf("the owner verifies their own action: %v", err)
	}
	a.Owner = "zhang.lei"
	err := CorrectiveRule(a, mgr, CorrectiveRequest{Step: StepVerify, Effective: &no, NewDue: "2026-11-01"}, today)
	if _, ok := ErrorFields(err)["new_due"]; !ok {
		t.Errorf("an ineffective verification without a future due date: %v", err)
	}
	var e *Error
	if err := CorrectiveRule(a, mgr, CorrectiveRequest{Step: "reopen"}, today); !errors.As(err, &e) || e.Code != EINVALID {
		t.Errorf("an unknown step: %v", err)
	}
}
