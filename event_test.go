package redress

import (
	"strings"
	"testing"
	"time"
)

func chain(n int) []*Event {
	events := []*Event{}
	prevSeq, prevHash := int64(0), GenesisHash
	for i := range n {
		e := &Event{Subject: NewSubject(SubjectCase, "TS20261120-00001"), CaseNo: "TS20261120-00001", Actor: "li.staff", Action: "case.note",
			At: time.Date(2026, 11, 20, 9, i, 0, 0, time.UTC), Changes: []Change{{Field: "status", Before: "a", After: "b"}}}
		e.Seal(prevSeq, prevHash)
		prevSeq, prevHash = e.Seq, e.Hash
		events = append(events, e)
	}
	return events
}

func verify(events []*Event, headSeq int64, headHash string) AuditReport {
	v := NewChainVerifier()
	for _, e := range events {
		if !v.Check(e) {
			break
		}
	}
	return v.Finish(headSeq, headHash)
}

func TestChainVerifier(t *testing.T) {
	good := chain(5)
	head := good[4]
	if r := verify(good, head.Seq, head.Hash); !r.OK || r.Events != 5 {
		t.Fatalf("intact chain: %+v", r)
	}
	if r := verify(nil, 0, ""); !r.OK {
		t.Fatalf("empty chain: %+v", r)
	}
	tests := []struct {
		name     string
		tamper   func([]*Event) []*Event
		firstBad int64
		problem  string
	}{
		{"edited detail", func(e []*Event) []*Event { e[2].Detail = "forged"; return e }, 3, "altered"},
		{"edited change", func(e []*Event) []*Event { e[1].Changes[0].After = "closed"; return e }, 2, "altered"},
		{"edited time", func(e []*Event) []*Event { e[3].At = e[3].At.Add(time.Second); return e }, 4, "altered"},
		{"edited subject", func(e []*Event) []*Event { e[2].Subject.ID = "TS20261120-00002"; return e }, 3, "altered"},
		{"edited subject kind", func(e []*Event) []*Event { e[1].Subject.Kind = SubjectUser; return e }, 2, "altered"},
		{"form downgraded", func(e []*Event) []*Event { e[3].Form = EventFormLegacy; return e }, 4, "altered"},
		{"unknown form", func(e []*Event) []*Event { e[0].Form = 7; return e }, 1, "altered"},
		{"deleted middle", func(e []*Event) []*Event { return append(e[:2:2], e[3:]...) }, 3, "missing"},
		{"deleted last", func(e []*Event) []*Event { return e[:4] }, 5, "deleted from the end"},
		{"reordered", func(e []*Event) []*Event {
			e[1], e[2] = e[2], e[1]
			e[1].Seq, e[2].Seq = 2, 3 // renumbered to hide it
			return e
		}, 2, "does not follow"},
		{"rehashed edit", func(e []*Event) []*Event { e[2].Actor = "x"; e[2].Hash = e[2].ComputeHash(); return e }, 4, "does not follow"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := verify(tt.tamper(chain(5)), head.Seq, head.Hash)
			if r.OK || r.FirstBad != tt.firstBad || !strings.Contains(r.Problem, tt.problem) {
				t.Fatalf("want first bad %d (%s), got %+v", tt.firstBad, tt.problem, r)
			}
		})
	}
}

func TestHashIgnoresChangeOrderAndZone(t *testing.T) {
	a := &Event{Actor: "a", Action: "x", At: time.Date(2026, 1, 1, 8, 0, 0, 0, Beijing),
		Changes: []Change{{Field: "b"}, {Field: "a"}}}
	b := &Event{Actor: "a", Action: "x", At: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		Changes: []Change{{Field: "a"}, {Field: "b"}}}
	if a.ComputeHash() != b.ComputeHash() {
		t.Fatal("the same event must hash the same")
	}
}

// TestLegacyHashUnchanged: an event of the legacy form hashes exactly as the
// code before subjects did (the first hash below was computed by that
// code), so the chains written then still verify.
func TestLegacyHashUnchanged(t *testing.T) {
	e := &Event{Seq: 7, CaseNo: "TS20261120-00001", Actor: "li.staff", Action: "accept",
		At: time.Date(2026, 11, 20, 9, 30, 0, 123456000, time.UTC), PrevHash: GenesisHash,
		Changes: []Change{{Field: "status", Before: "registered", After: "accepted"}, {Field: "handler", After: "li.staff"}}, Detail: "受理",
		Subject: NewSubject(SubjectCase, "TS20261120-00001")} // the subject is not part of the legacy form
	if got := e.ComputeHash(); got != "12a20233efaafcc44fad11cb4b31a9509e1206356702c14f0eee9e56b6dc5955" {
		t.Fatalf("the legacy form hashes differently: %s", got)
	}
	// The subject form is pinned too: a change to it would break every
	// chain written since.
	e.Form, e.Action = EventFormSubject, CaseEventAction(ActionAccept)
	if got := e.ComputeHash(); got != "b93e8301a7344512a388f56162ad5f9ae0255bd711d9571bdc82f01af5447e60" {
		t.Fatalf("the subject form hashes differently: %s", got)
	}
}

// legacyChain is a chain as written before subjects: form 0, bare lifecycle
// names, the subject derived from the content (as the migration fills it).
func legacyChain() []*Event {
	events := []*Event{
		{Actor: "system", Action: "bootstrap", Changes: []Change{{Field: "org", After: "HQ"}, {Field: "user", After: "admin"}}},
		{Actor: "admin", Action: "org.create", Changes: []Change{{Field: "code", After: "BJ"}, {Field: "name", After: "北京分行"}}},
		{Actor: "li.staff", CaseNo: "TS20261120-00001", Action: "register"},
		{Actor: "li.staff", CaseNo: "TS20261120-00001", Action: "accept"},
	}
	prevSeq, prevHash := int64(0), GenesisHash
	for i, e := range events {
		e.At = time.Date(2026, 11, 20, 9, i, 0, 0, time.UTC)
		e.Seq, e.PrevHash = prevSeq+1, prevHash
		e.Subject = e.legacySubject()
		e.Hash = e.ComputeHash()
		prevSeq, prevHash = e.Seq, e.Hash
	}
	return events
}

func TestLegacyChainVerifies(t *testing.T) {
	events := legacyChain()
	last := events[len(events)-1]
	if r := verify(events, last.Seq, last.Hash); !r.OK {
		t.Fatalf("a legacy chain with its derived subjects must verify: %+v", r)
	}
	// A new event continues a legacy chain.
	next := &Event{Subject: NewSubject(SubjectCase, "TS20261120-00001"), CaseNo: "TS20261120-00001", Actor: "li.staff",
		Action: CaseEventAction(ActionNote), At: last.At.Add(time.Minute)}
	next.Seal(last.Seq, last.Hash)
	if r := verify(append(legacyChain(), next), next.Seq, next.Hash); !r.OK {
		t.Fatalf("a new event after legacy ones: %+v", r)
	}
	for name, tamper := range map[string]func(e *Event){
		"subject id":   func(e *Event) { e.Subject.ID = "TS20261120-00009" },
		"subject kind": func(e *Event) { e.Subject.Kind = SubjectUser },
		"form raised":  func(e *Event) { e.Form = EventFormSubject },
	} {
		events := legacyChain()
		tamper(events[2])
		if r := verify(events, last.Seq, last.Hash); r.OK || r.FirstBad != 3 || !strings.Contains(r.Problem, "altered") {
			t.Errorf("%s of a legacy event changed: want event 3 altered, got %+v", name, r)
		}
	}
}

// TestLegacySubject: the subject of every kind of event written before
// subjects, as migration 0007 derives it in SQL.
func TestLegacySubject(t *testing.T) {
	for _, tt := range []struct {
		e    Event
		want Subject
	}{
		{Event{Action: "bootstrap", Actor: "system"}, Subject{SubjectSystem, ""}},
		{Event{Action: "accept", CaseNo: "TS20261120-00001"}, Subject{SubjectCase, "TS20261120-00001"}},
		{Event{Action: "escalate", CaseNo: "TS20261120-00001", Actor: "system"}, Subject{SubjectCase, "TS20261120-00001"}},
		{Event{Action: "case.reveal", CaseNo: "XF20261120-00002"}, Subject{SubjectCase, "XF20261120-00002"}},
		{Event{Action: "case.evidence", CaseNo: "XF20261120-00002"}, Subject{SubjectCase, "XF20261120-00002"}},
		{Event{Action: "org.create", Changes: []Change{{Field: "code", After: "BJ"}, {Field: "parent", After: "HQ"}}}, Subject{SubjectOrg, "BJ"}},
		{Event{Action: "user.create", Changes: []Change{{Field: "name", After: "王芳"}, {Field: "login", After: "wang.fang"}}}, Subject{SubjectUser, "wang.fang"}},
		{Event{Action: "user.update", Actor: "admin", Detail: "wang.fang"}, Subject{SubjectUser, "wang.fang"}},
		{Event{Action: "user.password", Actor: "wang.fang"}, Subject{SubjectUser, "wang.fang"}},
		{Event{Action: "session.sign_in", Actor: "wang.fang", Detail: "10.0.0.1"}, Subject{SubjectSession, "wang.fang"}},
		{Event{Action: "session.failed", Actor: "nobody", Detail: "unknown login 10.0.0.1"}, Subject{SubjectSession, "nobody"}},
		{Event{Action: "session.sign_out", Actor: "wang.fang"}, Subject{SubjectSession, "wang.fang"}},
		{Event{Action: "token.create", Detail: "token 12"}, Subject{SubjectToken, "12"}},
		{Event{Action: "token.revoke", Detail: "token 12"}, Subject{SubjectToken, "12"}},
		{Event{Action: "code.save", Detail: "A01"}, Subject{SubjectCode, "A01"}},
		{Event{Action: "calendar.save", Detail: "CN 2027"}, Subject{SubjectCalendar, "CN/2027"}},
		{Event{Action: "calendar.delete", Detail: "CN 2027"}, Subject{SubjectCalendar, "CN/2027"}},
		{Event{Action: "policy.save", Detail: "complaint"}, Subject{SubjectPolicy, "complaint"}},
		{Event{Action: "keys.rotate", Detail: "3 cases examined"}, Subject{SubjectKeys, ""}},
		{Event{Action: "user.create", Changes: []Change{{Field: "(unreadable)", After: "{"}}}, Subject{SubjectUser, ""}},
	} {
		if got := tt.e.legacySubject(); got != tt.want {
			t.Errorf("%s: subject %+v, want %+v", tt.e.Action, got, tt.want)
		}
	}
}

func TestCheckName(t *testing.T) {
	good := []Event{
		{Subject: NewSubject(SubjectCase, "TS20261120-00001"), CaseNo: "TS20261120-00001", Action: CaseEventAction(ActionSignOff)},
		{Subject: NewSubject(SubjectSystem, ""), Action: "system.bootstrap"},
		{Subject: NewSubject(SubjectKind("corrective_action"), "7"), Action: "corrective_action.open"},
	}
	for _, e := range good {
		if err := e.CheckName(); err != nil {
			t.Errorf("%s: %v", e.Action, err)
		}
	}
	bad := []Event{
		{Subject: NewSubject(SubjectCase, "TS20261120-00001"), CaseNo: "TS20261120-00001", Action: "accept"},       // bare verb
		{Subject: NewSubject(SubjectCase, "TS20261120-00001"), CaseNo: "TS20261120-00001", Action: "evidence.add"}, // noun is not the kind
		{Subject: NewSubject(SubjectCase, "TS20261120-00001"), Action: "case.note"},                                // case number missing
		{Subject: NewSubject(SubjectUser, "li"), CaseNo: "TS20261120-00001", Action: "user.update"},                // a case number on a user event
		{Subject: NewSubject(SubjectKind(""), ""), Action: ".x"},
		{Subject: NewSubject(SubjectKind("Case"), ""), Action: "Case.x"},
		{Subject: NewSubject(SubjectUser, "li"), Action: "user."},
		{Subject: NewSubject(SubjectUser, "li"), Action: "user.Create"},
	}
	for _, e := range bad {
		if err := e.CheckName(); err == nil {
			t.Errorf("%q on %+v must be refused", e.Action, e.Subject)
		}
	}
}

func TestEventActionNames(t *testing.T) {
	for in, want := range map[string]string{
		"accept": "case.accept case.accept accept", "case.accept": "case.accept case.accept accept",
		"register": "case.register case.register register", "bootstrap": "system.bootstrap system.bootstrap bootstrap",
		"system.bootstrap": "system.bootstrap system.bootstrap bootstrap", "case.evidence": "case.add_evidence case.add_evidence case.evidence",
		"case.add_evidence": "case.add_evidence case.add_evidence case.evidence", "case.reveal": "case.reveal case.reveal",
		"session.sign_in": "session.sign_in session.sign_in", "case.unknown": "case.unknown case.unknown",
	} {
		if got := CurrentEventAction(in) + " " + strings.Join(EventActionNames(in), " "); got != want {
			t.Errorf("%s: %s, want %s", in, got, want)
		}
	}
}
