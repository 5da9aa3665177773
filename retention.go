package redress

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Retention (DOMAIN.md §6; PIPL Art.19: personal information is kept no
// longer than its purpose needs; Art.47: deleted, or, where a law keeps it,
// no longer processed, at the end of its period or on the person's request):
// each kind of record is kept for a number of years from the day it ended
// (a case's closing, an item's return, a check's day), then its personal data
// is anonymised. Nothing is deleted but the evidence files' bytes: every
// count, date, code and amount the statistics read stays, so a report of an
// old period gives the same figures before and after. A legal hold on a case
// or on a complainant stops its expiry.

// RetentionKind names a kind of record with a retention period of its own.
type RetentionKind string

// The kinds of record. A new register (the reception log, incidents) adds
// its constant here and its line to RetentionKinds, and its anonymiser to
// sqldb/retention.go's retentionTargets.
const (
	RetainComplaint   RetentionKind = "complaint"    // complaint cases (投诉), from closing
	RetainPetition    RetentionKind = "petition"     // petition matters (信访), from closing
	RetainEvidence    RetentionKind = "evidence"     // evidence and recordings of a case, from its closing
	RetainLost        RetentionKind = "lost_item"    // the lost-property register, from the item's return or disposal
	RetainOpinionBook RetentionKind = "opinion_book" // the opinion book's daily checks, from their day
	RetainAudit       RetentionKind = "audit_event"  // sign-in events (the client's address), from the event
	RetainReception   RetentionKind = "reception"    // the reception log's visits (来访接待登记), from the visit
	RetainIncident    RetentionKind = "incident"     // emergency incidents' texts (突发事件), from their closing
)

// RetentionRule is a kind's place in the retention policy: the fewest years
// an admin may set and the default.
type RetentionRule struct {
	Kind         RetentionKind `json:"kind"`
	MinYears     int           `json:"min_years"`
	DefaultYears int           `json:"default_years"`
}

// RetentionKinds lists every kind with its rule, one line each. Cases and
// their evidence are kept at least 3 years after closing (DOMAIN.md §6);
// referrals, return visits, notices to the customer, reviews and ratings
// are parts of their case and go with it.
var RetentionKinds = []RetentionRule{
	{RetainComplaint, 3, 3},
	{RetainPetition, 3, 3},
	{RetainEvidence, 3, 3},
	{RetainLost, 1, 3},
	{RetainOpinionBook, 1, 3},
	{RetainAudit, 1, 3},
	{RetainReception, 1, 3},
	{RetainIncident, 3, 3},
}

// MaxRetentionYears bounds a period an admin may set.
const MaxRetentionYears = 100

// RetentionPolicy is the years each kind is kept: admin data.
type RetentionPolicy map[RetentionKind]int

// DefaultRetentionPolicy is the policy before an admin sets one.
func DefaultRetentionPolicy() RetentionPolicy {
	p := RetentionPolicy{}
	for _, r := range RetentionKinds {
		p[r.Kind] = r.DefaultYears
	}
	return p
}

// RetentionRuleOf returns the rule of a kind, false for a kind not listed.
func RetentionRuleOf(kind RetentionKind) (RetentionRule, bool) {
	for _, r := range RetentionKinds {
		if r.Kind == kind {
			return r, true
		}
	}
	return RetentionRule{}, false
}

// Validate checks every kind of the policy at once: a known kind, years
// from its minimum to MaxRetentionYears. A kind left out keeps its default
// (WithDefaults).
func (p RetentionPolicy) Validate() error {
	var probs Problems
	for kind, years := range p {
		r, ok := RetentionRuleOf(kind)
		if !ok {
			probs.AddKey(string(kind), ProblemUnknown, string(kind))
			continue
		}
		if years < r.MinYears || years > MaxRetentionYears {
			probs.AddKey(string(kind), ProblemRange, strconv.Itoa(r.MinYears), strconv.Itoa(MaxRetentionYears))
		}
	}
	return probs.Err()
}

// WithDefaults returns the policy with every kind it leaves out at its default.
func (p RetentionPolicy) WithDefaults() RetentionPolicy {
	out := DefaultRetentionPolicy()
	for k, v := range p {
		if _, ok := RetentionRuleOf(k); ok {
			out[k] = v
		}
	}
	return out
}

// Cutoff is the moment before which a record of the kind that ended has
// expired as of now: now less the kind's years, in Beijing's calendar (a
// record closed on 2023-03-01 with 3 years expires at the start of
// 2026-03-01, Beijing time).
func (p RetentionPolicy) Cutoff(kind RetentionKind, now time.Time) time.Time {
	years := p.WithDefaults()[kind]
	return now.In(Beijing).AddDate(-years, 0, 0)
}

// RetentionRedacted is what anonymisation leaves in place of a text.
const RetentionRedacted = "[已匿名]"

// redactText returns RetentionRedacted for a text that is not empty.
func redactText(s string) string {
	if s == "" {
		return ""
	}
	return RetentionRedacted
}

// AnonymiseCase removes the personal data from a case in memory: the
// complainant's name, ID, phone, account, address, e-mail, organisation
// and legal representative; the subject, description and request; the
// free texts of the determination, the reply, the first contact and the
// return visit's attempts, which may repeat them. Kept: every status,
// date, code, level, amount, outcome, remedy, satisfaction and unit, which
// is all the statistics read. The store then seals the empty numbers (no
// blind index is left to find the person by) and marks the case.
func AnonymiseCase(c *Case, at time.Time) {
	p := &c.Complainant
	p.Name = RetentionRedacted
	p.IDNumber, p.Phone, p.Account, p.Address, p.Email = "", "", "", "", ""
	p.OrgName, p.CreditCode, p.LegalRep = redactText(p.OrgName), "", redactText(p.LegalRep)
	c.Subject, c.Description, c.Request = RetentionRedacted, RetentionRedacted, redactText(c.Request)
	c.EndReason = redactText(c.EndReason)
	if d := c.Determination; d != nil {
		d.ResponsibleParty, d.RootCause, d.Accountability = redactText(d.ResponsibleParty), redactText(d.RootCause), redactText(d.Accountability)
	}
	if r := c.Reply; r != nil {
		r.Facts, r.Basis, r.Redress, r.NoticeProof = redactText(r.Facts), redactText(r.Basis), redactText(r.Redress), redactText(r.NoticeProof)
	}
	if k := c.Contact; k != nil {
		k.Text, k.Notice.Proof = redactText(k.Text), redactText(k.Notice.Proof)
	}
	if v := c.ReturnVisit; v != nil {
		v.Script = redactText(v.Script)
		for i := range v.Attempts {
			v.Attempts[i].Text = redactText(v.Attempts[i].Text)
		}
	}
	for _, list := range [][]Entry{c.Findings, c.Notes, c.Conflicts} {
		for i := range list {
			list[i].Text = redactText(list[i].Text)
		}
	}
	at = at.UTC()
	c.AnonymisedAt = &at
}

// eventKeptFields are the fields of an event's changes that hold no personal
// data (statuses, dates, codes, units, counts): anonymisation keeps them and
// redacts every other field's values, so a field added later is redacted
// until it is listed here.
var eventKeptFields = map[string]bool{
	"kind": true, "channel": true, "received_at": true, "status": true, "level": true, "code_a": true, "code_b": true,
	"code_c": true, "root_cause_code": true, "risk": true, "priority": true, "org": true, "first_responder": true,
	"handler": true, "reply_due": true, "decision_due": true, "decision_clock": true, "clock_start": true,
	"paused_since": true, "paused_days": true, "regulator_due": true, "regulator_source": true,
	"regulator_forwarded_on": true, "regulator_finding": true, "regulator_finding_on": true, "signed_off_by": true,
	"satisfaction": true, "closed_at": true, "reply_satisfied_at": true, "reply_satisfied_by": true,
	"agreed_reply_due": true, "decision_start": true, "accept_decision": true, "key_customer": true,
	"accusation": true, "amount": true, "reply.outcome": true, "reply.redress_amount": true, "reply.remedies": true,
	"reply.notice_method": true, "reply.notice_at": true, "contact.notice_method": true, "contact.notice_at": true,
	"return_visit.status": true, "return_visit.due": true, "return_visit.satisfaction": true,
	"return_visit.attempts": true, "return_visit.proposal": true, "liability": true, "accountability_measure": true,
	"accountable_staff": true, "respondent.org": true, "respondent.staff": true, "complainant.id_type": true,
	"complainant.notice_by": true, "evidence.size": true, "evidence.sha256": true, "evidence.content_type": true,
	"found_at": true,
}

// RedactEvent replaces the personal values of a stored event: the before
// and after of every change not in eventKeptFields, and the detail. It
// keeps the event's hash, which still links the chain, and sets Redacted
// to the hash of the content as redacted (ComputeHash, which covers the
// event's place: previous hash and sequence number); the anonymisation's
// own event witnesses that hash (RedactionWitness), so the verifier checks
// the redacted event against it. It reports whether anything changed; an
// event already redacted, or with nothing personal, is left as it is.
func RedactEvent(e *Event) bool {
	if e.Redacted != "" {
		return false
	}
	changed := false
	for i, c := range e.Changes {
		if eventKeptFields[c.Field] || strings.HasPrefix(c.Field, redactionWitnessPrefix) || (c.Before == "" && c.After == "") {
			continue
		}
		e.Changes[i].Before, e.Changes[i].After = redactText(c.Before), redactText(c.After)
		changed = changed || e.Changes[i] != c
	}
	if e.Detail != "" && e.Detail != RetentionRedacted {
		e.Detail, changed = RetentionRedacted, true
	}
	if changed {
		e.Redacted = e.ComputeHash()
	}
	return changed
}

// redactionWitnessPrefix starts the field of a change that witnesses a
// redacted event: "redacted_event.<seq>", the redacted hash after.
const redactionWitnessPrefix = "redacted_event."

// RedactionWitness is the change the anonymisation's event records for a
// redacted event: its sequence number, its original hash before and its
// redacted hash after.
func RedactionWitness(e *Event) Change {
	return Change{Field: redactionWitnessPrefix + strconv.FormatInt(e.Seq, 10), Before: e.Hash, After: e.Redacted}
}

// HoldScope is what a legal hold is on.
type HoldScope string

// The scopes of a legal hold.
const (
	HoldCase        HoldScope = "case"        // one case, by its tracking number
	HoldComplainant HoldScope = "complainant" // every case of a person, by the blind index of an ID or phone
)

// LegalHold is a legal hold (诉讼保全/法律冻结): while it stands, what it
// covers does not expire and is not erased. A complainant's hold names the
// person by a masked number only; the store keeps the blind index.
type LegalHold struct {
	ID            int64      `json:"id"`
	Scope         HoldScope  `json:"scope"`
	CaseNo        string     `json:"case_no,omitempty"`
	Person        string     `json:"person,omitempty"` // the masked ID or phone of a complainant's hold
	Reason        string     `json:"reason"`
	PlacedBy      string     `json:"placed_by"`
	PlacedAt      time.Time  `json:"placed_at"`
	ReleasedBy    string     `json:"released_by,omitempty"`
	ReleasedAt    *time.Time `json:"released_at,omitempty"`
	ReleaseReason string     `json:"release_reason,omitempty"`
}

// Active reports whether the hold still stands.
func (h LegalHold) Active() bool { return h.ReleasedAt == nil }

// Ref is the hold's reference, LH-000012: the id of its audit subject.
func (h LegalHold) Ref() string { return HoldRef(h.ID) }

// HoldRef formats a hold's reference.
func HoldRef(id int64) string { return "LH-" + leftPad(strconv.FormatInt(id, 10), 6) }

// ParseHoldRef reads a reference (LH-000012) or a bare number.
func ParseHoldRef(s string) (int64, bool) { return parseRef("LH-", s) }

// MaxHoldReason bounds a hold's reason and its release's.
const MaxHoldReason = 500

// NewLegalHold places a hold: on the case of the path, or on a complainant
// by ID number or phone (one of them; they travel in the body, never in a
// URL), with the reason.
type NewLegalHold struct {
	IDNumber string `json:"id_number,omitempty"`
	Phone    string `json:"phone,omitempty"`
	Reason   string `json:"reason"`
}

// Validate checks a hold: a reason within MaxHoldReason; for a
// complainant's hold (person true) exactly one number.
func (n NewLegalHold) Validate(person bool) error {
	var p Problems
	checkReason(&p, "reason", n.Reason)
	switch {
	case !person && (n.IDNumber != "" || n.Phone != ""):
		p.AddKey("id_number", ProblemUnknown, "id_number")
	case person && n.IDNumber == "" && n.Phone == "":
		p.AddKey("id_number", ProblemRequired)
	case person && n.IDNumber != "" && n.Phone != "":
		p.AddKey("phone", ProblemChoice, "id_number, phone")
	}
	return p.Err()
}

// HoldRelease releases a hold, with the reason.
type HoldRelease struct {
	Reason string `json:"reason"`
}

// Validate checks the release's reason.
func (r HoldRelease) Validate() error {
	var p Problems
	checkReason(&p, "reason", r.Reason)
	return p.Err()
}

func checkReason(p *Problems, field, s string) {
	switch s = strings.TrimSpace(s); {
	case s == "":
		p.AddKey(field, ProblemRequired)
	case len([]rune(s)) > MaxHoldReason:
		p.AddKey(field, ProblemTooLong, strconv.Itoa(MaxHoldReason))
	case StorableTextProblem(s) != "":
		p.AddKey(field, StorableTextProblem(s))
	}
}

// ErasureRequest is a complainant's request to erase their personal data
// (PIPL Art.47 删除权): the person by ID number or phone (one), in the
// body, and the request's reference or reason as recorded.
type ErasureRequest struct {
	IDNumber string `json:"id_number,omitempty"`
	Phone    string `json:"phone,omitempty"`
	Reason   string `json:"reason"`
}

// Validate checks the request as NewLegalHold checks a complainant's hold.
func (r ErasureRequest) Validate() error {
	return NewLegalHold(r).Validate(true)
}

// ErasureRefusal is the reason an erasure cannot run, nil when it can: not
// while a case of the person is open (its handling needs the data) or a
// hold stands on the person or one of their cases (PIPL Art.47 para 2:
// a period a law sets has not ended). found is how many cases the person
// has; none is not found.
func ErasureRefusal(found, open, held int) error {
	switch {
	case found == 0:
		return Errorf(ENOTFOUND, "no case of this person is kept")
	case held > 0:
		return Reasonf(ECONFLICT, ReasonErasureHeld, strconv.Itoa(held))
	case open > 0:
		return Reasonf(ECONFLICT, ReasonErasureOpen, strconv.Itoa(open))
	}
	return nil
}

// RetentionCount is how many records of a kind expire (or expired) and how
// many of them a hold keeps.
type RetentionCount struct {
	Kind    RetentionKind `json:"kind"`
	Years   int           `json:"years"`
	Cutoff  string        `json:"cutoff"` // YYYY-MM-DD, Beijing: records ended before it expire
	Expired int           `json:"expired"`
	Held    int           `json:"held"`
}

// RetentionReport is a dry run's or a run's result, by kind in the order
// of RetentionKinds.
type RetentionReport struct {
	DryRun bool             `json:"dry_run"`
	AsOf   time.Time        `json:"as_of"`
	Kinds  []RetentionCount `json:"kinds"`
	// Events is how many audit events were redacted (0 on a dry run).
	Events int `json:"events"`
	// Files is how many evidence files' contents were deleted.
	Files int `json:"files"`
	// Skipped is how many records counted changed before their turn (a case
	// reopened, a hold placed): left alone, the next run looks again.
	Skipped int `json:"skipped"`
}

// Total is the records that expire in all.
func (r *RetentionReport) Total() int {
	n := 0
	for _, k := range r.Kinds {
		n += k.Expired
	}
	return n
}

// ErasureResult is what an erasure did: the cases anonymised (their
// numbers) and the events redacted.
type ErasureResult struct {
	Cases  []string `json:"cases"`
	Events int      `json:"events"`
	Files  int      `json:"files"`
}

// RetentionService keeps the retention policy and the legal holds, and
// runs the retention job and erasures.
type RetentionService interface {
	// RetentionPolicy returns the policy in force. Errors: EFORBIDDEN.
	RetentionPolicy(ctx context.Context) (RetentionPolicy, error)
	// SetRetentionPolicy saves the policy (admin). Errors: EINVALID, EFORBIDDEN.
	SetRetentionPolicy(ctx context.Context, p RetentionPolicy) (RetentionPolicy, error)
	// RunRetention counts what expires as of now and, unless dryRun,
	// anonymises it. Errors: EFORBIDDEN.
	RunRetention(ctx context.Context, dryRun bool) (*RetentionReport, error)
	// Holds lists the holds, of one case when caseNo is set, else every
	// hold still standing. Errors: ENOTFOUND, EFORBIDDEN.
	Holds(ctx context.Context, caseNo string) ([]LegalHold, error)
	// PlaceHold places a hold on a case (caseNo) or a complainant (caseNo
	// ""). Errors: EINVALID, ENOTFOUND, EFORBIDDEN.
	PlaceHold(ctx context.Context, caseNo string, n NewLegalHold) (*LegalHold, error)
	// ReleaseHold releases a hold. Errors: EINVALID, ENOTFOUND, ECONFLICT, EFORBIDDEN.
	ReleaseHold(ctx context.Context, id int64, r HoldRelease) (*LegalHold, error)
	// Erase anonymises every case of one person now. Errors: EINVALID,
	// ENOTFOUND, ECONFLICT (a hold, an open case), EFORBIDDEN.
	Erase(ctx context.Context, r ErasureRequest) (*ErasureResult, error)
}
