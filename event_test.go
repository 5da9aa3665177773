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
		e := &Event{CaseNo: "TS20261120-00001", Actor: "li.staff", Action: "note",
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
