package redress

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
	"strconv"
	"time"
)

// Change is the before and after of one field changed by an event. Personal
// data appears here only masked.
type Change struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// Event is one entry of the tamper-evident audit trail. Every event's hash
// covers its own content and the previous event's hash, so editing,
// deleting or reordering any event breaks the chain from there on.
type Event struct {
	Seq      int64     `json:"seq"`
	CaseNo   string    `json:"case,omitempty"`
	Actor    string    `json:"actor"`
	Action   string    `json:"action"`
	At       time.Time `json:"at"`
	Changes  []Change  `json:"changes"`
	Detail   string    `json:"detail,omitempty"`
	PrevHash string    `json:"prev_hash"`
	Hash     string    `json:"hash"`
}

// GenesisHash is the previous hash of the first event.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// hashedEvent is the canonical form that is hashed: a fixed field order,
// UTC time at nanosecond precision, changes sorted by field.
type hashedEvent struct {
	Prev    string   `json:"p"`
	Seq     int64    `json:"s"`
	CaseNo  string   `json:"c"`
	Actor   string   `json:"a"`
	Action  string   `json:"x"`
	At      string   `json:"t"`
	Changes []Change `json:"d"`
	Detail  string   `json:"n"`
}

// ComputeHash returns the hex SHA-256 of the event's canonical form, which
// includes PrevHash and Seq.
func (e *Event) ComputeHash() string {
	changes := append([]Change{}, e.Changes...)
	sort.SliceStable(changes, func(i, j int) bool { return changes[i].Field < changes[j].Field })
	canonical, err := json.Marshal(hashedEvent{
		Prev: e.PrevHash, Seq: e.Seq, CaseNo: e.CaseNo, Actor: e.Actor, Action: e.Action,
		At: e.At.UTC().Format(time.RFC3339Nano), Changes: changes, Detail: e.Detail,
	})
	if err != nil { // only strings and numbers: cannot fail
		panic("redress: marshal event: " + err.Error())
	}
	sum := sha256.Sum256(canonical)
	return hex.EncodeToString(sum[:])
}

// Seal sets the event's place in the chain after prev (nil for the first
// event) and its hash.
func (e *Event) Seal(prevSeq int64, prevHash string) {
	e.Seq = prevSeq + 1
	e.PrevHash = prevHash
	e.Hash = e.ComputeHash()
}

// AuditReport is the result of verifying the chain.
type AuditReport struct {
	OK       bool   `json:"ok"`
	Events   int64  `json:"events"`              // events checked
	FirstBad int64  `json:"first_bad,omitempty"` // seq of the first bad event
	Problem  string `json:"problem,omitempty"`
	HeadSeq  int64  `json:"head_seq"`
	HeadHash string `json:"head_hash,omitempty"`
}

// ChainVerifier checks events one by one in the order they are stored.
// Feed it every event with Check, then call Finish with the recorded head.
type ChainVerifier struct {
	prevSeq  int64
	prevHash string
	report   AuditReport
}

// NewChainVerifier returns a verifier expecting the first event.
func NewChainVerifier() *ChainVerifier {
	return &ChainVerifier{prevHash: GenesisHash, report: AuditReport{OK: true}}
}

// Check verifies the next event and reports false at the first bad one.
func (v *ChainVerifier) Check(e *Event) bool {
	if !v.report.OK {
		return false
	}
	v.report.Events++
	switch {
	case e.Seq != v.prevSeq+1:
		v.fail(v.prevSeq+1, "event "+strconv.FormatInt(v.prevSeq+1, 10)+" is missing or out of order (found "+strconv.FormatInt(e.Seq, 10)+")")
	case e.PrevHash != v.prevHash:
		v.fail(e.Seq, "event "+strconv.FormatInt(e.Seq, 10)+" does not follow the previous event (chain broken: deleted or reordered)")
	case e.ComputeHash() != e.Hash:
		v.fail(e.Seq, "event "+strconv.FormatInt(e.Seq, 10)+" was altered (its content does not match its hash)")
	}
	v.prevSeq, v.prevHash = e.Seq, e.Hash
	return v.report.OK
}

// Finish compares the last event with the head recorded beside the chain,
// which catches events deleted from the end, and returns the report.
func (v *ChainVerifier) Finish(headSeq int64, headHash string) AuditReport {
	r := v.report
	r.HeadSeq, r.HeadHash = headSeq, headHash
	if r.OK && (headSeq != v.prevSeq || (headSeq > 0 && headHash != v.prevHash)) {
		r.OK = false
		r.FirstBad = v.prevSeq + 1
		r.Problem = "the chain ends at event " + strconv.FormatInt(v.prevSeq, 10) +
			" but the recorded head is event " + strconv.FormatInt(headSeq, 10) + " (events deleted from the end)"
	}
	return r
}

func (v *ChainVerifier) fail(seq int64, problem string) {
	v.report.OK = false
	v.report.FirstBad = seq
	v.report.Problem = problem
}

// AuditFilter narrows a listing of the audit trail. Zero fields do not filter.
type AuditFilter struct {
	Actor  string
	Action string // exact, or a prefix ending in "." such as "session."
	CaseNo string
	From   string // YYYY-MM-DD, Beijing time, inclusive
	To     string // YYYY-MM-DD, Beijing time, inclusive
	Before int64  // cursor: events with a smaller seq
	Limit  int    // 1-500, default 100
}

// EventPage is one page of the audit trail, newest first.
type EventPage struct {
	Events     []*Event `json:"events"`
	NextBefore int64    `json:"next_before,omitempty"`
}

// AuditService reads and verifies the audit trail.
type AuditService interface {
	// ListEvents returns audit events, newest first: sign-ins, role changes,
	// tokens, reveals and every case change. Auditors only.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID.
	ListEvents(ctx context.Context, f AuditFilter) (*EventPage, error)
	// VerifyAudit walks the whole chain. Auditors, HQ service and admins only;
	// the CLI acts as the operator.
	// Errors: EUNAUTHORIZED, EFORBIDDEN.
	VerifyAudit(ctx context.Context) (*AuditReport, error)
}
