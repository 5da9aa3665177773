package redress

import (
	"testing"
	"time"
)

// regulatorCase is a valid case forwarded through the 12378 hotline.
func regulatorCase() NewCase {
	n := validCase()
	n.Channel, n.RegulatorSource, n.RegulatorRef = ChannelRegulator, Source12378, "12378-2026-000123"
	n.RegulatorForwardedOn, n.RegulatorDue = "2026-11-19", "2026-12-04"
	return n
}

// TestRegulatorIntake: a case forwarded by the regulator names the
// regulator's channel (12378, 金融消费者保护服务平台, 12363, 信访转办), the
// regulator's case number, the date forwarded (not after receipt) and the
// regulator's deadline (not before either); no other channel carries them.
func TestRegulatorIntake(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, Beijing)
	tests := []struct {
		name   string
		change func(*NewCase)
		field  string // "" = valid
		key    string
	}{
		{"12378 hotline", func(*NewCase) {}, "", ""},
		{"the platform of 中国银保信", func(n *NewCase) { n.RegulatorSource = SourcePlatform }, "", ""},
		{"12363", func(n *NewCase) { n.RegulatorSource = Source12363 }, "", ""},
		{"信访转办", func(n *NewCase) { n.RegulatorSource = SourcePetitionTransfer }, "", ""},
		{"forwarded the day of receipt", func(n *NewCase) { n.RegulatorForwardedOn = "2026-11-20" }, "", ""},
		{"forwarded date defaults to receipt", func(n *NewCase) { n.RegulatorForwardedOn = "" }, "", ""},
		{"source required", func(n *NewCase) { n.RegulatorSource = "" }, "regulator_source", ProblemRequired},
		{"unknown source", func(n *NewCase) { n.RegulatorSource = "12345" }, "regulator_source", ProblemUnknown},
		{"case number required", func(n *NewCase) { n.RegulatorRef = "" }, "regulator_ref", ProblemRequired},
		{"deadline required", func(n *NewCase) { n.RegulatorDue = "" }, "regulator_due", ProblemRequired},
		{"deadline not a date", func(n *NewCase) { n.RegulatorDue = "2026-13-01" }, "regulator_due", ProblemDate},
		{"forwarded after receipt", func(n *NewCase) { n.RegulatorForwardedOn = "2026-11-21" }, "regulator_forwarded_on", ProblemForwardedAfterReceipt},
		{"forwarded not a date", func(n *NewCase) { n.RegulatorForwardedOn = "19.11.2026" }, "regulator_forwarded_on", ProblemDate},
		{"deadline before forwarded", func(n *NewCase) { n.RegulatorForwardedOn, n.RegulatorDue = "2026-11-10", "2026-11-09" }, "regulator_due", ProblemDueBeforeForwarded},
		{"deadline before receipt", func(n *NewCase) { n.RegulatorDue = "2026-11-19" }, "regulator_due", ProblemDueBeforeForwarded},
		{"another channel carries no source", func(n *NewCase) {
			n.Channel, n.RegulatorRef, n.RegulatorDue, n.RegulatorForwardedOn = ChannelCounter, "", "", ""
		}, "regulator_source", ProblemRegulatorChannel},
		{"another channel carries no case number", func(n *NewCase) {
			n.Channel, n.RegulatorSource, n.RegulatorDue, n.RegulatorForwardedOn = ChannelCounter, "", "", ""
		}, "regulator_ref", ProblemRegulatorChannel},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n := regulatorCase()
			tt.change(&n)
			err := n.Validate(now)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				if n.RegulatorForwardedOn == "" {
					t.Fatal("the date forwarded was not filled in")
				}
				return
			}
			if got := ErrorProblems(err)[tt.field]; got.Key != tt.key {
				t.Fatalf("want %s: %s, got %v (%v)", tt.field, tt.key, got, err)
			}
		})
	}
}

// TestRegulatorFinding: the regulator's finding (有效投诉 / 无效投诉) is
// valid or invalid with a date not in the future; it is taken in any
// status, only on a case the regulator forwarded, and it replaces the
// earlier finding.
func TestRegulatorFinding(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, Beijing)
	ok := RegulatorFindingInput{Finding: FindingValid, FindingOn: "2026-11-23", FindingRef: "金消保函〔2026〕12号"}
	tests := []struct {
		name  string
		in    RegulatorFindingInput
		field string
	}{
		{"valid", ok, ""},
		{"invalid finding", RegulatorFindingInput{Finding: FindingInvalid, FindingOn: "2026-11-01"}, ""},
		{"no finding", RegulatorFindingInput{FindingOn: "2026-11-01"}, "regulator_finding"},
		{"unknown finding", RegulatorFindingInput{Finding: "maybe", FindingOn: "2026-11-01"}, "regulator_finding"},
		{"no date", RegulatorFindingInput{Finding: FindingValid}, "regulator_finding_on"},
		{"tomorrow", RegulatorFindingInput{Finding: FindingValid, FindingOn: "2026-11-24"}, "regulator_finding_on"},
	}
	for _, tt := range tests {
		req := ActionRequest{Action: ActionRecordRegulatorFinding, Version: 1, RegulatorFindingInput: tt.in}
		err := req.Validate(now)
		if tt.field == "" && err != nil || tt.field != "" && ErrorProblems(err)[tt.field].Key == "" {
			t.Errorf("%s: want problem on %q, got %v", tt.name, tt.field, err)
		}
	}
	for _, status := range Statuses {
		forwarded := guardCase(status, func(c *Case) { c.Channel, c.RegulatorSource = ChannelRegulator, Source12378 })
		if _, err := Permit(ActionRecordRegulatorFinding, forwarded, uSubManager); err != nil {
			t.Errorf("%s: a forwarded case takes the finding: %v", status, err)
		}
		if _, err := Permit(ActionRecordRegulatorFinding, guardCase(status, nil), uSubManager); ErrorCode(err) != ECONFLICT {
			t.Errorf("%s: a case not forwarded: want conflict, got %v", status, err)
		}
	}
	c := guardCase(StatusClosed, func(c *Case) {
		c.Channel, c.RegulatorFinding, c.RegulatorFindingOn = ChannelRegulator, FindingInvalid, "2026-11-01"
	})
	req := ActionRequest{Action: ActionRecordRegulatorFinding, Version: 3, RegulatorFindingInput: ok}
	fx, err := ApplyAction(c, StatusClosed, ActionInput{Request: &req, Actor: uSubManager, Now: now})
	if err != nil || c.RegulatorFinding != FindingValid || c.RegulatorFindingOn != "2026-11-23" ||
		c.RegulatorFindingRef != ok.FindingRef || c.Status != StatusClosed || fx.Detail == "" {
		t.Fatalf("the later finding replaces the earlier one: %+v %+v %v", c, fx, err)
	}
}
