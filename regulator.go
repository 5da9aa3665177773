package redress

import (
	"strings"
	"time"
)

// This file holds the regulator's side of a case forwarded by a regulator
// (channel regulator): which channel of the regulator it came through, its
// case number, the date forwarded and the regulator's deadline, and the
// regulator's later finding whether the complaint was valid (有效投诉).

// RegulatorSource is the regulator's channel a forwarded case came through.
type RegulatorSource string

// The regulator's channels.
const (
	// Source12378: 国家金融监督管理总局 银行保险消费者投诉维权热线 12378.
	Source12378 RegulatorSource = "12378"
	// SourcePlatform: 金融消费者保护服务平台, run by 中国银保信 since 2024,
	// which forwards complaints to every bank.
	SourcePlatform RegulatorSource = "platform"
	// Source12363: 中国人民银行 金融消费权益保护咨询投诉电话 12363.
	Source12363 RegulatorSource = "12363"
	// SourcePetitionTransfer: a transfer from a 信访 body (信访转办).
	SourcePetitionTransfer RegulatorSource = "petition_transfer"
)

// RegulatorSources lists every regulator's channel.
var RegulatorSources = []RegulatorSource{Source12378, SourcePlatform, Source12363, SourcePetitionTransfer}

// Valid reports whether s is a known regulator's channel.
func (s RegulatorSource) Valid() bool { return oneOf(s, RegulatorSources) }

// RegulatorFinding is the regulator's finding on a forwarded complaint.
type RegulatorFinding string

// The regulator's findings.
const (
	FindingValid   RegulatorFinding = "valid"   // 有效投诉
	FindingInvalid RegulatorFinding = "invalid" // 无效投诉
)

// RegulatorFindings lists the regulator's findings.
var RegulatorFindings = []RegulatorFinding{FindingValid, FindingInvalid}

// Problem keys of the regulator's fields.
const (
	// ProblemRegulatorChannel: regulator's fields on a case not forwarded by a regulator.
	ProblemRegulatorChannel = "regulator_channel"
	// ProblemForwardedAfterReceipt: the date forwarded is after the case was received.
	ProblemForwardedAfterReceipt = "forwarded_after_receipt"
	// ProblemDueBeforeForwarded: the regulator's deadline is before the date forwarded or received.
	ProblemDueBeforeForwarded = "due_before_forwarded"
)

// validateRegulator checks the regulator's fields of a new case: a case of
// the regulator channel names the regulator's channel, the regulator's case
// number and its deadline; the date forwarded (the date of receipt when not
// given) is not after the receipt and the deadline not before either; a case
// of any other channel carries none of them.
func (n *NewCase) validateRegulator(p *Problems) {
	checkText(p, "regulator_ref", n.RegulatorRef, 0, 100)
	if n.Channel != ChannelRegulator {
		for field, v := range map[string]string{"regulator_source": string(n.RegulatorSource),
			"regulator_forwarded_on": n.RegulatorForwardedOn, "regulator_ref": n.RegulatorRef, "regulator_due": n.RegulatorDue} {
			if v != "" {
				p.AddKey(field, ProblemRegulatorChannel)
			}
		}
		return
	}
	switch {
	case n.RegulatorSource == "":
		p.AddKey("regulator_source", ProblemRequired)
	case !n.RegulatorSource.Valid():
		p.AddKey("regulator_source", ProblemUnknown, string(n.RegulatorSource))
	}
	if n.RegulatorRef == "" {
		p.AddKey("regulator_ref", ProblemRequired)
	}
	received := DateOf(n.ReceivedAt)
	if n.RegulatorForwardedOn == "" && !n.ReceivedAt.IsZero() {
		n.RegulatorForwardedOn = received.String()
	}
	var forwarded Date
	var forwardedOK bool
	if n.RegulatorForwardedOn != "" {
		d, err := ParseDate(n.RegulatorForwardedOn)
		switch {
		case err != nil:
			p.AddKey("regulator_forwarded_on", ProblemDate)
		case !n.ReceivedAt.IsZero() && received.Before(d):
			p.AddKey("regulator_forwarded_on", ProblemForwardedAfterReceipt)
		default:
			forwarded, forwardedOK = d, true
		}
	}
	if n.RegulatorDue == "" {
		p.AddKey("regulator_due", ProblemRequired)
		return
	}
	due, err := ParseDate(n.RegulatorDue)
	switch {
	case err != nil:
		p.AddKey("regulator_due", ProblemDate)
	case forwardedOK && due.Before(forwarded), !n.ReceivedAt.IsZero() && due.Before(received):
		p.AddKey("regulator_due", ProblemDueBeforeForwarded)
	}
}

// ActionRecordRegulatorFinding records the regulator's finding on a case it
// forwarded: valid (有效投诉) or invalid (无效投诉), the date of the finding and
// its reference. It is allowed in every status (the finding often comes
// after the case is closed), by the complaint managers and the handler, on a
// case of the regulator channel only; a later finding replaces the earlier
// one, and each is an audit event of its own.
const ActionRecordRegulatorFinding Action = "record_regulator_finding"

// RegulatorFindingInput is the request of record_regulator_finding.
type RegulatorFindingInput struct {
	Finding    RegulatorFinding `json:"regulator_finding,omitempty"`
	FindingOn  string           `json:"regulator_finding_on,omitempty"` // YYYY-MM-DD
	FindingRef string           `json:"regulator_finding_ref,omitempty"`
}

// regulatorFindingFields are the request fields of record_regulator_finding.
var regulatorFindingFields = []string{"regulator_finding", "regulator_finding_on", "regulator_finding_ref"}

// validate checks the finding on its own: one of valid / invalid, a date
// not after today (Beijing), a reference of at most 100 characters.
func (in *RegulatorFindingInput) validate(p *Problems, now time.Time) {
	in.FindingRef = strings.TrimSpace(in.FindingRef)
	if !oneOf(in.Finding, RegulatorFindings) {
		p.AddKey("regulator_finding", ProblemOneOf, "valid, invalid")
	}
	switch d, err := ParseDate(in.FindingOn); {
	case in.FindingOn == "":
		p.AddKey("regulator_finding_on", ProblemRequired)
	case err != nil:
		p.AddKey("regulator_finding_on", ProblemDate)
	case DateOf(now).Before(d):
		p.AddKey("regulator_finding_on", ProblemFuture)
	}
	checkText(p, "regulator_finding_ref", in.FindingRef, 0, 100)
}

// regulatorCaseRule is CaseRules' rule of record_regulator_finding: only a
// case the regulator forwarded takes the regulator's finding.
func regulatorCaseRule(c *Case) error {
	if c.Channel != ChannelRegulator {
		return Errorf(ECONFLICT, "case %s was not forwarded by a regulator: it takes no regulator's finding", c.No)
	}
	return nil
}

// applyRegulatorFinding is ApplyAction's step of record_regulator_finding.
func applyRegulatorFinding(c *Case, req *ActionRequest, fx *ActionEffect) {
	in := req.RegulatorFindingInput
	c.RegulatorFinding, c.RegulatorFindingOn, c.RegulatorFindingRef = in.Finding, in.FindingOn, in.FindingRef
	fx.Detail = strings.TrimSpace(string(in.Finding) + " " + in.FindingOn + " " + in.FindingRef)
}

// regulatorFields adds the regulator's fields of the case to what an audit
// event records of it (caseFields).
func regulatorFields(c *Case, f map[string]string) {
	f["regulator_source"], f["regulator_forwarded_on"] = string(c.RegulatorSource), c.RegulatorForwardedOn
	f["regulator_finding"], f["regulator_finding_on"], f["regulator_finding_ref"] =
		string(c.RegulatorFinding), c.RegulatorFindingOn, c.RegulatorFindingRef
}
