package redress

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Change is the before and after of one field changed by an event. Personal
// data appears here only masked.
type Change struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// SubjectKind names what kind of thing an audit event is about. The kinds
// are an open list: a new feature area (reception visits, incidents, lost
// items, corrective actions) adds its constant here, and its events are
// named "<kind>.<verb>" (see Event.CheckName).
type SubjectKind string

// The kinds of subject, each with what its id is.
const (
	SubjectCase     SubjectKind = "case"     // id: the tracking number, TS20261120-00042
	SubjectUser     SubjectKind = "user"     // id: the login
	SubjectToken    SubjectKind = "token"    // id: the token's number
	SubjectOrg      SubjectKind = "org"      // id: the unit's code
	SubjectCode     SubjectKind = "code"     // id: the code, A01 (its letter names its list)
	SubjectCalendar SubjectKind = "calendar" // id: region/year of an override, CN/2026
	SubjectPolicy   SubjectKind = "policy"   // id: the deadline policy's name
	SubjectSession  SubjectKind = "session"  // id: the login signed in, out, or tried (a session has no public id)
	SubjectKeys     SubjectKind = "keys"     // no id: the one keyring
	SubjectSystem   SubjectKind = "system"   // no id: the installation itself (bootstrap)
	SubjectExport   SubjectKind = "export"   // id: what was exported (cases, stats, audit)
	// SubjectCorrective is a corrective action (整改); id: its reference, ZG-000012.
	SubjectCorrective SubjectKind = "corrective"
	// SubjectLost is a found item of the lost-property register; id: SW-000012.
	SubjectLost SubjectKind = "lost"
	// SubjectTraining is a training session (培训); id: its reference, PX-000012.
	SubjectTraining SubjectKind = "training"
	// SubjectIncident is an emergency incident (突发事件); id: TF-000012.
	SubjectIncident SubjectKind = "incident"
	// SubjectPlan is a unit's emergency plan (应急预案); id: the unit's code.
	SubjectPlan SubjectKind = "emergency_plan"
	// SubjectHold is a legal hold; id: LH-000012.
	SubjectHold SubjectKind = "hold"
	// SubjectRetention is the retention policy and job; no id.
	SubjectRetention SubjectKind = "retention"
	// SubjectImport is a run of the history import; id: the run's number.
	SubjectImport SubjectKind = "import"
	// SubjectReception is a visit of the reception log (来访接待登记); id: JD-000012.
	SubjectReception SubjectKind = "reception"
)

// Subject is what an audit event is about: a case, a user, a token, ...
type Subject struct {
	Kind SubjectKind `json:"kind"`
	ID   string      `json:"id"`
}

// NewSubject returns the subject of the given kind and id.
func NewSubject(kind SubjectKind, id string) Subject { return Subject{Kind: kind, ID: id} }

// CaseNo returns the tracking number when the subject is a case, else "".
func (s Subject) CaseNo() string {
	if s.Kind == SubjectCase {
		return s.ID
	}
	return ""
}

// CaseEventAction is the audit action that records lifecycle action a on a
// case: "case.accept".
func CaseEventAction(a Action) string { return string(SubjectCase) + "." + string(a) }

// Audit actions are named "<subject kind>.<verb>", the noun always the kind
// of the event's subject. Before subjects were recorded (events of form
// EventFormLegacy) three names were not: a lifecycle action was stored bare
// ("accept", now "case.accept"), "bootstrap" is now "system.bootstrap" and
// "case.evidence" is now "case.add_evidence". Stored events keep the names
// they were written with, because the hash covers them; the audit filters
// find both (EventActionNames).
const (
	actionBootstrap    = "system.bootstrap"
	actionAddEvidence  = "case.add_evidence"
	legacyBootstrap    = "bootstrap"
	legacyCaseEvidence = "case.evidence"
)

// CurrentEventAction returns the name now of a stored audit action: the
// name itself, or for an action renamed to noun.verb, its new name.
func CurrentEventAction(stored string) string {
	switch stored {
	case legacyBootstrap:
		return actionBootstrap
	case legacyCaseEvidence:
		return actionAddEvidence
	}
	if oneOf(Action(stored), Actions) {
		return CaseEventAction(Action(stored))
	}
	return stored
}

// EventActionNames returns every name under which events of an action are
// stored, given its name now or before: the name now first, then the name
// before the rename, if any. "accept" and "case.accept" both give
// ["case.accept", "accept"].
func EventActionNames(action string) []string {
	current := CurrentEventAction(action)
	switch {
	case current == actionBootstrap:
		return []string{current, legacyBootstrap}
	case current == actionAddEvidence:
		return []string{current, legacyCaseEvidence}
	case strings.HasPrefix(current, string(SubjectCase)+".") && oneOf(Action(current[len(SubjectCase)+1:]), Actions):
		return []string{current, current[len(SubjectCase)+1:]}
	}
	return []string{current}
}

// The canonical forms an event's hash may cover.
const (
	// EventFormLegacy is the form of the events written before subjects
	// were recorded: the subject is not hashed; it is derived from the
	// event's action and content, and the verifier checks that it still is.
	EventFormLegacy = 0
	// EventFormSubject adds the form and the subject to the hashed form.
	// Every event sealed now has it.
	EventFormSubject = 1
)

// Event is one entry of the tamper-evident audit trail. Every event's hash
// covers its own content and the previous event's hash, so editing,
// deleting or reordering any event breaks the chain from there on.
type Event struct {
	Seq      int64     `json:"seq"`
	Subject  Subject   `json:"subject"`
	CaseNo   string    `json:"case,omitempty"` // the subject's tracking number when it is a case (kept for older clients)
	Actor    string    `json:"actor"`
	Action   string    `json:"action"` // noun.verb, the noun the subject's kind (older events: see CurrentEventAction)
	At       time.Time `json:"at"`
	Changes  []Change  `json:"changes"`
	Detail   string    `json:"detail,omitempty"`
	Form     int       `json:"form"` // the canonical form its hash covers: EventFormLegacy or EventFormSubject
	PrevHash string    `json:"prev_hash"`
	Hash     string    `json:"hash"`
	// Redacted is set when anonymisation redacted the event's personal
	// values (RedactEvent): the hash of its content as redacted. Hash stays
	// the original, which links the chain; a later event of the
	// anonymisation witnesses Redacted (RedactionWitness).
	Redacted string `json:"redacted,omitempty"`
}

// GenesisHash is the previous hash of the first event.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// CheckName checks how a new event names itself: a subject of a
// well-formed kind, an action "<kind>.<verb>" whose noun is the subject's
// kind (so that filtering by the action prefix "case." is filtering by the
// subject's kind), and the case number the subject's when it is a case.
// Errors: EINTERNAL (a mistake of the code that builds the event).
func (e *Event) CheckName() error {
	kind := string(e.Subject.Kind)
	noun, verb, dotted := strings.Cut(e.Action, ".")
	switch {
	case !lowerWord(kind):
		return Errorf(EINTERNAL, "event %q: subject kind %q is not lowercase letters and underscores", e.Action, kind)
	case !dotted || noun != kind || !lowerWord(verb):
		return Errorf(EINTERNAL, "event %q: an action is named %s.<verb> for a subject of kind %s", e.Action, kind, kind)
	case e.CaseNo != e.Subject.CaseNo():
		return Errorf(EINTERNAL, "event %q: case %q is not its subject's (%s %q)", e.Action, e.CaseNo, kind, e.Subject.ID)
	}
	return nil
}

// lowerWord reports whether s is a lowercase word that may contain
// underscores: the shape of a subject kind and of a verb.
func lowerWord(s string) bool {
	for i, r := range s {
		if !(r >= 'a' && r <= 'z' || r == '_' && i > 0) {
			return false
		}
	}
	return s != ""
}

// legacySubject derives the subject of an event of form EventFormLegacy
// from its action and content. Migration 0007_event_subject fills the
// subject columns of such events with the same rule, in SQL; keep the two
// alike (the verifier reports an event whose stored subject differs).
func (e *Event) legacySubject() Subject {
	if e.CaseNo != "" {
		return Subject{Kind: SubjectCase, ID: e.CaseNo}
	}
	noun, _, dotted := strings.Cut(e.Action, ".")
	if !dotted {
		return Subject{Kind: SubjectSystem}
	}
	s := Subject{Kind: SubjectKind(noun)}
	switch {
	case s.Kind == SubjectSession, e.Action == "user.password":
		s.ID = e.Actor
	case e.Action == "user.create":
		s.ID = e.changedTo("login")
	case e.Action == "org.create":
		s.ID = e.changedTo("code")
	case e.Action == "user.update", e.Action == "code.save", e.Action == "policy.save":
		s.ID = e.Detail
	case s.Kind == SubjectToken:
		s.ID = strings.TrimPrefix(e.Detail, "token ")
	case s.Kind == SubjectCalendar:
		s.ID = strings.ReplaceAll(e.Detail, " ", "/")
	}
	return s
}

// changedTo returns the after value of the first change of field, or "".
func (e *Event) changedTo(field string) string {
	for _, c := range e.Changes {
		if c.Field == field {
			return c.After
		}
	}
	return ""
}

// hashedEvent is the canonical form that is hashed: a fixed field order,
// UTC time at nanosecond precision, changes sorted by field. The form and
// the subject are nil, and so left out, in form EventFormLegacy, which is
// thus byte for byte the form hashed before subjects.
type hashedEvent struct {
	Prev        string   `json:"p"`
	Seq         int64    `json:"s"`
	Form        *int     `json:"f,omitempty"`
	SubjectKind *string  `json:"k,omitempty"`
	SubjectID   *string  `json:"i,omitempty"`
	CaseNo      string   `json:"c"`
	Actor       string   `json:"a"`
	Action      string   `json:"x"`
	At          string   `json:"t"`
	Changes     []Change `json:"d"`
	Detail      string   `json:"n"`
}

// ComputeHash returns the hex SHA-256 of the event's canonical form of its
// Form, which includes PrevHash and Seq; "" (which matches no hash) for a
// form it does not know.
func (e *Event) ComputeHash() string {
	canonical := e.CanonicalForm()
	if canonical == nil {
		return ""
	}
	sum := sha256.Sum256(canonical)
	return hex.EncodeToString(sum[:])
}

// CanonicalForm returns the bytes the event's hash is the SHA-256 of (a
// case file hands them to its recipient, who need not rebuild them); nil
// for a form it does not know.
func (e *Event) CanonicalForm() []byte {
	changes := append([]Change{}, e.Changes...)
	sort.SliceStable(changes, func(i, j int) bool { return changes[i].Field < changes[j].Field })
	form := hashedEvent{Prev: e.PrevHash, Seq: e.Seq, CaseNo: e.CaseNo, Actor: e.Actor, Action: e.Action,
		At: e.At.UTC().Format(time.RFC3339Nano), Changes: changes, Detail: e.Detail}
	switch e.Form {
	case EventFormLegacy:
	case EventFormSubject:
		kind, id := string(e.Subject.Kind), e.Subject.ID
		form.Form, form.SubjectKind, form.SubjectID = &e.Form, &kind, &id
	default:
		return nil
	}
	canonical, err := json.Marshal(form)
	if err != nil { // only strings and numbers: cannot fail
		panic("redress: marshal event: " + err.Error())
	}
	return canonical
}

// Seal sets the event's place in the chain after prev (nil for the first
// event), its form (EventFormSubject: the subject is hashed) and its hash.
func (e *Event) Seal(prevSeq int64, prevHash string) {
	e.Seq = prevSeq + 1
	e.PrevHash = prevHash
	e.Form = EventFormSubject
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
	// redacted are the redacted events not witnessed yet: seq → redacted hash.
	redacted map[int64]string
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
	case e.Redacted == "" && e.ComputeHash() != e.Hash, e.Redacted != "" && e.ComputeHash() != e.Redacted:
		v.fail(e.Seq, "event "+strconv.FormatInt(e.Seq, 10)+" was altered (its content does not match its hash)")
	case !v.witness(e):
		v.fail(e.Seq, "event "+strconv.FormatInt(e.Seq, 10)+" witnesses a redaction that is not the one stored")
	case e.Form == EventFormLegacy && e.Subject != e.legacySubject():
		v.fail(e.Seq, "event "+strconv.FormatInt(e.Seq, 10)+" was altered (its subject is not the one its action and content name)")
	}
	if v.report.OK && e.Redacted != "" {
		if v.redacted == nil {
			v.redacted = map[int64]string{}
		}
		v.redacted[e.Seq] = e.Redacted
	}
	v.prevSeq, v.prevHash = e.Seq, e.Hash
	return v.report.OK
}

// witness checks the redactions an event witnesses (RedactionWitness): each
// names an earlier redacted event, its original hash and its redacted hash
// as stored. A witnessed event is settled; Finish fails on one that is not.
func (v *ChainVerifier) witness(e *Event) bool {
	for _, c := range e.Changes {
		seqText, ok := strings.CutPrefix(c.Field, redactionWitnessPrefix)
		if !ok {
			continue
		}
		seq, err := strconv.ParseInt(seqText, 10, 64)
		if err != nil || seq >= e.Seq || v.redacted[seq] != c.After {
			return false
		}
		delete(v.redacted, seq)
	}
	return true
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
	if r.OK && len(v.redacted) > 0 {
		first := int64(0)
		for seq := range v.redacted {
			if first == 0 || seq < first {
				first = seq
			}
		}
		r.OK, r.FirstBad = false, first
		r.Problem = "event " + strconv.FormatInt(first, 10) + " is marked redacted but no anonymisation witnesses it (altered)"
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
	Actor string
	// Action is an action's name, now or before it was renamed (both find
	// the events stored under either), or a prefix ending in ".", such as
	// "case.": every event whose subject is of that kind.
	Action  string
	CaseNo  string
	Subject Subject // a kind, or a kind and an id
	Org     string  // a unit's code: the events of the people of its subtree
	From    string  // YYYY-MM-DD, Beijing time, inclusive
	To      string  // YYYY-MM-DD, Beijing time, inclusive
	Before  int64   // cursor: events with a smaller seq
	Limit   int     // 1-MaxEventLimit, default 100
}

// MaxEventLimit bounds a page of the audit trail.
const MaxEventLimit = 500

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
