package sqldb

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"redress"
)

var determined = redress.Determination{Liability: redress.LiabilityPartial, ResponsibleParty: "中关村网点理财经理",
	RootCause: "营销话术不规范", Accountability: "通报批评"}

func replyAt(at time.Time) redress.Reply {
	return redress.Reply{Facts: "经核实，销售时未充分揭示风险", Basis: "《银行保险机构消费者权益保护管理办法》",
		Outcome: redress.OutcomePartlyUpheld, Redress: "补偿部分收益差额", RedressPaid: "1200.00",
		Remedies: []redress.Remedy{redress.RemedyReview, redress.RemedyMediation}, NoticeMethod: redress.NoticePhone,
		NoticeAt: at, NoticeProof: "电话录音编号 R-20261121-01"}
}

func TestCreateCase(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.register(t, "staff.bj")
	if c.No != "TS20261120-00001" || c.Status != redress.StatusRegistered || c.Version != 1 || c.Level != 1 {
		t.Fatalf("registered case: %+v", c)
	}
	if c.ReplyDue != "2026-11-23" || c.DecisionDue != "2026-12-05" {
		t.Fatalf("due dates %s %s", c.ReplyDue, c.DecisionDue)
	}
	if c.Org != "BJ-HD-01" || c.OriginOrg != "BJ-HD-01" || c.FirstResponder != "staff.bj" {
		t.Fatalf("org %s origin %s first responder %s", c.Org, c.OriginOrg, c.FirstResponder)
	}
	p := c.Complainant
	if p.IDNumber != "110***********1234" || p.Phone != "138****5678" || p.Account != "622202*********0123" {
		t.Fatalf("personal data not masked: %+v", p)
	}
	second := f.register(t, "staff.bj")
	if second.No != "TS20261120-00002" {
		t.Fatalf("second number %s", second.No)
	}
	got, err := f.cases.Case(f.as("mgr.bj"), c.No)
	if err != nil || got.Subject != c.Subject || got.Amount != "5000.00" || got.CodeB != "B06" {
		t.Fatalf("read back: %+v %v", got, err)
	}
}

func TestCreateCaseRefusals(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	n := sampleCase()
	n.Org = "SH"
	_, err := f.cases.CreateCase(f.as("staff.bj"), n)
	wantCode(t, err, redress.EINVALID)
	for _, login := range []string{"auditor", "admin"} {
		_, err := f.cases.CreateCase(f.as(login), sampleCase())
		wantCode(t, err, redress.EFORBIDDEN)
	}
	_, err = f.cases.CreateCase(context.Background(), sampleCase())
	wantCode(t, err, redress.EUNAUTHORIZED)
	n = sampleCase()
	n.CodeB = "C01" // a cause code in the business slot
	_, err = f.cases.CreateCase(f.as("staff.bj"), n)
	if _, ok := redress.ErrorFields(err)["code_b"]; !ok {
		t.Fatalf("want code_b problem, got %v", err)
	}
	n = sampleCase()
	n.Respondent.Staff = "nobody"
	_, err = f.cases.CreateCase(f.as("staff.bj"), n)
	if _, ok := redress.ErrorFields(err)["respondent.staff"]; !ok {
		t.Fatalf("want respondent.staff problem, got %v", err)
	}
	page, err := f.cases.ListCases(f.as("hq.svc"), redress.CaseFilter{})
	if err != nil || len(page.Cases) != 0 {
		t.Fatalf("refused registrations must leave nothing behind: %d %v", len(page.Cases), err)
	}
}

func TestLifecycleToClosed(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.register(t, "staff.bj")
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionAccept})
	if c.Status != redress.StatusAccepted || c.Handler != "mgr.bj" || c.Level != 2 {
		t.Fatalf("accepted: %+v", c)
	}
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionInvestigate, Text: "调取录音录像，核对销售记录"})
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionNote, Text: "客户情绪激动，注意安抚"})
	if len(c.Findings) != 1 || len(c.Notes) != 1 || c.Status != redress.StatusInvestigating {
		t.Fatalf("findings %v notes %v status %s", c.Findings, c.Notes, c.Status)
	}
	_, err := f.cases.Act(f.as("mgr.bj"), c.No, redress.ActionRequest{Action: redress.ActionReply, Version: c.Version, Reply: replyAt(f.clock)})
	wantCode(t, err, redress.ECONFLICT) // a complaint needs a determination first
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionDetermine, Determination: determined})
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionReply, Reply: replyAt(f.clock)})
	if c.Status != redress.StatusReplied || c.Reply.RedressPaid != "1200.00" || len(c.Reply.Remedies) != 2 {
		t.Fatalf("replied: %+v", c.Reply)
	}
	_, err = f.cases.Act(f.as("mgr.bj"), c.No, redress.ActionRequest{Action: redress.ActionSignOff, Version: c.Version})
	wantCode(t, err, redress.EFORBIDDEN) // a manager may not sign off
	f.users["mgr.bj"].Role = redress.RoleBranchHead
	_, err = f.cases.Act(f.as("mgr.bj"), c.No, redress.ActionRequest{Action: redress.ActionSignOff, Version: c.Version})
	f.users["mgr.bj"].Role = redress.RoleManager
	wantCode(t, err, redress.EFORBIDDEN) // never the handler, whatever the role
	c = f.act(t, "head.bj", c, redress.ActionRequest{Action: redress.ActionSignOff, Text: "同意"})
	_, err = f.cases.Act(f.as("mgr.bj"), c.No, redress.ActionRequest{Action: redress.ActionClose, Version: c.Version, Satisfaction: "happy"})
	wantCode(t, err, redress.EINVALID) // not an answer (none at all is fine: the return visit asks)
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionClose, Satisfaction: redress.SatisfactionSatisfied})
	if c.Status != redress.StatusClosed || c.SignedOffBy != "head.bj" || c.ClosedAt == nil || c.Version != 7 { // a note does not bump the version
		t.Fatalf("closed: status %s signed %s closed %v version %d", c.Status, c.SignedOffBy, c.ClosedAt, c.Version)
	}
	events, err := f.cases.CaseEvents(f.as("auditor"), c.No)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range events {
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, " "); got != "case.register case.accept case.investigate case.note case.determine case.reply case.sign_off case.close" {
		t.Fatalf("events: %s", got)
	}
	statusChange := false
	for _, ch := range events[1].Changes {
		if ch.Field == "status" && ch.Before == "registered" && ch.After == "accepted" {
			statusChange = true
		}
	}
	if !statusChange {
		t.Fatalf("accept event must record the status change: %+v", events[1].Changes)
	}
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionReopen, Reason: "客户不满意，申请核查"})
	if c.Status != redress.StatusInvestigating || c.SignedOffBy != "" || c.Satisfaction != "" || c.ClosedAt != nil {
		t.Fatalf("reopened: %+v", c)
	}
}

func TestResolveOnSpotAndEnds(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.register(t, "staff.bj")
	_, err := f.cases.Act(f.as("staff.bj"), c.No, redress.ActionRequest{Action: redress.ActionResolveOnSpot, Version: 1, Reply: replyAt(f.clock)})
	wantCode(t, err, redress.ECONFLICT) // a complaint answered on the spot still needs its determination
	c = f.act(t, "staff.bj", c, redress.ActionRequest{Action: redress.ActionResolveOnSpot, Determination: redress.Determination{
		Liability: redress.LiabilityNoFault, RootCause: "客户误解产品说明"}, Reply: replyAt(f.clock)})
	if c.Status != redress.StatusReplied || c.Handler != "staff.bj" {
		t.Fatalf("resolved on the spot: %s %s", c.Status, c.Handler)
	}
	w := f.register(t, "staff.bj")
	w = f.act(t, "staff.bj", w, redress.ActionRequest{Action: redress.ActionWithdraw, Reason: "客户撤回投诉"})
	if w.Status != redress.StatusWithdrawn || w.ClosedAt == nil || w.EndReason != "客户撤回投诉" {
		t.Fatalf("withdrawn: %+v", w)
	}
	r := f.register(t, "staff.bj")
	_, err = f.cases.Act(f.as("staff.bj"), r.No, redress.ActionRequest{Action: redress.ActionReject, Version: 1, Reason: "不属于受理范围"})
	wantCode(t, err, redress.EFORBIDDEN)
	r = f.act(t, "mgr.bj", r, redress.ActionRequest{Action: redress.ActionReject, Reason: "不属于受理范围"})
	if r.Status != redress.StatusRejected {
		t.Fatalf("rejected: %s", r.Status)
	}
	_, err = f.cases.Act(f.as("mgr.bj"), r.No, redress.ActionRequest{Action: redress.ActionAccept, Version: r.Version})
	if redress.ErrorCode(err) != redress.ECONFLICT || !strings.Contains(err.Error(), "status rejected") {
		t.Fatalf("want conflict naming the status, got %v", err)
	}
}

func TestEscalateAndAssign(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.register(t, "staff.bj")
	c = f.act(t, "staff.bj", c, redress.ActionRequest{Action: redress.ActionEscalate, Reason: "超出首问人权限"})
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionAccept, Handler: "staff2.bj"})
	if c.Level != 2 || c.Handler != "staff2.bj" {
		t.Fatalf("level %d handler %s", c.Level, c.Handler)
	}
	// The handler may investigate although a staff member.
	c = f.act(t, "staff2.bj", c, redress.ActionRequest{Action: redress.ActionInvestigate, Text: "已联系客户了解情况"})
	_, err := f.cases.Act(f.as("staff.bj"), c.No, redress.ActionRequest{Action: redress.ActionInvestigate, Version: c.Version, Text: "无权"})
	wantCode(t, err, redress.EFORBIDDEN)
	_, err = f.cases.Act(f.as("mgr.bj"), c.No, redress.ActionRequest{Action: redress.ActionAssign, Version: c.Version, Handler: "mgr.sh"})
	if _, ok := redress.ErrorFields(err)["handler"]; !ok {
		t.Fatalf("a handler outside the case's units must be refused: %v", err)
	}
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionEscalate, Reason: "涉及金额较大"})
	_, err = f.cases.Act(f.as("mgr.bj"), c.No, redress.ActionRequest{Action: redress.ActionEscalate, Version: c.Version, Reason: "超出分行权限"})
	wantCode(t, err, redress.EFORBIDDEN) // only the branch head or HQ escalates to head office
	c = f.act(t, "head.bj", c, redress.ActionRequest{Action: redress.ActionEscalate, Reason: "超出分行权限"})
	if c.Level != 4 || c.Org != "HQ" || c.OriginOrg != "BJ-HD-01" || c.Handler != "" {
		t.Fatalf("at head office: level %d org %s origin %s handler %q", c.Level, c.Org, c.OriginOrg, c.Handler)
	}
	if _, err := f.cases.Case(f.as("staff.bj"), c.No); err != nil {
		t.Fatalf("the registering outlet still sees its case: %v", err)
	}
	c = f.act(t, "hq.svc", c, redress.ActionRequest{Action: redress.ActionAssign, Handler: "hq.svc"})
	_, err = f.cases.Act(f.as("hq.svc"), c.No, redress.ActionRequest{Action: redress.ActionEscalate, Version: c.Version, Reason: "再升级"})
	wantCode(t, err, redress.ECONFLICT)
}

func TestRecusal(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	n := sampleCase()
	n.Respondent = redress.Respondent{Org: "BJ-HD-01", Staff: "staff2.bj"}
	c, err := f.cases.CreateCase(f.as("staff.bj"), n)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.cases.Act(f.as("mgr.bj"), c.No, redress.ActionRequest{Action: redress.ActionAccept, Version: 1, Handler: "staff2.bj"})
	if p := redress.ErrorFields(err)["handler"]; !strings.Contains(p, "recuse") {
		t.Fatalf("the staff member complained about cannot handle the case: %v", err)
	}
}

func TestScope(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.register(t, "staff.bj")
	for _, login := range []string{"mgr.bj", "head.bj", "hq.svc", "auditor", "staff2.bj"} {
		if _, err := f.cases.Case(f.as(login), c.No); err != nil {
			t.Errorf("%s should see the case: %v", login, err)
		}
	}
	_, err := f.cases.Case(f.as("mgr.sh"), c.No)
	wantCode(t, err, redress.ENOTFOUND)
	_, err = f.cases.Act(f.as("mgr.sh"), c.No, redress.ActionRequest{Action: redress.ActionAccept, Version: 1})
	wantCode(t, err, redress.ENOTFOUND)
	_, err = f.cases.CaseEvents(f.as("mgr.sh"), c.No)
	wantCode(t, err, redress.ENOTFOUND)
	_, err = f.cases.Case(f.as("admin"), c.No)
	wantCode(t, err, redress.EFORBIDDEN)
	page, err := f.cases.ListCases(f.as("mgr.sh"), redress.CaseFilter{})
	if err != nil || len(page.Cases) != 0 {
		t.Fatalf("SH lists BJ cases: %d %v", len(page.Cases), err)
	}
	page, err = f.cases.ListCases(f.as("head.bj"), redress.CaseFilter{})
	if err != nil || len(page.Cases) != 1 {
		t.Fatalf("BJ-HD lists its case: %d %v", len(page.Cases), err)
	}
	_, err = f.cases.Case(f.as("mgr.bj"), "TS20991231-99999")
	wantCode(t, err, redress.ENOTFOUND)
	_, err = f.cases.Case(f.as("mgr.bj"), "'; DROP TABLE cases; --")
	wantCode(t, err, redress.ENOTFOUND)
}

func TestVersionConflict(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.register(t, "staff.bj")
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionAccept})
	_, err := f.cases.Act(f.as("head.bj"), c.No, redress.ActionRequest{Action: redress.ActionAssign, Version: 1, Handler: "staff2.bj"})
	if redress.ErrorCode(err) != redress.ECONFLICT || !strings.Contains(err.Error(), "accept by mgr.bj") {
		t.Fatalf("a stale version must name the last change: %v", err)
	}
	// Two people act on the same version at once: exactly one wins.
	var wg sync.WaitGroup
	results := make(chan error, 2)
	for _, who := range []string{"mgr.bj", "head.bj"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.cases.Act(f.as(who), c.No, redress.ActionRequest{Action: redress.ActionInvestigate, Version: c.Version, Text: "由 " + who + " 调查"})
			results <- err
		}()
	}
	wg.Wait()
	close(results)
	won, lost := 0, 0
	for err := range results {
		switch redress.ErrorCode(err) {
		case "":
			won++
		case redress.ECONFLICT:
			lost++
		default:
			t.Fatalf("unexpected %v", err)
		}
	}
	got, _ := f.cases.Case(f.as("mgr.bj"), c.No)
	if won != 1 || lost != 1 || len(got.Findings) != 1 || got.Version != c.Version+1 {
		t.Fatalf("won %d lost %d findings %d version %d", won, lost, len(got.Findings), got.Version)
	}
}

func TestConcurrentIntakeNumbers(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	seen := map[string]bool{}
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := f.cases.CreateCase(f.as([]string{"staff.bj", "staff2.bj"}[i%2]), sampleCase())
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if seen[c.No] {
				t.Errorf("duplicate tracking number %s", c.No)
			}
			seen[c.No] = true
		}()
	}
	wg.Wait()
	if len(seen) != 40 || !seen["TS20261120-00040"] {
		t.Fatalf("%d numbers", len(seen))
	}
}

func TestListFiltersAndPaging(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for day := 1; day <= 12; day++ {
		n := sampleCase()
		n.ReceivedAt = time.Date(2026, 11, day, 9, 0, 0, 0, redress.Beijing)
		if day%3 == 0 {
			n.Kind, n.Channel = redress.KindPetition, redress.ChannelLetter
		}
		if _, err := f.cases.CreateCase(f.as("staff.bj"), n); err != nil {
			t.Fatal(err)
		}
	}
	ctx := f.as("mgr.bj")
	var all []string
	cursor := ""
	for pages := 0; ; pages++ {
		page, err := f.cases.ListCases(ctx, redress.CaseFilter{Limit: 5, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Cases {
			all = append(all, c.No)
		}
		if page.NextCursor == "" {
			if pages != 2 {
				t.Fatalf("12 cases in pages of 5 take 3 pages, got %d", pages+1)
			}
			break
		}
		cursor = page.NextCursor
	}
	if len(all) != 12 || all[0] != "XF20261112-00001" || all[11] != "TS20261101-00001" {
		t.Fatalf("newest first: %v", all)
	}
	count := func(filter redress.CaseFilter) int {
		t.Helper()
		page, err := f.cases.ListCases(ctx, filter)
		if err != nil {
			t.Fatal(err)
		}
		return len(page.Cases)
	}
	yes, no := true, false
	checks := []struct {
		name   string
		filter redress.CaseFilter
		want   int
	}{
		{"kind", redress.CaseFilter{Kind: redress.KindPetition}, 4},
		{"channel", redress.CaseFilter{Channel: redress.ChannelCounter}, 8},
		{"status", redress.CaseFilter{Status: []redress.Status{redress.StatusRegistered}}, 12},
		{"status none", redress.CaseFilter{Status: []redress.Status{redress.StatusClosed}}, 0},
		{"org subtree", redress.CaseFilter{Org: "BJ"}, 12},
		{"other org", redress.CaseFilter{Org: "SH"}, 0},
		{"received range", redress.CaseFilter{ReceivedFrom: "2026-11-03", ReceivedTo: "2026-11-05"}, 3},
		// Complaints received 1, 2, 4, 5 Nov were due 16-20 Nov; today is 21 Nov.
		// The petition of 3 Nov runs the 60-day handling clock.
		{"overdue", redress.CaseFilter{Overdue: &yes}, 4},
		{"not overdue", redress.CaseFilter{Overdue: &no}, 8},
		{"level", redress.CaseFilter{Level: 1}, 12},
		{"handler", redress.CaseFilter{Handler: "mgr.bj"}, 0},
	}
	for _, c := range checks {
		if got := count(c.filter); got != c.want {
			t.Errorf("%s: got %d, want %d", c.name, got, c.want)
		}
	}
	for _, bad := range []redress.CaseFilter{{Kind: "x"}, {Status: []redress.Status{"x"}}, {Limit: 500},
		{Cursor: "not-a-cursor"}, {ReceivedFrom: "yesterday"}, {Level: 9}} {
		if _, err := f.cases.ListCases(ctx, bad); redress.ErrorCode(err) != redress.EINVALID {
			t.Errorf("%+v: want invalid, got %v", bad, err)
		}
	}
}

func TestPersonalDataNotStoredInClear(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.register(t, "staff.bj")
	if err := f.db.Close(); err != nil { // checkpoint the WAL into the file
		t.Fatal(err)
	}
	raw := testEngine.Contents(t, f.dsn)
	if !bytes.Contains(raw, []byte("理财产品收益与宣传不符")) {
		t.Fatal("the database's contents do not show the case's subject: the check below would prove nothing")
	}
	for _, secret := range []string{"110101199003071234", "13812345678", "6222021234567890123"} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("the %s database holds %s in clear", testEngine.Name, secret)
		}
	}
}

func TestAuditTampering(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		sql      string
		firstBad string
	}{
		{"edited", `UPDATE events SET actor = 'someone.else' WHERE seq = 14`, "14"},
		{"deleted", `DELETE FROM events WHERE seq = 14`, "14"},
		{"deleted last", `DELETE FROM events WHERE seq = (SELECT MAX(seq) FROM events)`, "15"},
		{"reordered", `UPDATE events SET seq = 1000 WHERE seq = 13; UPDATE events SET seq = 13 WHERE seq = 14;
			UPDATE events SET seq = 14 WHERE seq = 1000`, "13"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			c := f.register(t, "staff.bj")
			c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionAccept})
			f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionInvestigate, Text: "调查"})
			audit := NewAuditService(f.db)
			report, err := audit.VerifyAudit(f.as("auditor"))
			if err != nil || !report.OK || report.Events != 15 {
				t.Fatalf("before tampering: %+v %v", report, err)
			}
			if _, err := f.db.write.Exec(tt.sql); err != nil {
				t.Fatal(err)
			}
			report, err = audit.VerifyAudit(f.as("auditor"))
			if err != nil || report.OK || fmt.Sprint(report.FirstBad) != tt.firstBad {
				t.Fatalf("want first bad %s, got %+v %v", tt.firstBad, report, err)
			}
		})
	}
	f := newFixture(t)
	_, err := NewAuditService(f.db).VerifyAudit(f.as("staff.bj"))
	wantCode(t, err, redress.EFORBIDDEN)
}

// TestIntakeStatements: one registration costs a fixed, small number of
// statements (no savepoint: the batch runs its jobs straight), the codes checked (one query), the
// day's counter, the INSERT (which computes the case's repeat
// flags), the repeat flags carried onto the complainant's later cases
// (markLaterRepeats), the first deadline entry, the search document, and
// the audit event (head, event, head). Policies and calendar
// overrides come from the cache, and nothing is read back.
func TestIntakeStatements(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.register(t, "staff.bj") // warms the deadline cache
	before := f.db.statements.Load()
	f.register(t, "staff.bj")
	if got := f.db.statements.Load() - before; got != 9 {
		t.Fatalf("one intake ran %d statements, want 9", got)
	}
}

// TestIntakeAnswerIsTheStoredCase: intake answers with the case as written,
// without reading it back, and that answer is exactly what reading it back
// gives.
func TestIntakeAnswerIsTheStoredCase(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	n := sampleCase()
	n.Channel = redress.ChannelVisit
	n.Visit = &redress.Visit{Visitors: 6, Representatives: 2, IDChecked: true, IDType: redress.IDResident, IDCheckedBy: "王芳", SecurityChecked: true, SecurityCheckedBy: "李强"}
	n.Respondent = redress.Respondent{Org: "BJ-HD-01", Staff: "staff2.bj"}
	n.ReceivedAt = n.ReceivedAt.Add(123456789 * time.Nanosecond) // finer than the stored precision
	created, err := f.cases.CreateCase(f.as("staff.bj"), n)
	if err != nil {
		t.Fatal(err)
	}
	read, err := f.cases.Case(f.as("staff.bj"), created.No)
	if err != nil {
		t.Fatal(err)
	}
	answered, _ := json.Marshal(created)
	stored, _ := json.Marshal(read)
	if string(answered) != string(stored) {
		t.Fatalf("intake answered\n%s\nbut the stored case reads\n%s", answered, stored)
	}
}
