package redress

import (
	"strings"
	"testing"
	"time"
)

func TestTextSimilarity(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b     string
		min, max float64
	}{
		{"理财产品收益与宣传不符", "理财产品收益与宣传不符", 1, 1},
		{"理财产品收益与宣传不符", "购买的理财产品收益低于宣传", 0.4, 0.8},
		{"理财产品收益与宣传不符", "信用卡年费争议", 0, 0},
		{"", "理财", 0, 0},
		{"ATM 吞卡", "atm吞卡", 0.6, 1},
	} {
		if got := TextSimilarity(tc.a, tc.b); got < tc.min || got > tc.max {
			t.Errorf("TextSimilarity(%q, %q) = %.2f, want %.2f–%.2f", tc.a, tc.b, got, tc.min, tc.max)
		}
	}
}

func TestScoreRepeatEachReason(t *testing.T) {
	t.Parallel()
	d := &RepeatDraft{Subject: "理财产品收益与宣传不符"}
	c := &Case{Subject: "信用卡年费", Respondent: Respondent{Org: "BJ-01", Staff: "teller"}}
	for _, tc := range []struct {
		facts RepeatFacts
		text  string
		score int
		why   []RepeatReason
	}{
		{RepeatFacts{SameID: true}, "", 40, []RepeatReason{RepeatSameID}},
		{RepeatFacts{SameAccount: true}, "", 30, []RepeatReason{RepeatSameAccount}},
		{RepeatFacts{SamePhone: true}, "", 25, []RepeatReason{RepeatSamePhone}},
		{RepeatFacts{SameRespondent: true}, "", 10, []RepeatReason{RepeatSameRespondent}},
		{RepeatFacts{}, "理财产品收益与宣传不符", 30, []RepeatReason{RepeatSimilarText}},
		{RepeatFacts{SameID: true, SamePhone: true, SameStaff: true}, "", 75, []RepeatReason{RepeatSameID, RepeatSamePhone, RepeatSameRespondent}},
		{RepeatFacts{}, "", 0, nil},
	} {
		cand := *c
		if tc.text != "" {
			cand.Subject = tc.text
		}
		score, why := ScoreRepeat(d, &cand, tc.facts)
		var got []RepeatReason
		for _, m := range why {
			got = append(got, m.Reason)
		}
		if score != tc.score || strings.Join(strs(got), ",") != strings.Join(strs(tc.why), ",") {
			t.Errorf("%+v %q: %d %v, want %d %v", tc.facts, tc.text, score, got, tc.score, tc.why)
		}
	}
}

func strs[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// TestMergeRule_Order3Art18 is the table of a merge: a repeat complaint
// within the handling period may be merged (CBIRC Order 2020 No.3 Art.18);
// a re-examined petition never (信访工作条例 Art.36).
func TestMergeRule_Order3Art18(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, Beijing)
	open := func(no string) *Case {
		return &Case{No: no, Kind: KindComplaint, Status: StatusAccepted, DecisionDue: "2026-12-05"}
	}
	decided := time.Date(2026, 11, 20, 10, 0, 0, 0, Beijing)
	for _, tc := range []struct {
		name     string
		change   func(r, s *Case)
		code, in string
	}{
		{"within the period", func(r, s *Case) {}, "", ""},
		{"itself", func(r, s *Case) { r.No = s.No }, EINVALID, "itself"},
		{"handling period ended", func(r, s *Case) { s.DecisionDue = "2026-11-20" }, ECONFLICT, "Art.18"},
		{"survivor decided", func(r, s *Case) { s.Status = StatusReplied }, ECONFLICT, "Art.18"},
		{"repeat closed", func(r, s *Case) { r.Status = StatusClosed }, ECONFLICT, "only an open case"},
		{"already merged", func(r, s *Case) { r.MergedInto = "TS20261101-00001" }, ECONFLICT, "already merged"},
		{"survivor merged", func(r, s *Case) { s.MergedInto = "TS20261101-00001" }, ECONFLICT, "merge into that case"},
		{"repeat is a survivor", func(r, s *Case) { r.Merged = []string{"TS20261101-00002"} }, ECONFLICT, "surviving case"},
		{"other kind", func(r, s *Case) { s.Kind = KindPetition }, ECONFLICT, "own kind"},
		{"re-examined petition", func(r, s *Case) {
			r.Kind, s.Kind = KindPetition, KindPetition
			s.Reviews = []Review{{Kind: ReviewRecheck, DecidedAt: &decided}, {Kind: ReviewReexamine, Org: "HQ", DecidedAt: &decided}}
			s.Review = &s.Reviews[1]
		}, ECONFLICT, "Art.36"},
	} {
		r, s := open("TS20261121-00002"), open("TS20261120-00001")
		tc.change(r, s)
		err := MergeRule(r, s, now)
		if ErrorCode(err) != tc.code || (tc.in != "" && !strings.Contains(ErrorMessage(err), tc.in)) {
			t.Errorf("%s: %v, want %s %q", tc.name, err, tc.code, tc.in)
		}
	}
}

func TestMergedCaseClocksFollowSurvivor_Order3Art18(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, Beijing)
	c := &Case{No: "TS20261101-00001", Kind: KindComplaint, Status: StatusAccepted, DecisionDue: "2026-11-16", ReplyDue: "2026-11-04",
		DecisionClock: "complaint_15d"}
	c.MarkOverdue(now)
	if !c.Overdue {
		t.Fatal("its own clock is overdue before the merge")
	}
	c.MergedInto = "TS20261120-00001"
	c.MarkOverdue(now)
	if c.Overdue || c.ReplyOverdue || c.ClockRunning(DueDecision) {
		t.Fatal("a merged case's own clocks run")
	}
	for _, tc := range []struct {
		a  Action
		ok bool
	}{{ActionNote, true}, {ActionWithdraw, true}, {ActionAccept, false}, {ActionReply, false}, {ActionExtend, false}} {
		if err := mergeCaseRule(tc.a, c); (err == nil) != tc.ok {
			t.Errorf("%s on a merged case: %v", tc.a, err)
		}
	}
	s := &Case{No: "TS20261120-00001", Status: StatusClosed, Merged: []string{c.No}}
	if !CloseWithSurvivor(c, s, now) || c.Status != StatusClosed || !strings.Contains(c.EndReason, s.No) {
		t.Fatalf("closed with the survivor: %s %q", c.Status, c.EndReason)
	}
	if err := mergeCaseRule(ActionWithdraw, s); err == nil {
		t.Error("a survivor with merged cases was withdrawn")
	}
	if err := UnmergeRule(c); ErrorCode(err) != ECONFLICT {
		t.Errorf("a closed merged case unmerged: %v", err)
	}
}

func TestRepeatPolicyAndDraft(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, Beijing)
	for _, tc := range []struct {
		days int
		ok   bool
	}{{0, false}, {1, true}, {180, true}, {1095, true}, {1096, false}} {
		p := RepeatPolicy{WindowDays: tc.days}
		if err := p.Validate(); (err == nil) != tc.ok {
			t.Errorf("%d days: %v", tc.days, err)
		}
	}
	if got := DefaultRepeatPolicy().Since(now); got.Format("2006-01-02") != "2026-05-25" {
		t.Errorf("180 days before 2026-11-21: %s", got)
	}
	for _, tc := range []struct {
		d     RepeatDraft
		field string
	}{
		{RepeatDraft{}, "complainant"},
		{RepeatDraft{Subject: "理财", Kind: "nope"}, "kind"},
		{RepeatDraft{Subject: "理财", ReceivedAt: now.AddDate(0, 0, 2)}, "received_at"},
		{RepeatDraft{Complainant: Complainant{Phone: strings.Repeat("1", 41)}}, "complainant.phone"},
		{RepeatDraft{Complainant: Complainant{Phone: "13812345678"}}, ""},
	} {
		err := tc.d.Validate(now)
		if _, bad := ErrorFields(err)[tc.field]; (tc.field == "" && err != nil) || (tc.field != "" && !bad) {
			t.Errorf("%+v: %v, want a problem on %q", tc.d, err, tc.field)
		}
	}
}

// TestArchiveRule_Order3Art18 is the table of what an archived file still
// takes: the additions the rules allow after closure and nothing else; a
// file not archived takes every write.
func TestArchiveRule_Order3Art18(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 21, 10, 0, 0, 0, Beijing)
	closed := &Case{No: "TS20261120-00001", Status: StatusClosed, ArchivedAt: &at}
	open := &Case{No: "TS20261120-00002", Status: StatusInvestigating}
	allowed := map[CaseWrite]bool{ActionWrite(ActionNote): true, ActionWrite(ActionReturnVisit): true,
		ActionWrite(ActionRequestReview): true, ActionWrite(ActionDecideReview): true,
		ActionWrite(ActionRecordRegulatorFinding): true, ActionWrite(ActionReopen): true,
		WriteCustomerNotice: true, WriteReferral: true, WriteReferralAnswer: true, WriteRating: true, WriteSurveyAnswer: true,
		WriteLinkFrom: true, WriteCorrectiveLink: true, WriteKeyRotation: true}
	var writes []CaseWrite
	for _, a := range CaseActions() {
		writes = append(writes, ActionWrite(a))
	}
	writes = append(writes, CaseWrites...)
	for _, w := range writes {
		err := ArchiveRule(closed, w)
		if (err == nil) != allowed[w] {
			t.Errorf("%s on an archived file: %v", w, err)
		}
		if err != nil && (!strings.Contains(ErrorMessage(err), "archived") || !strings.Contains(ErrorMessage(err), "2026-11-21 10:00")) {
			t.Errorf("%s: the refusal does not say when the file was archived: %v", w, err)
		}
		if err := ArchiveRule(open, w); err != nil {
			t.Errorf("%s on an open case: %v", w, err)
		}
	}
	// The lifecycle itself offers nothing else on an archived status.
	for _, a := range CaseActions() {
		for _, s := range ArchivedStatuses {
			if _, err := Transition(a, s, RoleHQService, true); err == nil && !ArchiveAllows(ActionWrite(a)) {
				t.Errorf("the lifecycle allows %s on %s and the archive refuses it: one of them is wrong", a, s)
			}
		}
	}
	c := &Case{Status: StatusSignedOff}
	c.Status = StatusClosed
	if !FollowArchive(c, StatusSignedOff, at) || c.ArchivedAt == nil || !c.AddedAfterArchive(at.Add(time.Minute)) || c.AddedAfterArchive(at) {
		t.Fatalf("archiving at closing: %v", c.ArchivedAt)
	}
	c.Status = StatusInvestigating
	if FollowArchive(c, StatusClosed, at) || c.ArchivedAt != nil {
		t.Fatal("a reopen keeps the case archived")
	}
}
