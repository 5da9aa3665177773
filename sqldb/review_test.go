package sqldb

import (
	"context"
	"strings"
	"testing"
	"time"

	"redress"
)

// reviewFixture is the bank with a manager of the branch (BJ), the unit
// above the sub-branch: the "guard" template.
func reviewFixture(t *testing.T) *fixture {
	f := newFixtureOf(t, "guard", func(admin context.Context, db *DB) error {
		_, err := NewUserService(db).CreateUser(admin, redress.NewUser{Login: "mgr.branch", Name: "孙丽",
			Role: redress.RoleManager, Org: "BJ"})
		return err
	})
	u, err := f.db.userByLogin(context.Background(), f.db.reads(), "login", "mgr.branch")
	if err != nil {
		t.Fatal(err)
	}
	f.users[u.Login] = u
	return f
}

// decidedComplaint walks a complaint registered at the outlet to a reply
// noticed on the fixture's first day (2026-11-21), handled by mgr.bj and
// signed off by head.bj, both of the sub-branch BJ-HD.
func decidedComplaint(t *testing.T, f *fixture) *redress.Case {
	t.Helper()
	c := f.register(t, "staff.bj")
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionAccept})
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionDetermine, Determination: determined})
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionReply, Reply: replyAt(f.clock)})
	return f.act(t, "head.bj", c, redress.ActionRequest{Action: redress.ActionSignOff, Text: "同意"})
}

// decidedPetition walks a petition to its handling opinion noticed on the
// fixture's first day. The acceptance carries a notice (受理告知), which a
// petition's accept needs once item 2 of issue 10 is merged.
func decidedPetition(t *testing.T, f *fixture) *redress.Case {
	t.Helper()
	n := sampleCase()
	n.Kind = redress.KindPetition
	c, err := f.cases.CreateCase(f.as("staff.bj"), n)
	if err != nil {
		t.Fatal(err)
	}
	notice := replyAt(f.clock)
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionAccept,
		Reply: redress.Reply{NoticeMethod: notice.NoticeMethod, NoticeAt: notice.NoticeAt, NoticeProof: notice.NoticeProof}})
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionInvestigate, Text: "调阅业务档案"})
	return f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionReply, Reply: replyAt(f.clock)})
}

func reviewRequest(at time.Time) redress.ActionRequest {
	return redress.ActionRequest{Action: redress.ActionRequestReview, ReceivedAt: at, Text: "对处理意见不服，申请复查"}
}

func reviewDecision(result redress.ReviewResult, at time.Time) redress.ActionRequest {
	return redress.ActionRequest{Action: redress.ActionDecideReview, ReviewProcess: "受理、调查、答复程序完整",
		ReviewTimeliness: "在法定期限内答复", ReviewMerits: "事实清楚，依据充分", ReviewResult: result,
		Text: "变更原处理意见：补偿全部收益差额", Reply: redress.Reply{NoticeMethod: redress.NoticeLetter, NoticeAt: at,
			NoticeProof: "挂号信 XA20261201"}}
}

func TestRecheckRequestOnDay31Refused_PetitionRegulationArt35(t *testing.T) {
	t.Parallel()
	f := reviewFixture(t)
	c := decidedPetition(t, f)
	// The opinion was noticed on 2026-11-21; the 30th day is Monday 2026-12-21.
	f.clock = time.Date(2026, 12, 22, 10, 0, 0, 0, redress.Beijing)
	req := reviewRequest(f.clock)
	req.Version = c.Version
	_, err := f.cases.Act(f.as("staff.bj"), c.No, req)
	wantCode(t, err, redress.EINVALID)
	if why := redress.ErrorFields(err)["received_at"]; !strings.Contains(why, "30 days") || !strings.Contains(why, "2026-12-21") ||
		!strings.Contains(why, "Art.35") {
		t.Fatalf("the refusal must name the window and the article: %q", why)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM case_reviews WHERE case_id = ?`, c.ID); n != 0 {
		t.Fatalf("a refused request opened %d reviews", n)
	}
	// On day 30 it is accepted: a 复查 by the unit above, due 30 days after the request.
	f.clock = time.Date(2026, 12, 21, 16, 0, 0, 0, redress.Beijing)
	c = f.act(t, "staff.bj", c, reviewRequest(f.clock))
	if r := c.Review; r == nil || r.Kind != redress.ReviewRecheck || r.Org != "BJ-HD" || r.WindowDue != "2026-12-21" ||
		r.Due != "2027-01-20" || !r.Open() {
		t.Fatalf("review: %+v", c.Review)
	}
}

func TestVerificationDecidedByUnitAboveNotHandler_Order2020No3Art20(t *testing.T) {
	t.Parallel()
	f := reviewFixture(t)
	c := decidedComplaint(t, f)
	if c.Org != "BJ-HD-01" {
		t.Fatalf("the case lies with %s", c.Org)
	}
	f.clock = f.clock.AddDate(0, 0, 10)
	c = f.act(t, "staff2.bj", c, reviewRequest(f.clock)) // any unit receives the request
	r := c.Review
	if r == nil || r.Kind != redress.ReviewVerification || r.Org != "BJ-HD" || r.OriginalHandler != "mgr.bj" ||
		r.OriginalSigner != "head.bj" || r.Due != "2026-12-31" {
		t.Fatalf("核查: %+v", r)
	}
	// A second request while it runs is refused.
	_, err := f.cases.Act(f.as("staff.bj"), c.No, func() redress.ActionRequest {
		q := reviewRequest(f.clock)
		q.Version = c.Version
		return q
	}())
	wantCode(t, err, redress.ECONFLICT)
	decide := func(login string) error {
		q := reviewDecision(redress.ReviewChanged, f.clock)
		q.Version = c.Version
		_, err := f.cases.Act(f.as(login), c.No, q)
		return err
	}
	wantCode(t, decide("mgr.bj"), redress.EFORBIDDEN)    // the original handler
	wantCode(t, decide("head.bj"), redress.EFORBIDDEN)   // the original signer
	wantCode(t, decide("staff2.bj"), redress.EFORBIDDEN) // not a reviewer's role
	wantCode(t, decide("mgr.sh"), redress.ENOTFOUND)     // another branch
	if got := redress.AvailableActions(c, f.users["mgr.bj"]); contains(got, redress.ActionDecideReview) {
		t.Fatalf("the handler is offered %v", got)
	}
	c = f.act(t, "mgr.branch", c, reviewDecision(redress.ReviewChanged, f.clock)) // the unit above
	r = c.Review
	if r.Open() || r.DecidedBy != "mgr.branch" || r.Result != redress.ReviewChanged || r.Decision == "" ||
		r.Notice == nil || r.Notice.Proof != "挂号信 XA20261201" || r.Process == "" {
		t.Fatalf("decided: %+v", r)
	}
	// One 核查: a second request is refused.
	q := reviewRequest(f.clock)
	q.Version = c.Version
	_, err = f.cases.Act(f.as("staff.bj"), c.No, q)
	wantCode(t, err, redress.ECONFLICT)
	if n := f.count(t, `SELECT COUNT(*) FROM events WHERE case_no = ? AND action IN ('case.request_review', 'case.decide_review')`, c.No); n != 2 {
		t.Fatalf("%d review events", n)
	}
}

func TestReexamineAfterRecheckNoThirdReview_PetitionRegulationArts35and36(t *testing.T) {
	t.Parallel()
	f := reviewFixture(t)
	c := decidedPetition(t, f)
	f.clock = f.clock.AddDate(0, 0, 5)
	c = f.act(t, "staff.bj", c, reviewRequest(f.clock))
	f.clock = f.clock.AddDate(0, 0, 20)
	c = f.act(t, "mgr.branch", c, reviewDecision(redress.ReviewUpheld, f.clock)) // 复查 opinion on 2026-12-16
	// The 复核 window counts from the 复查 opinion, not from the first one.
	f.clock = time.Date(2027, 1, 10, 10, 0, 0, 0, redress.Beijing)
	c = f.act(t, "staff.bj", c, reviewRequest(f.clock))
	if r := c.Review; r.Kind != redress.ReviewReexamine || len(c.Reviews) != 2 || r.WindowDue != "2027-01-15" {
		t.Fatalf("复核: %+v (%d reviews)", r, len(c.Reviews))
	}
	c = f.act(t, "hq.svc", c, reviewDecision(redress.ReviewPartly, f.clock))
	q := reviewRequest(f.clock)
	q.Version = c.Version
	_, err := f.cases.Act(f.as("staff.bj"), c.No, q)
	wantCode(t, err, redress.ECONFLICT)
	if msg := redress.ErrorMessage(err); !strings.Contains(msg, "Art.36") || !strings.Contains(msg, "不再受理") {
		t.Fatalf("the refusal must cite Art.36: %q", msg)
	}
	// The reports count them by their own dates: the 复查 decided in December, the 复核 in January.
	for _, tc := range []struct {
		from, to string
		want     redress.ReviewStats
	}{
		{"2026-11-01", "2027-01-31", redress.ReviewStats{Requested: 2, Decided: 2, Changed: 1}},
		{"2026-11-01", "2026-12-31", redress.ReviewStats{Requested: 1, Decided: 1, Changed: 0}},
		{"2027-01-01", "2027-01-31", redress.ReviewStats{Requested: 1, Decided: 1, Changed: 1}},
	} {
		st, err := NewStatsService(f.db).Stats(f.as("hq.svc"), redress.StatsQuery{From: tc.from, To: tc.to})
		if err != nil {
			t.Fatal(err)
		}
		if st.Reviews != tc.want {
			t.Errorf("%s..%s: reviews %+v, want %+v", tc.from, tc.to, st.Reviews, tc.want)
		}
	}
}

func contains[T comparable](xs []T, x T) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// TestReviewClockSwept_Order2020No3Art20: the 核查's own 30-day clock is
// watched by the sweep like the case's clocks — a notice before it ends and
// one when it has run out — and never escalates the case, which already lies
// with the superior institution.
func TestReviewClockSwept_Order2020No3Art20(t *testing.T) {
	t.Parallel()
	f := reviewFixture(t)
	c := decidedComplaint(t, f) // the decision noticed on 2026-11-21
	f.clock = bjTime(2026, 11, 22, 10)
	c = f.act(t, "staff2.bj", c, reviewRequest(f.clock))
	if c.Review == nil || c.Review.Due != "2026-12-22" {
		t.Fatalf("the 核查 is due: %+v", c.Review)
	}
	r := f.sweep(t, bjTime(2026, 12, 21, 8), SweepOptions{})
	if r.DueSoon != 1 || r.Overdue != 0 {
		t.Fatalf("the day before: %+v", r)
	}
	r = f.sweep(t, bjTime(2026, 12, 23, 8), SweepOptions{})
	if r.Overdue != 1 || r.Escalated != 0 {
		t.Fatalf("the day after: %+v", r)
	}
	if again := f.sweep(t, bjTime(2026, 12, 23, 9), SweepOptions{}); again.Overdue != 0 || again.DueSoon != 0 {
		t.Fatalf("each notice goes out once: %+v", again)
	}
	after, err := f.cases.Case(f.as("mgr.bj"), c.No)
	if err != nil {
		t.Fatal(err)
	}
	if after.Level != c.Level || after.Version != c.Version || !after.Review.Overdue {
		t.Fatalf("a late review is marked, never escalated: level %d→%d, version %d→%d, overdue %v",
			c.Level, after.Level, c.Version, after.Version, after.Review.Overdue)
	}
	found := false
	for _, n := range f.inbox(t, "mgr.bj") {
		found = found || strings.Contains(n.Body+n.Subject, "核查意见")
	}
	if !found {
		t.Fatal("no notice names the 核查's clock")
	}
	// Once the opinion is given, the clock no longer runs.
	f.clock = bjTime(2026, 12, 24, 10)
	f.act(t, "mgr.branch", after, reviewDecision(redress.ReviewUpheld, f.clock))
	if r := f.sweep(t, bjTime(2027, 1, 5, 8), SweepOptions{Limit: 10}); r.Overdue != 0 {
		t.Fatalf("a decided review is not swept: %+v", r)
	}
}

// TestVerificationRequestReceivedByAnyUnit_Order3Art20: CBIRC Order 2020
// No.3 Art.20 lets the customer ask for 核查 within 30 days of the decision
// notice, and the request may reach any unit of the bank. A manager in
// Shanghai, who cannot see the Beijing case, records it without its
// version; the answer tells them the case's number, the reviewing unit and
// the review's due date and nothing else of the case; the case then is
// under 核查 by the sub-branch above the outlet, and the Shanghai manager still cannot
// read it. The staff member the complaint accuses cannot record one.
func TestVerificationRequestReceivedByAnyUnit_Order3Art20(t *testing.T) {
	t.Parallel()
	f := reviewFixture(t)
	c := decidedComplaint(t, f)
	got, err := f.cases.Act(f.as("mgr.sh"), c.No, reviewRequest(f.clock))
	if err != nil {
		t.Fatal(err)
	}
	r := got.Review
	if got.No != c.No || r == nil || r.Kind != redress.ReviewVerification || r.Org != "BJ-HD" || r.Due == "" ||
		r.ReceivedBy != "mgr.sh" || r.OriginalHandler != "" || r.OriginalSigner != "" {
		t.Fatalf("receipt: %+v review %+v", got, r)
	}
	if got.Subject != "" || got.Description != "" || got.Complainant.Name != "" || got.Handler != "" || len(got.Findings) != 0 || got.Reply != nil {
		t.Fatalf("the receipt shows the case: %+v", got)
	}
	if _, err := f.cases.Case(f.as("mgr.sh"), c.No); redress.ErrorCode(err) != redress.ENOTFOUND {
		t.Fatalf("the receiver reads the case: %v", err)
	}
	inBJ, err := f.cases.Case(f.as("mgr.branch"), c.No)
	if err != nil {
		t.Fatal(err)
	}
	if inBJ.Review == nil || inBJ.Review.ReceivedBy != "mgr.sh" || inBJ.Version != c.Version+1 || inBJ.Review.OriginalHandler != "mgr.bj" {
		t.Fatalf("the case after the request: version %d, review %+v", inBJ.Version, inBJ.Review)
	}
	// The sub-branch's manager is told in-app, wherever the request came in.
	if n := f.inbox(t, "mgr.bj"); len(n) == 0 || n[0].Kind != redress.NotifyReviewRequested ||
		n[0].Subject != "【投诉管理】案件 "+c.No+" 收到核查申请" || !strings.Contains(n[0].Body, "mgr.sh 接收") || !strings.Contains(n[0].Body, r.Due) {
		t.Fatalf("the reviewing unit's notice: %+v", n)
	}
	// Any other action from outside stays not found, and a second request conflicts.
	_, err = f.cases.Act(f.as("mgr.sh"), c.No, redress.ActionRequest{Action: redress.ActionNote, Version: inBJ.Version, Text: "看看"})
	wantCode(t, err, redress.ENOTFOUND)
	_, err = f.cases.Act(f.as("mgr.sh"), c.No, reviewRequest(f.clock))
	wantCode(t, err, redress.ECONFLICT)
	// A versionless request on an unknown number is not found, as for any case.
	_, err = f.cases.Act(f.as("mgr.sh"), "TS20261121-99999", reviewRequest(f.clock))
	wantCode(t, err, redress.ENOTFOUND)
}
