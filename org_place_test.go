package redress

import (
	"testing"
)

// TestCheckOrgPlace_Issue13Item7: a unit moves with its subtree under any
// unit outside it, never under itself or a unit below it (its materialised
// path would hold itself); kinds stay in order above and below; head office
// stays the root. Every problem at once.
func TestCheckOrgPlace_Issue13Item7(t *testing.T) {
	t.Parallel()
	hq := &OrgUnit{Code: "HQ", Kind: OrgHQ, Path: "/1/"}
	bj := &OrgUnit{Code: "BJ", Kind: OrgBranch, Path: "/1/2/"}
	sh := &OrgUnit{Code: "SH", Kind: OrgBranch, Path: "/1/3/"}
	hd := &OrgUnit{Code: "BJ-HD", Kind: OrgSubBranch, Path: "/1/2/4/"}
	outlet := &OrgUnit{Code: "BJ-HD-01", Kind: OrgOutlet, Path: "/1/2/4/5/"}
	with := func(o *OrgUnit, kind OrgKind) OrgUnit { c := *o; c.Kind = kind; return c }
	cases := []struct {
		name     string
		unit     OrgUnit
		wasHQ    bool
		parent   *OrgUnit
		children []*OrgUnit
		want     map[string]string // field → problem key
	}{
		{"sub-branch moves to another branch", *hd, false, sh, []*OrgUnit{outlet}, nil},
		{"renamed in place", *bj, false, hq, []*OrgUnit{hd}, nil},
		{"under itself", *bj, false, bj, nil, map[string]string{"parent": ProblemOrgUnderItself}},
		{"under its own outlet", *bj, false, outlet, []*OrgUnit{hd}, map[string]string{"parent": ProblemOrgUnderItself}},
		{"under its own sub-branch", *bj, false, hd, []*OrgUnit{hd}, map[string]string{"parent": ProblemOrgUnderItself}},
		{"a branch under a branch", *sh, false, bj, nil, map[string]string{"kind": ProblemOrgParent}},
		{"kind below its children", with(hd, OrgOutlet), false, bj, []*OrgUnit{outlet}, map[string]string{"kind": ProblemOrgChildKind}},
		{"a second head office", with(bj, OrgHQ), false, hq, nil, map[string]string{"kind": ProblemOneHQ}},
		{"head office moved and demoted", with(hq, OrgBranch), true, bj, []*OrgUnit{bj}, map[string]string{"kind": ProblemOrgRoot, "parent": ProblemOrgRoot}},
		{"head office renamed", *hq, true, nil, []*OrgUnit{bj, sh}, nil},
		{"no parent", *bj, false, nil, nil, map[string]string{"parent": ProblemRequired}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := CheckOrgPlace(c.unit, c.wasHQ, c.parent, c.children)
			got := map[string]string{}
			for field, p := range ErrorProblems(err) {
				got[field] = p.Key
			}
			if len(got) != len(c.want) {
				t.Fatalf("problems %v, want %v", got, c.want)
			}
			for field, key := range c.want {
				if got[field] != key {
					t.Errorf("%s: %q, want %q", field, got[field], key)
				}
			}
		})
	}
}

func TestMovedPath(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ path, old, new, want string }{
		{"/1/2/4/", "/1/2/4/", "/1/3/4/", "/1/3/4/"},
		{"/1/2/4/5/", "/1/2/4/", "/1/3/4/", "/1/3/4/5/"},
		{"/1/2/4/5/", "/1/2/4/", "/1/3/7/4/", "/1/3/7/4/5/"},
	} {
		if got := MovedPath(c.path, c.old, c.new); got != c.want {
			t.Errorf("MovedPath(%q, %q, %q) = %q, want %q", c.path, c.old, c.new, got, c.want)
		}
	}
}

// TestPasswordChangeTyped: the change-password page's problems in one
// round: the current password, the policy (at least 10 characters), the
// same password, and the second copy.
func TestPasswordChangeTyped(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name    string
		in      PasswordChange
		confirm string
		want    map[string]string
	}{
		{"fine", PasswordChange{Current: "old-password-1", New: "new-password-2"}, "new-password-2", nil},
		{"everything at once", PasswordChange{New: "short"}, "other", map[string]string{"current": ProblemRequired, "new": ProblemTooShort, "confirm": ProblemPasswordTwice}},
		{"the same again", PasswordChange{Current: "same-password-1", New: "same-password-1"}, "same-password-1", map[string]string{"new": ProblemPasswordSame}},
	} {
		got := map[string]string{}
		for f, p := range ErrorProblems(c.in.ValidateTyped(c.confirm)) {
			got[f] = p.Key
		}
		if len(got) != len(c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
			continue
		}
		for f, k := range c.want {
			if got[f] != k {
				t.Errorf("%s: %s = %q, want %q", c.name, f, got[f], k)
			}
		}
	}
}

// TestPolicyValidateClocks: every clock's problems at once, by clock and
// field, keyed for the policies form.
func TestPolicyValidateClocks(t *testing.T) {
	t.Parallel()
	p, err := FindPolicy(DefaultPolicies(), PolicyComplaint)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.ValidateClocks(); err != nil {
		t.Fatalf("the default policy: %v", err)
	}
	p.Clocks[0].Days = -1
	p.Clocks[1].Unit = "lunar"
	p.Clocks[2].MoveOffHoliday, p.Clocks[2].MoveOff, p.Clocks[2].Region = true, "sometimes", ""
	got := ErrorProblems(p.ValidateClocks())
	want := map[string]string{ClockBranchReply + ".days": ProblemRange, ClockDecision + ".unit": ProblemChoice,
		ClockDecisionExtended + ".move_off": ProblemChoice, ClockDecisionExtended + ".region": ProblemRequired}
	if len(got) != len(want) {
		t.Fatalf("problems %v, want %v", got, want)
	}
	for f, k := range want {
		if got[f].Key != k {
			t.Errorf("%s: %+v, want %s", f, got[f], k)
		}
	}
}
