package sqldb

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"redress"
)

// reportCases registers the fixed cases of the forms' tests and returns the
// one that is decided and closed (partly upheld, on time). All complaints
// but one petition; received in 2026-Q4 but the first:
//
//	2026-09-30 BJ  complaint counter  A01 B02 C03  (2026, not Q4; open past its decision date)
//	2026-11-20 BJ  complaint counter  A01 B06 C08  (closed, partly upheld, on time)
//	2026-11-20 BJ  complaint mobile   — — —        → A0303 B99 C99
//	2026-11-20 BJ  complaint email    — B03 —      → A99 B03 C99
//	2026-11-20 BJ  petition  counter  A01 B06 C08  (not a complaint: not counted)
//	2026-11-20 SH  complaint counter  A01 B06 C08
func reportCases(t *testing.T, f *fixture) {
	t.Helper()
	create := func(login string, n redress.NewCase) *redress.Case {
		t.Helper()
		c, err := f.cases.CreateCase(f.as(login), n)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	september := sampleCase()
	september.ReceivedAt = time.Date(2026, 9, 30, 9, 0, 0, 0, redress.Beijing)
	september.CodeB, september.CodeC = "B02", "C03"
	create("staff.bj", september)
	closed := create("staff.bj", sampleCase())
	mobile := sampleCase()
	mobile.Channel, mobile.CodeA, mobile.CodeB, mobile.CodeC = redress.ChannelMobileApp, "", "", ""
	create("staff.bj", mobile)
	email := sampleCase()
	email.Channel, email.CodeA, email.CodeB, email.CodeC = redress.ChannelEmail, "", "B03", ""
	create("staff.bj", email)
	petition := sampleCase()
	petition.Kind = redress.KindPetition
	create("staff.bj", petition)
	create("mgr.sh", sampleCase())

	closed = f.act(t, "mgr.bj", closed, redress.ActionRequest{Action: redress.ActionAccept})
	closed = f.act(t, "mgr.bj", closed, redress.ActionRequest{Action: redress.ActionInvestigate, Text: "调查"})
	closed = f.act(t, "mgr.bj", closed, redress.ActionRequest{Action: redress.ActionDetermine, Determination: determined})
	closed = f.act(t, "mgr.bj", closed, redress.ActionRequest{Action: redress.ActionReply, Reply: replyAt(f.clock)})
	closed = f.act(t, "head.bj", closed, redress.ActionRequest{Action: redress.ActionSignOff})
	f.act(t, "mgr.bj", closed, redress.ActionRequest{Action: redress.ActionClose, Satisfaction: redress.SatisfactionSatisfied})
}

// TestJRTTableByHand_JRT0169_2018 (JR/T 0169-2018 金融消费者投诉统计分类及编码:
// channel A × business B × cause C; "other" is 99): the quarter's
// complaints counted by their codes, a missing A code by the channel's, a
// missing B or C code under 99; petitions and cases outside the quarter
// left out; a branch sees its subtree.
func TestJRTTableByHand_JRT0169_2018(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	reportCases(t, f)
	reports := NewReportService(f.db)
	q := redress.ReportQuery{From: "2026-10-01", To: "2026-12-31"}
	table, err := reports.JRT(f.as("hq.svc"), q)
	if err != nil {
		t.Fatal(err)
	}
	want := &redress.JRTTable{From: "2026-10-01", To: "2026-12-31", Total: 4,
		Cells: []redress.JRTCell{{A: "A01", B: "B06", C: "C08", Count: 2}, {A: "A0303", B: "B99", C: "C99", Count: 1},
			{A: "A99", B: "B03", C: "C99", Count: 1}},
		ByA: []redress.CodeCount{{Code: "A01", Count: 2, Share: 0.5}, {Code: "A0303", Count: 1, Share: 0.25}, {Code: "A99", Count: 1, Share: 0.25}},
		ByB: []redress.CodeCount{{Code: "B03", Count: 1, Share: 0.25}, {Code: "B06", Count: 2, Share: 0.5}, {Code: "B99", Count: 1, Share: 0.25}},
		ByC: []redress.CodeCount{{Code: "C08", Count: 2, Share: 0.5}, {Code: "C99", Count: 2, Share: 0.5}}}
	if !reflect.DeepEqual(table, want) {
		t.Fatalf("JR/T table:\n got %+v\nwant %+v", table, want)
	}
	// The totals are the engine's count of the quarter's complaints.
	st, err := f.statsOf("hq.svc", redress.StatsQuery{From: q.From, To: q.To, Kind: redress.KindComplaint})
	if err != nil || st.Received != table.Total {
		t.Fatalf("the engine counts %d complaints (%v), the table %d", st.Received, err, table.Total)
	}
	branch, err := reports.JRT(f.as("mgr.bj"), q)
	if err != nil || branch.Total != 3 || len(branch.Cells) != 3 || branch.Cells[0].Count != 1 {
		t.Fatalf("the branch's table: %+v %v", branch, err)
	}
	_, err = reports.JRT(f.as("mgr.bj"), redress.ReportQuery{From: q.From, To: q.To, Org: "SH"})
	wantCode(t, err, redress.ENOTFOUND)
	_, err = reports.JRT(f.as("admin"), q)
	wantCode(t, err, redress.EFORBIDDEN)
}

// statsOf runs the statistics engine as login.
func (f *fixture) statsOf(login string, q redress.StatsQuery) (*redress.Stats, error) {
	return NewStatsService(f.db).Stats(f.as(login), q)
}

// TestDensityByHand_Order3Art26 (CBIRC Order 2020 No.3 Art.26: 统计 of
// complaints; the regulator's quarterly notices: 每千个营业网点投诉量,
// 每千万个人客户投诉量): each unit's quarter's complaints against its counts
// in effect on the quarter's last day; a later count is not yet in effect,
// a count from the last day is; a unit without counts is missing, not 0.
func TestDensityByHand_Order3Art26(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	reportCases(t, f)
	reports := NewReportService(f.db)
	for _, c := range []redress.UnitCounts{
		{Org: "HQ", EffectiveFrom: "2026-01-01", Outlets: 100, PersonalCustomers: 5_000_000},
		{Org: "HQ", EffectiveFrom: "2027-01-01", Outlets: 200, PersonalCustomers: 9_000_000}, // after the quarter
		{Org: "BJ", EffectiveFrom: "2026-06-01", Outlets: 30, PersonalCustomers: 1_000_000},
		{Org: "BJ", EffectiveFrom: "2026-12-31", Outlets: 40, PersonalCustomers: 1_500_000}, // the quarter's last day
	} {
		if _, err := reports.SaveUnitCounts(f.as("admin"), c); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := reports.Density(f.as("hq.svc"), redress.ReportQuery{From: "2026-10-01", To: "2026-12-31"})
	if err != nil {
		t.Fatal(err)
	}
	num := func(x float64) *float64 { return &x }
	ptr := func(n int) *int { return &n }
	ptr64 := func(n int64) *int64 { return &n }
	want := []redress.DensityRow{
		// 4 complaints; 4 / 100 × 1,000 = 40; 4 / 5,000,000 × 10,000,000 = 8; × 1,000,000 = 0.8
		{Org: "HQ", Name: "总行", Complaints: 4, CountsFrom: "2026-01-01", Outlets: ptr(100), PersonalCustomers: ptr64(5_000_000),
			PerThousandOutlets: num(40), PerTenMillionCustomers: num(8), PerMillionCustomers: num(0.8)},
		// 3 complaints; 3 / 40 × 1,000 = 75; 3 / 1,500,000 × 10,000,000 = 20; × 1,000,000 = 2
		{Org: "BJ", Name: "北京分行", Complaints: 3, CountsFrom: "2026-12-31", Outlets: ptr(40), PersonalCustomers: ptr64(1_500_000),
			PerThousandOutlets: num(75), PerTenMillionCustomers: num(20), PerMillionCustomers: num(2)},
		{Org: "SH", Name: "上海分行", Complaints: 1}, // no counts: missing
	}
	if !reflect.DeepEqual(rep.Rows, want) {
		got, _ := json.Marshal(rep.Rows)
		wanted, _ := json.Marshal(want)
		t.Fatalf("density:\n got %s\nwant %s", got, wanted)
	}
	// An admin's entry is audited; a bad one refused by field; only an admin enters counts.
	events, err := NewAuditService(f.db).ListEvents(f.as("auditor"), redress.AuditFilter{Action: "org.set_counts"})
	if err != nil || len(events.Events) != 4 || events.Events[0].Subject != redress.NewSubject(redress.SubjectOrg, "BJ") {
		t.Fatalf("audit of the counts: %+v %v", events, err)
	}
	_, err = reports.SaveUnitCounts(f.as("admin"), redress.UnitCounts{Org: "BJ", EffectiveFrom: "2026-13-01"})
	if p := redress.ErrorProblems(err); len(p) != 3 || p["effective_from"].Key != redress.ProblemDate || p["outlets"].Key != redress.ProblemRange {
		t.Fatalf("bad counts: %v", err)
	}
	_, err = reports.SaveUnitCounts(f.as("hq.svc"), redress.UnitCounts{Org: "BJ", EffectiveFrom: "2026-01-01", Outlets: 1, PersonalCustomers: 1})
	wantCode(t, err, redress.EFORBIDDEN)
}

// TestDisclosureByHand_Order3Art26 (CBIRC Order 2020 No.3 Art.26: 统计;
// 年度投诉情况公开): the year's complaints, by business with 99 for the
// uncoded, by branch, and how they were handled, each worked out from the
// fixed cases.
func TestDisclosureByHand_Order3Art26(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	reportCases(t, f)
	d, err := NewReportService(f.db).Disclosure(f.as("hq.svc"), "2026", "")
	if err != nil {
		t.Fatal(err)
	}
	// Five complaints in 2026 (the petition is not one): B02, B06 ×2, B03, B99.
	if d.Received != 5 || d.PriorReceived != 0 || !reflect.DeepEqual(d.ByBusiness, []redress.CodeCount{{Code: "B02", Count: 1, Share: 0.2},
		{Code: "B03", Count: 1, Share: 0.2}, {Code: "B06", Count: 2, Share: 0.4}, {Code: "B99", Count: 1, Share: 0.2}}) {
		t.Fatalf("volume and business: %+v", d)
	}
	if len(d.ByRegion) != 2 || d.ByRegion[0].Org != "BJ" || d.ByRegion[0].Received != 4 || d.ByRegion[1].Org != "SH" || d.ByRegion[1].Received != 1 {
		t.Fatalf("by region: %+v", d.ByRegion)
	}
	// One closed, partly upheld, decided on its first day; the September one
	// open past its decision date; the rest not yet due: 1 of 2 on time.
	if d.Closed != 1 || d.Upheld != 0 || d.PartlyUpheld != 1 || d.OnTime != (redress.ClockOnTime{Ended: 2, OnTime: 1, Rate: 0.5}) {
		t.Fatalf("handling: %+v", d)
	}
	_, err = NewReportService(f.db).Disclosure(f.as("hq.svc"), "26", "")
	wantCode(t, err, redress.EINVALID)
}
