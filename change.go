package redress

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// caseFields flattens what an event records of a case: every field a user
// can see or change, personal data masked as the case already carries it.
func caseFields(c *Case) map[string]string {
	if c == nil {
		return map[string]string{}
	}
	f := map[string]string{
		"kind": string(c.Kind), "channel": string(c.Channel), "received_at": c.ReceivedAt.UTC().Format(time.RFC3339),
		"complainant.name": c.Complainant.Name, "complainant.id_type": string(c.Complainant.IDType),
		"complainant.id_number": c.Complainant.IDNumber, "complainant.phone": c.Complainant.Phone,
		"complainant.account": c.Complainant.Account, "complainant.org_name": c.Complainant.OrgName,
		"complainant.credit_code": c.Complainant.CreditCode, "complainant.legal_rep": c.Complainant.LegalRep,
		"respondent.org": c.Respondent.Org, "respondent.staff": c.Respondent.Staff, "accusation": strconv.FormatBool(c.Accusation),
		"subject": c.Subject, "description": c.Description, "request": c.Request, "amount": c.Amount,
		"code_a": c.CodeA, "code_b": c.CodeB, "code_c": c.CodeC, "risk": string(c.Risk), "priority": string(c.Priority),
		"org": c.Org, "first_responder": c.FirstResponder, "handler": c.Handler, "level": strconv.Itoa(c.Level),
		"status": string(c.Status), "reply_due": c.ReplyDue, "decision_due": c.DecisionDue,
		"decision_clock": c.DecisionClock, "clock_start": c.ClockStart, "paused_since": c.PausedSince,
		"paused_days": strconv.Itoa(c.PausedDays), "regulator_ref": c.RegulatorRef, "regulator_due": c.RegulatorDue,
		"signed_off_by": c.SignedOffBy, "satisfaction": string(c.Satisfaction), "end_reason": c.EndReason,
		"closed_at": timeOrEmpty(c.ClosedAt), "reply_satisfied_at": timeOrEmpty(c.ReplySatisfiedAt),
		"reply_satisfied_by": string(c.ReplySatisfiedBy), "agreed_reply_due": c.AgreedReplyDue,
		"decision_start": c.DecisionStart, "accept_decision": string(c.AcceptDecision),
		"key_customer": strconv.FormatBool(c.KeyCustomer),
	}
	if v := c.ReturnVisit; v != nil { // return_visit.go
		f["return_visit.status"], f["return_visit.due"], f["return_visit.satisfaction"], f["return_visit.attempts"] =
			string(v.Status), v.Due, string(v.Satisfaction), strconv.Itoa(len(v.Attempts))
		f["return_visit.proposal"] = v.Proposal
	}
	if k := c.Contact; k != nil {
		f["contact.text"], f["contact.notice_method"], f["contact.notice_at"], f["contact.notice_proof"] =
			k.Text, string(k.Notice.Method), k.Notice.At.UTC().Format(time.RFC3339), k.Notice.Proof
	}
	if d := c.Determination; d != nil {
		f["liability"], f["responsible_party"], f["root_cause"], f["accountability"] =
			string(d.Liability), d.ResponsibleParty, d.RootCause, d.Accountability
		f["root_cause_code"], f["accountability_measure"], f["accountable_staff"] =
			d.RootCauseCode, string(d.AccountabilityMeasure), d.AccountableStaff
	}
	regulatorFields(c, f)   // regulator.go
	if c.MergedInto != "" { // repeat.go
		f["merged_into"] = c.MergedInto
	}
	if c.ArchivedAt != nil { // archive.go
		f["archived_at"] = timeOrEmpty(c.ArchivedAt)
	}
	if r := c.Reply; r != nil {
		remedies := make([]string, len(r.Remedies))
		for i, x := range r.Remedies {
			remedies[i] = string(x)
		}
		f["reply.facts"], f["reply.basis"], f["reply.outcome"], f["reply.redress"] = r.Facts, r.Basis, string(r.Outcome), r.Redress
		f["reply.redress_amount"], f["reply.remedies"] = r.RedressPaid, strings.Join(remedies, ",")
		f["reply.notice_method"], f["reply.notice_at"], f["reply.notice_proof"] =
			string(r.NoticeMethod), r.NoticeAt.UTC().Format(time.RFC3339), r.NoticeProof
	}
	return f
}

func timeOrEmpty(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// DiffCase lists the fields whose value differs between before and after,
// sorted by name; a nil before means a new case. It is what an audit
// event records of a change to a case.
func DiffCase(before, after *Case) []Change {
	b, a := caseFields(before), caseFields(after)
	changes := []Change{}
	for field, value := range a {
		if b[field] != value {
			changes = append(changes, Change{Field: field, Before: b[field], After: value})
		}
	}
	for field, value := range b {
		if _, still := a[field]; !still && value != "" {
			changes = append(changes, Change{Field: field, Before: value})
		}
	}
	sort.Slice(changes, func(i, j int) bool { return changes[i].Field < changes[j].Field })
	return changes
}
