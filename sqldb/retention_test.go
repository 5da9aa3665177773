package sqldb

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"redress"
)

// retentionBank registers, on the fixture's day (2026-11), the cases the
// retention tests expire four years later: two closed complaints of 张三
// (the second a repeat of the first), with a note, a file and a contact;
// a closed petition of 张三; a closed complaint of 李四 (another ID and
// phone); and an open complaint of 王五. It returns them by name.
func retentionBank(t *testing.T, f *fixture) map[string]*redress.Case {
	t.Helper()
	evidence := NewEvidenceService(f.db)
	closeOne := func(n redress.NewCase, file string) *redress.Case {
		t.Helper()
		c, err := f.cases.CreateCase(f.as("staff.bj"), n)
		if err != nil {
			t.Fatal(err)
		}
		if file != "" {
			if _, err := evidence.AddEvidence(f.as("staff.bj"), c.No, redress.NewEvidence{Name: "张三身份证.pdf",
				ContentType: "application/pdf", Body: strings.NewReader(file), Note: "客户张三提供"}); err != nil {
				t.Fatal(err)
			}
		}
		notice := replyAt(f.clock)
		accept := redress.ActionRequest{Action: redress.ActionAccept}
		if n.Kind == redress.KindPetition {
			accept.Reply = redress.Reply{NoticeMethod: notice.NoticeMethod, NoticeAt: notice.NoticeAt, NoticeProof: notice.NoticeProof}
		}
		c = f.act(t, "mgr.bj", c, accept)
		c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionNote, Text: "张三来电，手机13812345678"})
		if n.Kind == redress.KindComplaint {
			c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionDetermine, Determination: determined})
		} else {
			c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionInvestigate, Text: "调阅业务档案"})
		}
		c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionReply, Reply: replyAt(f.clock)})
		c = f.act(t, "head.bj", c, redress.ActionRequest{Action: redress.ActionSignOff})
		return f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionClose, Satisfaction: redress.SatisfactionSatisfied})
	}
	other := sampleCase()
	other.Complainant = redress.Complainant{Name: "李四", IDType: redress.IDResident, IDNumber: "110101198502021111", Phone: "13900001111"}
	open := sampleCase()
	open.Complainant = redress.Complainant{Name: "王五", IDType: redress.IDResident, IDNumber: "110101197001012222", Phone: "13700002222"}
	petition := sampleCase()
	petition.Kind = redress.KindPetition
	petition.ReceivedAt = petition.ReceivedAt.Add(20 * time.Hour)
	repeat := sampleCase()
	repeat.ReceivedAt = repeat.ReceivedAt.Add(5 * time.Hour)
	cases := map[string]*redress.Case{
		"first":    closeOne(sampleCase(), "%PDF-1.4 张三的身份证"),
		"repeat":   closeOne(repeat, ""),
		"petition": closeOne(petition, ""),
		"other":    closeOne(other, "%PDF-1.4 李四"),
	}
	o, err := f.cases.CreateCase(f.as("staff.bj"), open)
	if err != nil {
		t.Fatal(err)
	}
	cases["open"] = o
	return cases
}

// statsNow is the statistics of 2026-11 and of 2026 as the auditor (head
// office) sees them, as JSON: what must not change.
func statsNow(t *testing.T, f *fixture) string {
	t.Helper()
	var out []string
	for _, q := range []redress.StatsQuery{{From: "2026-11-01", To: "2026-11-30"}, {From: "2026-01-01", To: "2026-12-31", Kind: redress.KindComplaint}} {
		st, err := f.statsOf("auditor", q)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := json.Marshal(st)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(raw))
	}
	return strings.Join(out, "\n")
}

func (f *fixture) verify(t *testing.T) {
	t.Helper()
	r, err := f.db.VerifyAuditAsOperator(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK {
		t.Fatalf("audit chain: %+v", r)
	}
}

func countOf(r *redress.RetentionReport, kind redress.RetentionKind) redress.RetentionCount {
	for _, k := range r.Kinds {
		if k.Kind == kind {
			return k
		}
	}
	return redress.RetentionCount{}
}

// TestRetentionAnonymisesAndKeepsFigures_DOMAIN6_PIPLArt19And47 (DOMAIN.md
// §6: kept at least 3 years after closure, then anonymised, never cascaded
// away; PIPL Art.19 保存期限应当为实现处理目的所必要的最短时间, Art.47 删除):
// four years on, the dry run counts what expired by kind and changes
// nothing; the run anonymises every closed case but the held one, deletes
// the evidence's bytes (keeping their hash), redacts the cases' audit
// events, leaves the open case alone, keeps every statistic of the period
// equal and the audit chain valid.
func TestRetentionAnonymisesAndKeepsFigures_DOMAIN6_PIPLArt19And47(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cases := retentionBank(t, f)
	svc := NewRetentionService(f.db)
	if _, err := svc.PlaceHold(f.as("mgr.bj"), cases["other"].No, redress.NewLegalHold{Reason: "诉讼保全：(2026)京0108民初123号"}); err != nil {
		t.Fatal(err)
	}
	f.clock = fixtureClock.AddDate(2, 0, 0)
	dry, err := svc.RunRetention(f.as("admin"), true)
	if err != nil {
		t.Fatal(err)
	}
	if dry.Total() != 0 {
		t.Fatalf("two years after closing nothing expires (3 years, DOMAIN.md §6): %+v", dry.Kinds)
	}
	f.clock = fixtureClock.AddDate(4, 0, 0)
	before := statsNow(t, f)
	if st, _ := f.statsOf("auditor", redress.StatsQuery{From: "2026-11-01", To: "2026-11-30"}); st.Repeat != 2 {
		t.Fatalf("张三's second complaint and petition are repeats: %d", st.Repeat)
	}
	head := f.count(t, `SELECT seq FROM audit_head`)
	dry, err = svc.RunRetention(f.as("admin"), true)
	if err != nil {
		t.Fatal(err)
	}
	if c := countOf(dry, redress.RetainComplaint); c.Expired != 2 || c.Held != 1 || c.Years != 3 {
		t.Fatalf("complaints: want 2 expired and 1 held, got %+v", c)
	}
	if c := countOf(dry, redress.RetainPetition); c.Expired != 1 {
		t.Fatalf("petitions: %+v", c)
	}
	if c := countOf(dry, redress.RetainEvidence); c.Expired != 1 || c.Held != 1 {
		t.Fatalf("evidence: %+v", c)
	}
	if f.count(t, `SELECT seq FROM audit_head`) != head || f.count(t, `SELECT COUNT(*) FROM cases WHERE anonymised_at IS NOT NULL`) != 0 {
		t.Fatal("the dry run changed the database")
	}

	run, err := svc.RunRetention(f.as("admin"), false)
	if err != nil {
		t.Fatal(err)
	}
	if run.Total() != dry.Total() || run.Files != 1 || run.Events == 0 {
		t.Fatalf("the run did other than its dry run: %+v vs %+v", run, dry)
	}
	if after := statsNow(t, f); after != before {
		t.Fatalf("the statistics changed:\nbefore %s\nafter  %s", before, after)
	}
	f.verify(t)

	for _, name := range []string{"first", "repeat", "petition"} {
		c, err := f.cases.Case(f.as("auditor"), cases[name].No)
		if err != nil {
			t.Fatal(err)
		}
		if c.AnonymisedAt == nil || c.Complainant.Name != redress.RetentionRedacted || c.Complainant.IDNumber != "" ||
			c.Complainant.Phone != "" || c.Complainant.Address != "" || c.Complainant.Email != "" || c.Description != redress.RetentionRedacted ||
			c.Reply.Facts != redress.RetentionRedacted || c.Reply.RedressPaid != "1200.00" || c.Status != redress.StatusClosed {
			t.Fatalf("%s not anonymised as it should be: %+v %+v", name, c.Complainant, c.Reply)
		}
		for _, n := range c.Notes {
			if n.Text != redress.RetentionRedacted {
				t.Fatalf("note kept: %q", n.Text)
			}
		}
	}
	// An index left on an anonymised case is a pseudonym (sqldb/retention.go
	// pseudonym), never the keyring's blind index of a number.
	if n := f.count(t, `SELECT COUNT(*) FROM cases WHERE anonymised_at IS NOT NULL AND (
		(c_id_number_idx <> '' AND c_id_number_idx NOT LIKE 'anon:%') OR (c_phone_idx <> '' AND c_phone_idx NOT LIKE 'anon:%')
		OR (c_account_idx <> '' AND c_account_idx NOT LIKE 'anon:%')
		OR c_id_number_enc <> '' OR c_phone_enc <> '' OR c_account_enc <> '' OR c_address_enc <> '' OR c_email_enc <> '')`); n != 0 {
		t.Fatalf("%d anonymised cases keep a sealed number or blind index", n)
	}
	kept, err := f.cases.Case(f.as("auditor"), cases["other"].No)
	if err != nil {
		t.Fatal(err)
	}
	if kept.AnonymisedAt != nil || kept.Complainant.Name != "李四" {
		t.Fatal("the held case was anonymised")
	}
	if open, _ := f.cases.Case(f.as("auditor"), cases["open"].No); open.AnonymisedAt != nil {
		t.Fatal("the open case was anonymised")
	}
	// The bytes are gone, the hash kept; the held case's file is whole.
	if n := f.count(t, `SELECT COUNT(*) FROM evidence_blobs WHERE purged_at IS NOT NULL AND length(content) = 0`); n != 1 {
		t.Fatalf("deleted files: %d", n)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM evidence WHERE purged_at IS NOT NULL AND sha256 <> '' AND name NOT LIKE '%张三%'`); n != 1 {
		t.Fatalf("deleted evidence rows: %d", n)
	}
	_, _, err = NewEvidenceService(f.db).EvidenceContent(f.as("auditor"), cases["first"].No, 1)
	wantCode(t, err, redress.ENOTFOUND)
	// No audit event of an anonymised case names the complainant any more.
	if n := f.count(t, `SELECT COUNT(*) FROM events WHERE case_no IN (?, ?, ?) AND (changes LIKE '%张三%' OR detail LIKE '%张三%'
		OR changes LIKE '%理财产品收益%')`, cases["first"].No, cases["repeat"].No, cases["petition"].No); n != 0 {
		t.Fatalf("%d events still hold the complainant's data", n)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM events WHERE case_no = ? AND changes LIKE '%李四%'`, cases["other"].No); n == 0 {
		t.Fatal("the held case's events were redacted")
	}
	if f.count(t, `SELECT COUNT(*) FROM events WHERE action = 'retention.run'`) != 1 ||
		f.count(t, `SELECT COUNT(*) FROM events WHERE action = 'case.anonymise'`) != 3 {
		t.Fatal("the anonymisation is not in the audit trail")
	}
	// A second run finds nothing more; an anonymised case takes no action.
	again, err := svc.RunRetention(f.as("admin"), false)
	if err != nil || again.Total() != 0 {
		t.Fatalf("second run: %+v %v", again, err)
	}
	c, _ := f.cases.Case(f.as("mgr.bj"), cases["first"].No)
	_, err = f.cases.Act(f.as("mgr.bj"), c.No, redress.ActionRequest{Action: redress.ActionReopen, Version: c.Version, Text: "客户再次来电", Reason: "客户再次来电"})
	wantCode(t, err, redress.ECONFLICT)
	f.verify(t)
}

// TestRedactedEventTamperingShows_PIPLArt47: a redacted event edited
// afterwards, or an event marked redacted that no anonymisation witnessed,
// breaks the chain's verification.
func TestRedactedEventTamperingShows_PIPLArt47(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.closeCase(t, false, redress.SatisfactionSatisfied)
	f.clock = fixtureClock.AddDate(4, 0, 0)
	if _, err := NewRetentionService(f.db).RunRetention(f.as("admin"), false); err != nil {
		t.Fatal(err)
	}
	f.verify(t)
	seq := f.count(t, `SELECT MIN(seq) FROM events WHERE case_no = ? AND redacted <> ''`, c.No)
	f.exec(t, `UPDATE events SET detail = 'edited' WHERE seq = ?`, seq)
	r, err := f.db.VerifyAuditAsOperator(context.Background())
	if err != nil || r.OK || r.FirstBad != int64(seq) {
		t.Fatalf("an edited redacted event must fail at %d: %+v %v", seq, r, err)
	}

	g := newFixture(t)
	g.register(t, "staff.bj")
	g.exec(t, `UPDATE events SET redacted = hash WHERE seq = (SELECT MAX(seq) FROM events)`)
	r, err = g.db.VerifyAuditAsOperator(context.Background())
	if err != nil || r.OK || !strings.Contains(r.Problem, "witness") {
		t.Fatalf("an unwitnessed redaction must fail: %+v %v", r, err)
	}
}

// TestRetentionPolicyIsAdminData_DOMAIN6: the periods are admin data, at
// least 3 years for cases and their evidence, every problem at once, audited;
// a shorter period for a register expires it sooner.
func TestRetentionPolicyIsAdminData_DOMAIN6(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	svc := NewRetentionService(f.db)
	p, err := svc.RetentionPolicy(f.as("staff.bj"))
	if err != nil || !reflect.DeepEqual(p, redress.DefaultRetentionPolicy()) {
		t.Fatalf("default policy: %v %v", p, err)
	}
	_, err = svc.SetRetentionPolicy(f.as("mgr.bj"), redress.RetentionPolicy{redress.RetainComplaint: 5})
	wantCode(t, err, redress.EFORBIDDEN)
	_, err = svc.SetRetentionPolicy(f.as("admin"), redress.RetentionPolicy{redress.RetainComplaint: 2, redress.RetainEvidence: 0, "nope": 3})
	if p := redress.ErrorProblems(err); len(p) != 3 {
		t.Fatalf("want three problems at once, got %v", err)
	}
	saved, err := svc.SetRetentionPolicy(f.as("admin"), redress.RetentionPolicy{redress.RetainComplaint: 5, redress.RetainLost: 1})
	if err != nil || saved[redress.RetainComplaint] != 5 || saved[redress.RetainPetition] != 3 {
		t.Fatalf("saved: %v %v", saved, err)
	}
	if f.count(t, `SELECT COUNT(*) FROM events WHERE action = 'system.set_retention_policy'`) != 1 {
		t.Fatal("not audited")
	}
	f.closeCase(t, false, redress.SatisfactionSatisfied)
	f.clock = fixtureClock.AddDate(4, 0, 0)
	r, err := svc.RunRetention(f.as("admin"), true)
	if err != nil || countOf(r, redress.RetainComplaint).Expired != 0 || countOf(r, redress.RetainComplaint).Years != 5 {
		t.Fatalf("5 years: a case closed 4 years ago is kept: %+v %v", r, err)
	}
	_, err = svc.RunRetention(f.as("mgr.bj"), true)
	wantCode(t, err, redress.EFORBIDDEN)
}

// TestHoldsAndErasure_PIPLArt47: a hold on a complainant (by the blind index
// of the ID) keeps every case of the person; erasure is refused while a hold
// stands or a case is open, with the reason, and runs once both are gone:
// every case of the person anonymised at once, the chain still valid.
func TestHoldsAndErasure_PIPLArt47(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cases := retentionBank(t, f)
	svc := NewRetentionService(f.db)
	person := redress.NewLegalHold{IDNumber: "110101199003071234", Reason: "监管调查"}
	_, err := svc.PlaceHold(f.as("mgr.bj"), "", person)
	wantCode(t, err, redress.EFORBIDDEN)
	hold, err := svc.PlaceHold(f.as("hq.svc"), "", person)
	if err != nil {
		t.Fatal(err)
	}
	if hold.Person != "110***********1234" || hold.Scope != redress.HoldComplainant {
		t.Fatalf("hold: %+v", hold)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM events WHERE changes LIKE '%110101199003071234%' OR detail LIKE '%110101199003071234%'`); n != 0 {
		t.Fatal("the ID number reached the audit trail")
	}
	f.clock = fixtureClock.AddDate(4, 0, 0)
	r, err := svc.RunRetention(f.as("admin"), true)
	if err != nil || countOf(r, redress.RetainComplaint).Expired != 1 || countOf(r, redress.RetainComplaint).Held != 2 ||
		countOf(r, redress.RetainPetition).Held != 1 {
		t.Fatalf("the person's hold keeps all three of 张三's cases: %+v %v", r.Kinds, err)
	}
	erase := redress.ErasureRequest{Phone: "13812345678", Reason: "客户申请删除 2026-0042"}
	_, err = svc.Erase(f.as("hq.svc"), erase)
	if redress.ErrorCode(err) != redress.ECONFLICT || !strings.Contains(err.Error(), "legal hold") {
		t.Fatalf("erasure under a hold: %v", err)
	}
	_, err = svc.ReleaseHold(f.as("mgr.bj"), hold.ID, redress.HoldRelease{Reason: "调查结束"})
	wantCode(t, err, redress.EFORBIDDEN)
	_, err = svc.ReleaseHold(f.as("hq.svc"), hold.ID, redress.HoldRelease{})
	wantCode(t, err, redress.EINVALID)
	if _, err := svc.ReleaseHold(f.as("hq.svc"), hold.ID, redress.HoldRelease{Reason: "调查结束"}); err != nil {
		t.Fatal(err)
	}
	_, err = svc.ReleaseHold(f.as("hq.svc"), hold.ID, redress.HoldRelease{Reason: "again"})
	wantCode(t, err, redress.ECONFLICT)

	// An open case of the person refuses the erasure.
	n := sampleCase()
	n.ReceivedAt = f.clock
	if _, err := f.cases.CreateCase(f.as("staff.bj"), n); err != nil {
		t.Fatal(err)
	}
	_, err = svc.Erase(f.as("hq.svc"), erase)
	if redress.ErrorCode(err) != redress.ECONFLICT || !strings.Contains(err.Error(), "open") {
		t.Fatalf("erasure with an open case: %v", err)
	}
	_, err = svc.Erase(f.as("mgr.bj"), erase)
	wantCode(t, err, redress.EFORBIDDEN)
	_, err = svc.Erase(f.as("hq.svc"), redress.ErasureRequest{Phone: "13000000000", Reason: "x"})
	wantCode(t, err, redress.ENOTFOUND)

	// 王五's case closed, his erasure runs.
	open := cases["open"]
	open = f.act(t, "mgr.bj", open, redress.ActionRequest{Action: redress.ActionWithdraw, Reason: "客户撤回"})
	done, err := svc.Erase(f.as("hq.svc"), redress.ErasureRequest{IDNumber: "110101197001012222", Reason: "客户申请删除 2026-0043"})
	if err != nil || len(done.Cases) != 1 || done.Cases[0] != open.No {
		t.Fatalf("erasure: %+v %v", done, err)
	}
	c, _ := f.cases.Case(f.as("auditor"), open.No)
	if c.AnonymisedAt == nil || c.Complainant.Name != redress.RetentionRedacted {
		t.Fatal("not erased")
	}
	f.verify(t)
	// 张三's erasure, the hold released: his hold's reason and masked number go with his cases.
	if _, err := svc.Erase(f.as("hq.svc"), erase); redress.ErrorCode(err) != redress.ECONFLICT {
		t.Fatalf("张三 still has an open case: %v", err)
	}
	f.exec(t, `UPDATE cases SET status = 'withdrawn', closed_at = ? WHERE status NOT IN ('closed', 'withdrawn', 'rejected')`, timeText(f.clock))
	if done, err = svc.Erase(f.as("hq.svc"), erase); err != nil || len(done.Cases) != 4 {
		t.Fatalf("张三's erasure: %+v %v", done, err)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM legal_holds WHERE person_masked LIKE '110%' OR reason = '监管调查' OR person_idx <> ''`); n != 0 {
		t.Fatal("the person's hold kept its reason or number")
	}
	if n := f.count(t, `SELECT COUNT(*) FROM events WHERE subject_kind = 'hold' AND (changes LIKE '%110*%' OR detail = '监管调查')`); n != 0 {
		t.Fatal("the hold's events kept the masked number or the reason")
	}
	f.verify(t)
	// A case hold is shown with its case and blocks nothing else.
	holds, err := svc.Holds(f.as("staff.bj"), cases["other"].No)
	if err != nil || len(holds) != 0 {
		t.Fatalf("holds: %v %v", holds, err)
	}
	_, err = svc.PlaceHold(f.as("mgr.sh"), cases["other"].No, redress.NewLegalHold{Reason: "x"})
	wantCode(t, err, redress.ENOTFOUND)
	_, err = svc.PlaceHold(f.as("mgr.bj"), open.No, redress.NewLegalHold{Reason: "x"})
	wantCode(t, err, redress.ECONFLICT)
}
