package sqldb

import (
	"strings"
	"testing"

	"redress"
)

// TestRegulatorSourceAndFinding: a case forwarded through the 金融消费者保护服务平台
// keeps the regulator's channel, case number, date forwarded and deadline;
// the regulator's later finding (有效投诉 / 无效投诉) is recorded in any status,
// audited, and counted by the statistics by source and finding.
func TestRegulatorSourceAndFinding(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	n := sampleCase()
	n.Channel, n.RegulatorSource, n.RegulatorRef = redress.ChannelRegulator, redress.SourcePlatform, "JXB-2026-110-000451"
	n.RegulatorForwardedOn, n.RegulatorDue = "2026-11-19", "2026-12-03"
	c, err := f.cases.CreateCase(f.as("staff.bj"), n)
	if err != nil {
		t.Fatal(err)
	}
	c, err = f.cases.Case(f.as("mgr.bj"), c.No)
	if err != nil || c.RegulatorSource != redress.SourcePlatform || c.RegulatorForwardedOn != "2026-11-19" ||
		c.RegulatorRef != n.RegulatorRef || c.DecisionDue != "2026-12-03" || c.RegulatorFinding != "" {
		t.Fatalf("read back: %+v %v", c, err)
	}
	// A second case through 12378, withdrawn, then found invalid; a third, no finding yet.
	n2 := sampleCase()
	n2.Channel, n2.RegulatorSource, n2.RegulatorRef, n2.RegulatorDue = redress.ChannelRegulator, redress.Source12378, "12378-2026-000009", "2026-12-05"
	c2, err := f.cases.CreateCase(f.as("staff.bj"), n2)
	if err != nil {
		t.Fatal(err)
	}
	if c2.RegulatorForwardedOn != "2026-11-20" {
		t.Errorf("the date forwarded defaults to the date of receipt: %q", c2.RegulatorForwardedOn)
	}
	if _, err := f.cases.CreateCase(f.as("staff.bj"), n2); err != nil {
		t.Fatal(err)
	}
	c2 = f.act(t, "staff.bj", c2, redress.ActionRequest{Action: redress.ActionWithdraw, Reason: "客户撤回"})
	day := redress.DateOf(f.clock).String()
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionRecordRegulatorFinding,
		RegulatorFindingInput: redress.RegulatorFindingInput{Finding: redress.FindingValid, FindingOn: day, FindingRef: "金消保函〔2026〕12号"}})
	c2 = f.act(t, "mgr.bj", c2, redress.ActionRequest{Action: redress.ActionRecordRegulatorFinding,
		RegulatorFindingInput: redress.RegulatorFindingInput{Finding: redress.FindingInvalid, FindingOn: day}})
	if c.RegulatorFinding != redress.FindingValid || c.RegulatorFindingRef != "金消保函〔2026〕12号" ||
		c2.RegulatorFinding != redress.FindingInvalid || c2.Status != redress.StatusWithdrawn {
		t.Fatalf("findings: %+v / %+v", c, c2)
	}
	if got := f.count(t, `SELECT COUNT(*) FROM events WHERE case_no = ? AND action = ? AND changes LIKE '%regulator_finding%'`,
		c.No, redress.CaseEventAction(redress.ActionRecordRegulatorFinding)); got != 1 {
		t.Errorf("the finding is audited with its change: %d events", got)
	}
	// A case the regulator did not forward takes no finding.
	plain := f.register(t, "staff.bj")
	_, err = f.cases.Act(f.as("mgr.bj"), plain.No, redress.ActionRequest{Action: redress.ActionRecordRegulatorFinding, Version: plain.Version,
		RegulatorFindingInput: redress.RegulatorFindingInput{Finding: redress.FindingValid, FindingOn: day}})
	wantCode(t, err, redress.ECONFLICT)

	st, err := NewStatsService(f.db).Stats(f.as("mgr.bj"), redress.StatsQuery{From: "2026-11-01", To: "2026-11-30"})
	if err != nil {
		t.Fatal(err)
	}
	if st.Regulator != 3 || st.RegulatorBySource[redress.SourcePlatform] != 1 || st.RegulatorBySource[redress.Source12378] != 2 ||
		st.RegulatorValid != 1 || st.RegulatorInvalid != 1 || st.RegulatorNoFinding != 1 {
		t.Fatalf("stats: %+v", st)
	}
}

// TestMigration0012DefaultsOldRegulatorCasesTo12378: a case forwarded by the
// regulator before the regulator's channel was recorded is taken to have
// come through the 12378 hotline (the channel the bank's registrations
// named); other cases keep no source. The migration's UPDATE is run again on
// rows made to look as before it.
func TestMigration0012DefaultsOldRegulatorCasesTo12378(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	old := f.register(t, "staff.bj")
	plain := f.register(t, "staff.bj")
	f.exec(t, `UPDATE cases SET channel = 'regulator', regulator_ref = '12378-2025-000001', regulator_due = '2026-12-01',
		regulator_source = '' WHERE id = ?`, old.ID)
	raw, err := migrations.ReadFile("migrations/" + f.db.dialect.name + "/0012_regulator_source.sql")
	if err != nil {
		t.Fatal(err)
	}
	update := string(raw)[strings.Index(string(raw), "UPDATE cases"):]
	f.exec(t, update)
	if got := f.count(t, `SELECT COUNT(*) FROM cases WHERE id = ? AND regulator_source = '12378'`, old.ID); got != 1 {
		t.Error("an old regulator case is given the 12378 hotline")
	}
	if got := f.count(t, `SELECT COUNT(*) FROM cases WHERE id = ? AND regulator_source = ''`, plain.ID); got != 1 {
		t.Error("a case of another channel keeps no source")
	}
}
