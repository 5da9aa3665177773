package redress

import (
	"strings"
	"testing"
	"time"
)

func reviewCase(kind Kind, reviews ...Review) *Case {
	return &Case{No: "TS20261020-00001", Kind: kind, OrgPath: "/1/2/3/", Handler: "mgr", SignedOffBy: "head",
		Reply:   &Reply{NoticeAt: time.Date(2026, 10, 20, 10, 0, 0, 0, Beijing)},
		Reviews: reviews}
}

func decided(kind ReviewKind, at time.Time) Review {
	return Review{Kind: kind, DecidedAt: &at, Notice: &NoticeRecord{Method: NoticeLetter, At: at, Proof: "挂号信"}}
}

func TestNextReviewKind_Order2020No3Art20_PetitionRegulationArts35and36(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 10, 10, 0, 0, 0, Beijing)
	open := Review{Kind: ReviewVerification, Due: "2026-12-10"}
	noReply := reviewCase(KindComplaint)
	noReply.Reply = nil
	for _, tt := range []struct {
		name string
		c    *Case
		want ReviewKind
		err  string // part of the refusal
	}{
		{"a complaint's first request: 核查", reviewCase(KindComplaint), ReviewVerification, ""},
		{"a complaint verified once: no second 核查", reviewCase(KindComplaint, decided(ReviewVerification, at)), "", "Art.20"},
		{"a petition's first request: 复查 (Art.35)", reviewCase(KindPetition), ReviewRecheck, ""},
		{"after the 复查 opinion: 复核 (Art.36)", reviewCase(KindPetition, decided(ReviewRecheck, at)), ReviewReexamine, ""},
		{"after 复核: not accepted again (Art.36)", reviewCase(KindPetition, decided(ReviewRecheck, at), decided(ReviewReexamine, at)), "", "不再受理"},
		{"a review in progress takes no second request", reviewCase(KindComplaint, open), "", "already under"},
		{"nothing decided yet", noReply, "", "no decision notice"},
		{"an inquiry has no review", reviewCase(KindInquiry), "", "has no review"},
	} {
		got, err := NextReviewKind(tt.c)
		if got != tt.want || (tt.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("%s: %q, %v", tt.name, got, err)
		}
	}
}

func TestReviewParentPath(t *testing.T) {
	t.Parallel()
	for path, want := range map[string]string{"/1/2/3/": "/1/2/", "/1/2/": "/1/", "/1/": "/1/"} {
		if got := ReviewParentPath(path); got != want {
			t.Errorf("ReviewParentPath(%s) = %s, want %s", path, got, want)
		}
	}
}

func TestMayReviewNeverTheHandlerNorSigner_Order2020No3Art20(t *testing.T) {
	t.Parallel()
	r := &Review{Org: "BJ", OrgPath: "/1/2/", OriginalHandler: "mgr", OriginalSigner: "head"}
	c := reviewCase(KindComplaint)
	c.Respondent.Staff = "accused"
	for _, tt := range []struct {
		name string
		u    *User
		ok   bool
	}{
		{"a manager of the unit above", &User{Login: "boss", Role: RoleManager, OrgPath: "/1/2/"}, true},
		{"head office", &User{Login: "hq", Role: RoleHQService, OrgPath: "/1/"}, true},
		{"the original handler", &User{Login: "mgr", Role: RoleManager, OrgPath: "/1/2/"}, false},
		{"the original signer", &User{Login: "head", Role: RoleBranchHead, OrgPath: "/1/2/"}, false},
		{"the staff member complained about", &User{Login: "accused", Role: RoleManager, OrgPath: "/1/2/"}, false},
		{"the unit that decided, below the reviewer", &User{Login: "local", Role: RoleManager, OrgPath: "/1/2/3/"}, false},
		{"another branch", &User{Login: "sh", Role: RoleManager, OrgPath: "/1/9/"}, false},
	} {
		if why := MayReview(tt.u, c, r); (why == "") != tt.ok {
			t.Errorf("%s: MayReview = %q", tt.name, why)
		}
	}
}

func TestReviewWindowAndClock_Order2020No3Art20(t *testing.T) {
	t.Parallel()
	cals, err := EmbeddedCalendars()
	if err != nil {
		t.Fatal(err)
	}
	d := &Deadlines{Calendars: cals, Policies: DefaultPolicies()}
	actor := &User{Login: "staff", Role: RoleStaff, OrgPath: "/1/2/3/"}
	for _, tt := range []struct {
		name     string
		received time.Time
		due      string // "" when refused
	}{
		// Notice 2026-10-20: the 30th day is Thursday 2026-11-19.
		{"day 30", time.Date(2026, 11, 19, 16, 0, 0, 0, Beijing), "2026-12-21"}, // Saturday 12-19 moves to Monday
		{"day 31", time.Date(2026, 11, 20, 9, 0, 0, 0, Beijing), ""},
		{"the day of the notice", time.Date(2026, 10, 20, 18, 0, 0, 0, Beijing), "2026-11-19"},
	} {
		c := reviewCase(KindComplaint)
		req := &ActionRequest{Action: ActionRequestReview, ReceivedAt: tt.received, Text: "申请核查"}
		fx, err := ApplyAction(c, c.Status, ActionInput{Request: req, Actor: actor, Deadlines: d, Now: tt.received})
		switch {
		case tt.due == "" && (ErrorCode(err) != EINVALID || !strings.Contains(ErrorFields(err)["received_at"], "2026-11-19")):
			t.Errorf("%s: want refused naming the window, got %v", tt.name, err)
		case tt.due != "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.due != "" && (fx.Review.Due != tt.due || fx.Review.OrgPath != "/1/2/" || fx.Review.OriginalHandler != "mgr" ||
			c.Review == nil || c.Review.Kind != ReviewVerification):
			t.Errorf("%s: review %+v", tt.name, fx.Review)
		}
	}
}

func TestReviewDecisionFields(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, Beijing)
	base := ActionRequest{Action: ActionDecideReview, Version: 1, ReviewProcess: "程序合规", ReviewTimeliness: "按时",
		ReviewMerits: "适当", ReviewResult: ReviewUpheld,
		Reply: Reply{NoticeMethod: NoticeLetter, NoticeAt: now.Add(-time.Hour), NoticeProof: "挂号信"}}
	for _, tt := range []struct {
		name  string
		edit  func(r *ActionRequest)
		field string // the field refused, "" for none
	}{
		{"upheld needs no new decision", func(*ActionRequest) {}, ""},
		{"changed needs the new decision notice", func(r *ActionRequest) { r.ReviewResult = ReviewChanged }, "text"},
		{"partly, with it", func(r *ActionRequest) { r.ReviewResult, r.Text = ReviewPartly, "部分变更：补偿一半" }, ""},
		{"an unknown result", func(r *ActionRequest) { r.ReviewResult = "maybe" }, "result"},
		{"the check of timeliness", func(r *ActionRequest) { r.ReviewTimeliness = "" }, "timeliness"},
		{"the notice's proof", func(r *ActionRequest) { r.NoticeProof = "" }, "notice_proof"},
	} {
		r := base
		tt.edit(&r)
		err := r.Validate(now)
		if got := ErrorFields(err); (tt.field == "") != (err == nil) || (tt.field != "" && got[tt.field] == "") {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}
