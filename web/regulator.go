package web

import (
	"net/url"
	"strings"

	"redress"
)

// The regulator's side of a forwarded case on the pages (redress
// regulator.go): the choices of the registration form and of the
// record_regulator_finding form, and reading that form.

// RegulatorSources are the regulator's channels the registration form offers.
func (*newCaseForm) RegulatorSources() []redress.RegulatorSource { return redress.RegulatorSources }

// RegulatorFindings are the findings the record_regulator_finding form offers.
func (*casePage) RegulatorFindings() []redress.RegulatorFinding { return redress.RegulatorFindings }

// Today is the default date of the regulator's finding: today, Beijing time.
func (p *casePage) Today() string {
	if len(p.Now) >= 10 {
		return p.Now[:10]
	}
	return ""
}

// regulatorFindingFromForm reads the record_regulator_finding form.
func regulatorFindingFromForm(f url.Values) redress.RegulatorFindingInput {
	return redress.RegulatorFindingInput{Finding: redress.RegulatorFinding(f.Get("regulator_finding")),
		FindingOn: strings.TrimSpace(f.Get("regulator_finding_on")), FindingRef: f.Get("regulator_finding_ref")}
}

// regulatorFromForm reads the regulator's section of the registration form
// into n. The section is shown for the regulator channel only; a hidden
// section still posts what was typed into it before the channel changed,
// so for any other channel it is dropped, not refused.
func regulatorFromForm(f url.Values, n *redress.NewCase) {
	if n.Channel != redress.ChannelRegulator {
		n.RegulatorRef, n.RegulatorDue = "", ""
		return
	}
	n.RegulatorSource = redress.RegulatorSource(f.Get("regulator_source"))
	n.RegulatorForwardedOn = strings.TrimSpace(f.Get("regulator_forwarded_on"))
}
