package sqldb

import (
	"context"
	"slices"
	"testing"
	"time"

	"redress"
)

// caseState is one way a case can stand besides its status, set on the row
// behind the services' back so that every combination is reached directly.
type caseState struct {
	name string
	set  func(t *testing.T, f *fixture, c *redress.Case, actor *redress.User)
	// perActor is set when the state is about the acting user (their case,
	// their conflict): each actor then gets a case of their own; the others
	// share one case per state, which the dry runs leave as it was.
	perActor bool
}

// actorState is a case state about the acting user.
func actorState(name string, set func(t *testing.T, f *fixture, c *redress.Case, actor *redress.User)) caseState {
	return caseState{name: name, set: set, perActor: true}
}

func (f *fixture) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	if _, err := f.db.writes().ExecContext(context.Background(), query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

var guardStates = []caseState{
	{name: "plain", set: func(*testing.T, *fixture, *redress.Case, *redress.User) {}},
	actorState("handled by the actor", func(t *testing.T, f *fixture, c *redress.Case, u *redress.User) {
		f.exec(t, `UPDATE cases SET handler_id = ? WHERE id = ?`, u.ID, c.ID)
	}),
	{name: "handled by another, determined", set: func(t *testing.T, f *fixture, c *redress.Case, _ *redress.User) {
		f.exec(t, `UPDATE cases SET handler_id = ?, liability = 'no_fault', root_cause = '客户误解收费规则' WHERE id = ?`,
			f.users["staff2.bj"].ID, c.ID)
	}},
	actorState("actor complained about", func(t *testing.T, f *fixture, c *redress.Case, u *redress.User) {
		f.exec(t, `UPDATE cases SET respondent_staff_id = ?, liability = 'no_fault', root_cause = '客户误解收费规则' WHERE id = ?`, u.ID, c.ID)
	}),
	actorState("actor declared a conflict", func(t *testing.T, f *fixture, c *redress.Case, u *redress.User) {
		f.exec(t, `INSERT INTO case_conflicts (case_id, user_id, reason, at) VALUES (?, ?, '亲属关系', ?)`, c.ID, u.ID, timeText(f.clock))
	}),
	{name: "paused", set: func(t *testing.T, f *fixture, c *redress.Case, _ *redress.User) {
		f.exec(t, `UPDATE cases SET paused_since = '2026-11-20' WHERE id = ?`, c.ID)
	}},
	{name: "regulator's due date", set: func(t *testing.T, f *fixture, c *redress.Case, _ *redress.User) {
		f.exec(t, `UPDATE cases SET regulator_ref = '12378-2026-00001', regulator_due = '2026-12-10' WHERE id = ?`, c.ID)
	}},
	// regulator.go: only a case of the regulator channel takes the regulator's finding.
	{name: "forwarded through the 12378 hotline", set: func(t *testing.T, f *fixture, c *redress.Case, _ *redress.User) {
		f.exec(t, `UPDATE cases SET channel = 'regulator', regulator_source = '12378', regulator_ref = '12378-2026-00002',
			regulator_due = '2026-12-10' WHERE id = ?`, c.ID)
	}},
	{name: "at level 3, on the 30-day clock", set: func(t *testing.T, f *fixture, c *redress.Case, _ *redress.User) {
		f.exec(t, `UPDATE cases SET level = 3, decision_clock = ? WHERE id = ?`, redress.ClockDecisionExtended, c.ID)
	}},
	{name: "at head office, on the longest clock", set: func(t *testing.T, f *fixture, c *redress.Case, _ *redress.User) {
		f.exec(t, `UPDATE cases SET level = 4, decision_clock = ? WHERE id = ?`, redress.ClockDecisionMax, c.ID)
	}},
	{name: "contacted", set: func(t *testing.T, f *fixture, c *redress.Case, _ *redress.User) {
		f.exec(t, `UPDATE cases SET contact_json = '{"by":"staff2.bj","text":"已联系"}', reply_satisfied_at = ?,
			reply_satisfied_by = 'contact', agreed_reply_due = '2026-11-30' WHERE id = ?`, timeText(f.clock), c.ID)
	}},
	{name: "a petition", set: func(t *testing.T, f *fixture, c *redress.Case, _ *redress.User) {
		f.exec(t, `UPDATE cases SET kind = ?, deadline_policy = ?, decision_clock = ? WHERE id = ?`,
			redress.KindPetition, redress.PolicyPetition, redress.ClockHandling, c.ID)
	}},
	// --- review (核查): review.go ---
	{name: "decided and notified", set: func(t *testing.T, f *fixture, c *redress.Case, _ *redress.User) {
		f.exec(t, `UPDATE cases SET reply_json = ? WHERE id = ?`, guardReplyJSON, c.ID)
	}},
	actorState("under 核查, handled by the actor", func(t *testing.T, f *fixture, c *redress.Case, u *redress.User) {
		f.exec(t, `UPDATE cases SET reply_json = ? WHERE id = ?`, guardReplyJSON, c.ID)
		guardReview(t, f, c, u.Login)
	}),
	{name: "under 核查 by the unit above", set: func(t *testing.T, f *fixture, c *redress.Case, _ *redress.User) {
		f.exec(t, `UPDATE cases SET reply_json = ? WHERE id = ?`, guardReplyJSON, c.ID)
		guardReview(t, f, c, "staff2.bj")
	}},
	// --- end review ---
	// repeat.go: a merged case is handled on its survivor; a survivor is not withdrawn or rejected.
	{name: "merged into another case", set: func(t *testing.T, f *fixture, c *redress.Case, _ *redress.User) {
		survivor := f.register(t, "staff.bj")
		f.exec(t, `UPDATE cases SET merged_into_id = (SELECT id FROM cases WHERE no = ?), merged_at = ? WHERE id = ?`,
			survivor.No, timeText(f.clock), c.ID)
	}},
	{name: "a survivor with a case merged into it", set: func(t *testing.T, f *fixture, c *redress.Case, _ *redress.User) {
		merged := f.register(t, "staff.bj")
		f.exec(t, `UPDATE cases SET merged_into_id = ?, merged_at = ? WHERE no = ?`, c.ID, timeText(f.clock), merged.No)
	}},
	// return_visit.go: a closed case's return visit waits.
	{name: "return visit waiting", set: func(t *testing.T, f *fixture, c *redress.Case, _ *redress.User) {
		f.exec(t, `UPDATE cases SET return_visit_json = ?, return_visit_status = 'open', return_visit_due = '2026-11-24' WHERE id = ?`,
			`{"status":"open","reasons":["key_customer"],"due":"2026-11-24","max_attempts":3,"attempts":[]}`, c.ID)
	}},
}

// guardReplyJSON is a decision notice given the day the fixture starts.
const guardReplyJSON = `{"facts":"年费按合同收取","basis":"信用卡领用合约第五条","outcome":"not_upheld","remedies":[],` +
	`"notice_method":"phone","notice_at":"2026-11-21T01:00:00Z","notice_proof":"电话录音 20261121-001"}`

// guardReview opens a 核查 of the case by the unit above its own (BJ-HD,
// above the outlet BJ-HD-01), the original handler being handler.
func guardReview(t *testing.T, f *fixture, c *redress.Case, handler string) {
	t.Helper()
	f.exec(t, `INSERT INTO case_reviews (case_id, kind, org_id, received_at, received_by, text, window_due, due,
		original_handler) VALUES (?, 'verification', (SELECT id FROM org_units WHERE code = 'BJ-HD'), ?, ?, '客户申请核查',
		'2026-12-21', '2026-12-21', ?)`, c.ID, timeText(f.clock), f.users["staff.bj"].ID, handler)
}

// guardRequest is a request for the action that passes the request's own
// validation, so that only the guard decides whether the store accepts it.
func guardRequest(a redress.Action, version int, now time.Time) redress.ActionRequest {
	notice := redress.Reply{NoticeMethod: redress.NoticePhone, NoticeAt: now.Add(-time.Hour), NoticeProof: "电话录音 20261121-001"}
	req := redress.ActionRequest{Action: a, Version: version}
	switch a {
	case redress.ActionAssign:
		req.Handler = "staff2.bj" // never an actor of the walk, so never the one complained about
	case redress.ActionAccept:
		req.Handler, req.Reply = "staff2.bj", notice // a petition's acceptance carries its notice
	case redress.ActionContact:
		req.Text, req.Reply, req.AgreedReplyDate = "已告知客户正在调查", notice, redress.DateOf(now).AddDays(5).String()
	case redress.ActionEscalate, redress.ActionReopen, redress.ActionWithdraw, redress.ActionReject, redress.ActionDeclareConflict:
		req.Reason = "客户要求上级处理"
	case redress.ActionInvestigate, redress.ActionNote:
		req.Text = "调取了柜面监控录像"
	case redress.ActionDetermine:
		req.Determination = redress.Determination{Liability: redress.LiabilityNoFault, RootCause: "客户误解收费规则"}
	case redress.ActionReply, redress.ActionResolveOnSpot:
		req.Determination = redress.Determination{Liability: redress.LiabilityNoFault, RootCause: "客户误解收费规则"}
		if a == redress.ActionReply {
			req.Determination = redress.Determination{}
		}
		req.Reply = notice
		req.Reply.Facts, req.Reply.Basis, req.Reply.Outcome = "年费按合同收取", "信用卡领用合约第五条", redress.OutcomeNotUpheld
	case redress.ActionSignOff:
		req.Text = "同意"
	case redress.ActionClose:
		req.Satisfaction = redress.SatisfactionSatisfied
	case redress.ActionExtend:
		req.Reason, req.Approval, req.Reply = "需调取外部证据", "SP-2026-001", notice
	case redress.ActionPause:
		req.Cause, req.Reason, req.Reply = redress.PauseAppraisal, "笔迹鉴定", notice
	case redress.ActionResume:
		req.Reason, req.Reply = "鉴定完成", notice
	case redress.ActionNewFacts:
		req.Reason, req.FactsReceivedAt = "客户补充了转账凭证", now.Add(-time.Hour)
	// --- review ---
	case redress.ActionRequestReview:
		req.ReceivedAt, req.Text = now.Add(-time.Hour), "客户对处理结果不满意，申请核查"
	case redress.ActionDecideReview:
		req.ReviewProcess, req.ReviewTimeliness, req.ReviewMerits = "程序合规", "在时限内答复", "处理结果适当"
		req.ReviewResult, req.Reply = redress.ReviewUpheld, notice
		// --- end review ---
	case redress.ActionReturnVisit: // return_visit.go
		req.Satisfaction = redress.SatisfactionSatisfied
		req.ReturnVisitRequest = redress.ReturnVisitRequest{VisitMethod: redress.VisitByPhone, VisitOutcome: redress.VisitReached}
	case redress.ActionRecordRegulatorFinding: // regulator.go
		req.RegulatorFindingInput = redress.RegulatorFindingInput{Finding: redress.FindingValid,
			FindingOn: redress.DateOf(now).String(), FindingRef: "金消保〔2026〕1号"}
	}
	return req
}

// TestOfferedEqualsAccepted walks every action × status × role × case
// state: the actions the pages offer (redress.AvailableActions) are exactly
// the actions the store accepts (each tried in a transaction rolled back).
func TestOfferedEqualsAccepted(t *testing.T) {
	t.Parallel()
	for _, status := range redress.Statuses {
		t.Run(string(status), func(t *testing.T) {
			t.Parallel()
			offeredEqualsAccepted(t, status)
		})
	}
}

// offeredEqualsAccepted walks one status: every state × actor × action.
func offeredEqualsAccepted(t *testing.T, status redress.Status) {
	// A manager of a branch-level unit may approve a complaint's last extension.
	f := newFixtureOf(t, "guard", func(admin context.Context, db *DB) error {
		_, err := NewUserService(db).CreateUser(admin, redress.NewUser{Login: "mgr.branch", Name: "孙丽",
			Role: redress.RoleManager, Org: "BJ"})
		return err
	})
	actors := []string{"staff.bj", "mgr.bj", "head.bj", "mgr.branch", "hq.svc", "auditor", "admin"}
	users := map[string]*redress.User{}
	for _, login := range actors {
		u, err := f.db.userByLogin(context.Background(), f.db.reads(), "login", login)
		if err != nil {
			t.Fatal(err)
		}
		users[login] = u
	}
	checked, accepted := 0, 0
	for _, state := range guardStates {
		var shared *redress.Case
		for _, login := range actors {
			u := users[login]
			c := shared
			if c == nil || state.perActor {
				c = f.register(t, "staff.bj")
				f.exec(t, `UPDATE cases SET status = ? WHERE id = ?`, status, c.ID)
				state.set(t, f, c, u)
				if !state.perActor {
					shared = c
				}
			}
			ctx := redress.WithUser(context.Background(), u)
			var offered []redress.Action
			if u.Role.ReadsCases() {
				seen, err := f.cases.Case(ctx, c.No)
				if err != nil {
					t.Fatalf("%s reads %s: %v", login, c.No, err)
				}
				offered = redress.AvailableActions(seen, u)
			}
			for _, a := range redress.CaseActions() {
				_, _, err := f.cases.act(ctx, c.No, guardRequest(a, c.Version, f.clock), false)
				if code := redress.ErrorCode(err); code == redress.EINVALID || code == redress.EINTERNAL {
					t.Fatalf("%s by %s in %s, %s: the request itself was refused: %v", a, login, status, state.name, err)
				}
				checked++
				if err == nil {
					accepted++
				}
				if want := slices.Contains(offered, a); want != (err == nil) {
					t.Errorf("%s by %s (%s) in status %s, %s: offered %v, but the store answered %v",
						a, login, u.Role, status, state.name, want, err)
				}
			}
		}
	}
	t.Logf("%s: %d combinations tried, %d accepted", status, checked, accepted)
	if checked == 0 {
		t.Fatal("the walk tried nothing")
	}
}
