package redress

import (
	"strings"
	"testing"
	"time"
)

// TestRetentionPolicy_DOMAIN6 (DOMAIN.md §6: retention configurable per
// record type, default at least 3 years after closure): the defaults, the
// minimums, unknown kinds, and the cutoff in Beijing's calendar.
func TestRetentionPolicy_DOMAIN6(t *testing.T) {
	t.Parallel()
	d := DefaultRetentionPolicy()
	for _, r := range RetentionKinds {
		if d[r.Kind] < 3 {
			t.Errorf("%s: default %d years, under 3", r.Kind, d[r.Kind])
		}
	}
	for _, tc := range []struct {
		p    RetentionPolicy
		bad  []string
		name string
	}{
		{RetentionPolicy{RetainComplaint: 3, RetainLost: 1}, nil, "minimums"},
		{RetentionPolicy{RetainComplaint: 2}, []string{"complaint"}, "a case under 3 years"},
		{RetentionPolicy{RetainEvidence: 101, RetainAudit: 0, "x": 3}, []string{"evidence", "audit_event", "x"}, "every problem at once"},
	} {
		err := tc.p.Validate()
		if got := ErrorProblems(err); len(got) != len(tc.bad) {
			t.Errorf("%s: %v", tc.name, err)
		}
		for _, f := range tc.bad {
			if _, ok := ErrorProblems(err)[f]; !ok {
				t.Errorf("%s: no problem on %s: %v", tc.name, f, err)
			}
		}
	}
	now := time.Date(2026, 3, 1, 0, 30, 0, 0, Beijing) // 2026-02-28 16:30 UTC
	cut := d.Cutoff(RetainComplaint, now)
	if got := cut.In(Beijing).Format(time.DateOnly); got != "2023-03-01" {
		t.Errorf("cutoff %s, want 2023-03-01 (Beijing)", got)
	}
	if p := (RetentionPolicy{RetainComplaint: 5}).WithDefaults(); p[RetainComplaint] != 5 || p[RetainPetition] != 3 {
		t.Errorf("WithDefaults: %v", p)
	}
}

// TestAnonymiseCase_PIPLArt47: every personal field and free text emptied or
// redacted; every figure the statistics read kept.
func TestAnonymiseCase_PIPLArt47(t *testing.T) {
	t.Parallel()
	closed := time.Date(2022, 1, 5, 10, 0, 0, 0, Beijing)
	c := &Case{No: "TS1", Kind: KindComplaint, Status: StatusClosed, ClosedAt: &closed, Level: 2, CodeB: "B06",
		Complainant: Complainant{Name: "张三", IDType: IDResident, IDNumber: "110***********1234", Phone: "138****5678",
			Account: "622202******0123", Address: "北京市***", Email: "z***@mail.example", LegalRep: "张三", OrgName: "某公司"},
		Subject: "张三的投诉", Description: "手机13812345678", Request: "赔偿", Satisfaction: SatisfactionSatisfied,
		Determination: &Determination{Liability: LiabilityPartial, RootCause: "张三所说", RootCauseCode: "R01"},
		Reply:         &Reply{Facts: "张三", Basis: "依据", Outcome: OutcomePartlyUpheld, RedressPaid: "120.00", NoticeProof: "致电13812345678"},
		Contact:       &Contact{Text: "联系张三", Notice: NoticeRecord{Method: NoticePhone, Proof: "通话"}},
		ReturnVisit: &ReturnVisit{Status: "answered", Satisfaction: SatisfactionSatisfied,
			Attempts: []ReturnVisitAttempt{{Text: "张三说满意"}}},
		Notes: []Entry{{Author: "mgr", Text: "张三来电"}}}
	AnonymiseCase(c, closed.AddDate(4, 0, 0))
	p := c.Complainant
	if p.Name != RetentionRedacted || p.IDNumber != "" || p.Phone != "" || p.Account != "" || p.Address != "" || p.Email != "" ||
		p.LegalRep != RetentionRedacted || p.IDType != IDResident {
		t.Errorf("complainant: %+v", p)
	}
	for _, s := range []string{c.Subject, c.Description, c.Request, c.Determination.RootCause, c.Reply.Facts, c.Reply.Basis,
		c.Reply.NoticeProof, c.Contact.Text, c.Contact.Notice.Proof, c.ReturnVisit.Attempts[0].Text, c.Notes[0].Text} {
		if s != RetentionRedacted {
			t.Errorf("a text kept: %q", s)
		}
	}
	if c.Status != StatusClosed || c.ClosedAt != &closed || c.Level != 2 || c.CodeB != "B06" || c.Reply.Outcome != OutcomePartlyUpheld ||
		c.Reply.RedressPaid != "120.00" || c.Determination.RootCauseCode != "R01" || c.Satisfaction != SatisfactionSatisfied ||
		c.ReturnVisit.Satisfaction != SatisfactionSatisfied || c.Contact.Notice.Method != NoticePhone || c.AnonymisedAt == nil {
		t.Errorf("a figure changed: %+v", c)
	}
}

// TestRedactedChainVerifies_PIPLArt47: a redacted event keeps its hash (the
// chain links), is checked against its redacted hash, and must be witnessed
// by a later event; an edit after redaction, a false witness or a missing one
// fails the verification.
func TestRedactedChainVerifies_PIPLArt47(t *testing.T) {
	t.Parallel()
	chain := func() []*Event {
		at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
		var out []*Event
		prevSeq, prev := int64(0), GenesisHash
		for _, e := range []*Event{
			{Subject: NewSubject(SubjectCase, "TS1"), CaseNo: "TS1", Actor: "staff", Action: "case.register", At: at,
				Changes: []Change{{Field: "complainant.name", After: "张三"}, {Field: "status", After: "registered"}, {Field: "code_b", After: "B06"}}},
			{Subject: NewSubject(SubjectCase, "TS1"), CaseNo: "TS1", Actor: "mgr", Action: "case.note", At: at, Detail: "张三来电"},
			{Subject: NewSubject(SubjectCase, "TS1"), CaseNo: "TS1", Actor: "mgr", Action: "case.accept", At: at,
				Changes: []Change{{Field: "status", Before: "registered", After: "accepted"}}},
		} {
			e.Seal(prevSeq, prev)
			prevSeq, prev = e.Seq, e.Hash
			out = append(out, e)
		}
		return out
	}
	verify := func(events []*Event) AuditReport {
		v := NewChainVerifier()
		for _, e := range events {
			if !v.Check(e) {
				break
			}
		}
		last := events[len(events)-1]
		return v.Finish(last.Seq, last.Hash)
	}
	redact := func(events []*Event) []*Event {
		var witnesses []Change
		for _, e := range events {
			if RedactEvent(e) {
				witnesses = append(witnesses, RedactionWitness(e))
			}
		}
		last := events[len(events)-1]
		w := &Event{Subject: NewSubject(SubjectCase, "TS1"), CaseNo: "TS1", Actor: "operator", Action: "case.anonymise",
			At: last.At, Changes: witnesses, Detail: "retention"}
		w.Seal(last.Seq, last.Hash)
		return append(events, w)
	}
	events := redact(chain())
	if r := verify(events); !r.OK {
		t.Fatalf("redacted and witnessed: %+v", r)
	}
	if events[0].Changes[0].After != RetentionRedacted || events[0].Changes[1].After != "registered" || events[1].Detail != RetentionRedacted {
		t.Fatalf("redaction: %+v %+v", events[0].Changes, events[1])
	}
	if events[2].Redacted != "" || len(events[3].Changes) != 2 {
		t.Fatalf("an event with nothing personal is left alone: %+v", events[3].Changes)
	}
	for name, spoil := range map[string]func(e []*Event) []*Event{
		"edited after redaction": func(e []*Event) []*Event { e[0].Changes[1].After = "closed"; return e },
		"no witness":             func(e []*Event) []*Event { return e[:3] },
		"a false witness": func(e []*Event) []*Event {
			e[3].Changes[0].After = strings.Repeat("0", 64)
			e[3].Hash = e[3].ComputeHash()
			return e
		},
		"a witness edited": func(e []*Event) []*Event { e[3].Changes = e[3].Changes[:1]; return e },
	} {
		if r := verify(spoil(redact(chain()))); r.OK {
			t.Errorf("%s: verified", name)
		}
	}
}

// TestErasureRefusal_PIPLArt47 (PIPL Art.47 para 2: a period a law sets not
// ended; an open case still needs the data): the reasons, in order.
func TestErasureRefusal_PIPLArt47(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		found, open, held int
		code              string
	}{
		{0, 0, 0, ENOTFOUND}, {2, 0, 1, ECONFLICT}, {2, 1, 0, ECONFLICT}, {2, 1, 1, ECONFLICT}, {2, 0, 0, ""},
	} {
		if got := ErrorCode(ErasureRefusal(tc.found, tc.open, tc.held)); got != tc.code {
			t.Errorf("%+v: %q", tc, got)
		}
	}
	if err := ErasureRefusal(2, 1, 1); !strings.Contains(err.Error(), "hold") {
		t.Errorf("a hold is the first reason: %v", err)
	}
}

// TestLegalHoldInput_PIPLArt47: a reason always; a complainant by one number.
func TestLegalHoldInput_PIPLArt47(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		n      NewLegalHold
		person bool
		field  string
	}{
		{NewLegalHold{Reason: "诉讼"}, false, ""},
		{NewLegalHold{Reason: " "}, false, "reason"},
		{NewLegalHold{Reason: strings.Repeat("长", MaxHoldReason+1)}, false, "reason"},
		{NewLegalHold{Reason: "a\x00b"}, false, "reason"},
		{NewLegalHold{Reason: "诉讼", Phone: "13812345678"}, false, "id_number"},
		{NewLegalHold{Reason: "诉讼"}, true, "id_number"},
		{NewLegalHold{Reason: "诉讼", Phone: "13812345678", IDNumber: "110101199003071234"}, true, "phone"},
		{NewLegalHold{Reason: "诉讼", Phone: "13812345678"}, true, ""},
	} {
		err := tc.n.Validate(tc.person)
		if _, ok := ErrorProblems(err)[tc.field]; tc.field != "" && !ok || tc.field == "" && err != nil {
			t.Errorf("%+v person=%v: %v", tc.n, tc.person, err)
		}
	}
	if HoldRef(12) != "LH-000012" {
		t.Error(HoldRef(12))
	}
	if id, ok := ParseHoldRef("LH-000012"); !ok || id != 12 {
		t.Error(id, ok)
	}
}
