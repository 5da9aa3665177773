package sqldb

import (
	"context"
	"strings"
	"testing"

	"redress"
)

// archiveRefusal reports whether err is the archive's refusal.
func archiveRefusal(err error) bool {
	return redress.ErrorCode(err) == redress.ECONFLICT && strings.Contains(redress.ErrorMessage(err), "was archived")
}

// TestArchivedFileImmutableOnEveryWritePath_Order3Art18 closes a case and
// then walks every write the store has — every lifecycle action by every
// case role, and every other write of redress.CaseWrites — against it:
// what redress.ArchiveAllows refuses is refused by the store with the
// archive's reason and changes neither the case's version nor its
// evidence; the additions the rules allow after closure pass the archive
// rule. A write kind added to CaseWrites without a path here fails.
func TestArchivedFileImmutableOnEveryWritePath_Order3Art18(t *testing.T) {
	t.Parallel()
	f := repeatFixture(t)
	c := f.closeCase(t, false, redress.SatisfactionSatisfied)
	if c.ArchivedAt == nil {
		t.Fatal("closing did not archive the case")
	}
	ctx := f.as("mgr.bj")
	version := c.Version
	unchanged := func(what string) {
		t.Helper()
		now, err := f.cases.Case(ctx, c.No)
		if err != nil {
			t.Fatal(err)
		}
		if now.Version != version {
			t.Fatalf("%s changed the archived case (version %d → %d)", what, version, now.Version)
		}
	}
	for _, a := range redress.CaseActions() {
		if redress.ArchiveAllows(redress.ActionWrite(a)) {
			continue
		}
		for _, login := range []string{"staff.bj", "mgr.bj", "head.bj", "hq.svc"} {
			_, err := f.cases.Act(f.as(login), c.No, redress.ActionRequest{Action: a, Version: version, Text: "x", Reason: "原因说明"})
			if err == nil {
				t.Fatalf("%s by %s was accepted on an archived case", a, login)
			}
			unchanged(string(a))
		}
		if err := redress.CaseRules(a, c, f.users["mgr.bj"]); !archiveRefusal(err) {
			t.Errorf("%s: the guard does not name the archive: %v", a, err)
		}
	}
	other := f.register(t, "staff.bj")
	repeats := NewRepeatService(f.db)
	var referral int64
	paths := map[redress.CaseWrite]func() error{
		redress.WriteEvidence: func() error {
			_, err := NewEvidenceService(f.db).AddEvidence(ctx, c.No, redress.NewEvidence{Name: "补充.pdf", Body: strings.NewReader("%PDF-1.4")})
			return err
		},
		redress.WriteCustomerNotice: func() error {
			_, err := NewCustomerNoticeService(f.db).SendNotice(ctx, c.No, redress.NoticeRequest{Kind: redress.NoticeDecision, Method: redress.NoticeLetter})
			return err
		},
		redress.WriteReferral: func() error {
			r, err := NewReferralService(f.db).Refer(ctx, c.No, redress.NewReferral{Kind: redress.ReferralMediation, Body: "北京银行业纠纷调解中心",
				SentOn: redress.Today(f.clock)})
			if r != nil {
				referral = r.ID
			}
			return err
		},
		redress.WriteReferralAnswer: func() error {
			_, err := NewReferralService(f.db).AnswerReferral(ctx, c.No, referral, redress.ReferralAnswer{AnsweredOn: redress.Today(f.clock),
				Outcome: redress.ReferralFailed})
			return err
		},
		redress.WriteEscalation: func() error {
			row, err := f.db.loadCaseRow(context.Background(), f.db.reads(), c.No)
			if err != nil {
				return err
			}
			return f.db.inTx(context.Background(), func(tx *Tx) error {
				return f.db.escalateOverdue(context.Background(), tx, f.clock, row, redress.DueDecision, redress.DateOf(f.clock))
			})
		},
		redress.WriteMerge: func() error {
			_, err := repeats.Merge(f.as("staff.bj"), c.No, mergeReq(other, version))
			return err
		},
		redress.WriteUnmerge: func() error {
			_, err := repeats.Unmerge(f.as("staff.bj"), c.No, redress.UnmergeRequest{Version: version, Reason: "并非同一事项"})
			return err
		},
		redress.WriteLink: func() error {
			_, err := repeats.Link(f.as("staff.bj"), c.No, redress.LinkRequest{To: other.No})
			return err
		},
		redress.WriteLinkFrom: func() error {
			_, err := repeats.Link(f.as("staff.bj"), other.No, redress.LinkRequest{To: c.No})
			return err
		},
		// The customer's rating and survey answer, a corrective action's
		// link and a key rotation reach the case through paths that need a
		// portal session, a survey token or a key file: the rule they call
		// is checked here, and their own tests drive them.
		redress.WriteRating:         func() error { return redress.ArchiveRule(c, redress.WriteRating) },
		redress.WriteSurveyAnswer:   func() error { return redress.ArchiveRule(c, redress.WriteSurveyAnswer) },
		redress.WriteCorrectiveLink: func() error { return redress.ArchiveRule(c, redress.WriteCorrectiveLink) },
		redress.WriteKeyRotation:    func() error { return redress.ArchiveRule(c, redress.WriteKeyRotation) },
	}
	for _, w := range redress.CaseWrites {
		path, ok := paths[w]
		if !ok {
			t.Fatalf("write %s has no path in this walk", w)
		}
		err := path()
		if redress.ArchiveAllows(w) {
			if err != nil {
				t.Errorf("%s is an addition the rules allow after closure, refused: %v", w, err)
			}
			continue
		}
		if !archiveRefusal(err) {
			t.Errorf("%s on an archived case: want the archive's refusal, got %v", w, err)
		}
		unchanged(string(w))
	}
	ev, err := NewEvidenceService(f.db).ListEvidence(ctx, c.No)
	if err != nil {
		t.Fatal(err)
	}
	if len(ev) != 0 {
		t.Errorf("the archived file took evidence: %d files", len(ev))
	}
}

// TestArchivedFileAsAtClosing_Order3Art18 reads the file as it was at
// closing: a correction note added afterwards is on the case (marked as
// added after archiving) but not in the snapshot; a reopen takes the case
// out of the archive and the next closing keeps a new snapshot.
func TestArchivedFileAsAtClosing_Order3Art18(t *testing.T) {
	t.Parallel()
	f := repeatFixture(t)
	c := f.closeCase(t, false, redress.SatisfactionSatisfied)
	archive := NewArchiveService(f.db)
	if _, err := archive.ArchivedFile(f.as("mgr.bj"), f.register(t, "staff.bj").No); redress.ErrorCode(err) != redress.ENOTFOUND {
		t.Fatalf("an open case has an archived file: %v", err)
	}
	f.clock = f.clock.Add(3600e9)
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionNote, Text: "更正：客户姓名笔误"})
	snap, err := archive.ArchivedFile(f.as("mgr.bj"), c.No)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Status != redress.StatusClosed || snap.Case.No != c.No || len(snap.Case.Notes) != 0 || snap.Case.Reply == nil {
		t.Fatalf("snapshot: status %s notes %d reply %v", snap.Status, len(snap.Case.Notes), snap.Case.Reply)
	}
	if len(c.Notes) != 1 || !c.AddedAfterArchive(c.Notes[0].At) {
		t.Fatalf("the note is not marked as added after archiving: %+v (archived %v)", c.Notes, c.ArchivedAt)
	}
	if _, err := archive.ArchivedFile(f.as("mgr.sh"), c.No); redress.ErrorCode(err) != redress.ENOTFOUND {
		t.Errorf("out of scope: %v", err)
	}
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionReopen, Reason: "客户提出新诉求"})
	if c.ArchivedAt != nil {
		t.Fatal("a reopened case is still archived")
	}
	if n := f.count(t, `SELECT COUNT(*) FROM case_archives a JOIN cases c ON c.id = a.case_id WHERE c.no = ?`, c.No); n != 1 {
		t.Errorf("%d snapshots, want 1", n)
	}
}
