package redress

// This file is what a determination records so that reports can count it
// (CBIRC Order 2020 No.3 Art.9: 溯源整改; Arts.26–27: statistics and
// assessment): the root cause as a code of the list R (code.go), and the
// accountability measure (问责) with the staff member it is taken against.

// AccountabilityMeasure is a measure taken against a staff member
// responsible for a complaint.
type AccountabilityMeasure string

// The accountability measures, mildest first.
const (
	AccountabilityNone       AccountabilityMeasure = "none"       // 无
	AccountabilityCriticism  AccountabilityMeasure = "criticism"  // 批评教育
	AccountabilityCircular   AccountabilityMeasure = "circular"   // 通报
	AccountabilityFine       AccountabilityMeasure = "fine"       // 经济处罚
	AccountabilityTransfer   AccountabilityMeasure = "transfer"   // 调岗
	AccountabilityDiscipline AccountabilityMeasure = "discipline" // 纪律处分
)

// AccountabilityMeasures lists every measure.
var AccountabilityMeasures = []AccountabilityMeasure{AccountabilityNone, AccountabilityCriticism, AccountabilityCircular,
	AccountabilityFine, AccountabilityTransfer, AccountabilityDiscipline}

// HoldsSomeone reports whether the measure is taken against a person (any
// measure but none).
func (m AccountabilityMeasure) HoldsSomeone() bool { return m != "" && m != AccountabilityNone }

// validateCodes checks the determination's coded fields: the root-cause
// code has the list's form (the store checks it exists and is active); a
// measure is one of the list and, when it holds someone, names them; a staff
// member is named only with such a measure.
func (d *Determination) validateCodes(p *Problems) {
	if d.RootCauseCode != "" && (DimensionOf(d.RootCauseCode) != DimensionRootCause || !codePattern.MatchString(d.RootCauseCode)) {
		p.AddKey("root_cause_code", ProblemUnknown, d.RootCauseCode)
	}
	if d.AccountabilityMeasure != "" && !oneOf(d.AccountabilityMeasure, AccountabilityMeasures) {
		p.AddKey("accountability_measure", ProblemOneOf, "none, criticism, circular, fine, transfer, discipline")
	}
	checkText(p, "accountable_staff", d.AccountableStaff, 0, 64)
	switch {
	case d.AccountabilityMeasure.HoldsSomeone() && d.AccountableStaff == "":
		p.Add("accountable_staff", "required: the login of the staff member the measure is taken against")
	case !d.AccountabilityMeasure.HoldsSomeone() && d.AccountableStaff != "":
		p.Add("accountability_measure", "required when a staff member is named: the measure taken against them")
	}
}
