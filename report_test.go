package redress

import (
	"reflect"
	"testing"
)

// TestJRTCodes_JRT0169_2018 (JR/T 0169-2018: each dimension's "other" is
// 99): a case's own codes stand; a missing A code is its channel's (A99 for
// a channel without one); a missing B or C code is B99 or C99.
func TestJRTCodes_JRT0169_2018(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		channel    Channel
		a, b, c    string
		wa, wb, wc string
	}{
		{ChannelCounter, "A02", "B06", "C08", "A02", "B06", "C08"},
		{ChannelCounter, "", "", "", "A01", "B99", "C99"},
		{ChannelMobileApp, "", "B03", "", "A0303", "B03", "C99"},
		{ChannelEmail, "", "", "C07", "A99", "B99", "C07"},
		{ChannelRegulator, "", "B01", "C01", "A99", "B01", "C01"},
	} {
		a, b, c := JRTCodes(tc.channel, tc.a, tc.b, tc.c)
		if a != tc.wa || b != tc.wb || c != tc.wc {
			t.Errorf("JRTCodes(%s, %q, %q, %q) = %s %s %s, want %s %s %s", tc.channel, tc.a, tc.b, tc.c, a, b, c, tc.wa, tc.wb, tc.wc)
		}
	}
}

// TestNewJRTTable_JRT0169_2018: cells in code-list order, empty ones left
// out, the margins summed with their shares.
func TestNewJRTTable_JRT0169_2018(t *testing.T) {
	t.Parallel()
	got := NewJRTTable(map[[3]string]int{{"A99", "B01", "C01"}: 1, {"A01", "B06", "C08"}: 2, {"A0301", "B06", "C01"}: 1, {"A01", "B01", "C01"}: 0})
	want := &JRTTable{Total: 4,
		Cells: []JRTCell{{"A01", "B06", "C08", 2}, {"A0301", "B06", "C01", 1}, {"A99", "B01", "C01", 1}},
		ByA:   []CodeCount{{"A01", 2, 0.5}, {"A0301", 1, 0.25}, {"A99", 1, 0.25}},
		ByB:   []CodeCount{{"B01", 1, 0.25}, {"B06", 3, 0.75}},
		ByC:   []CodeCount{{"C01", 2, 0.5}, {"C08", 2, 0.5}}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
}

// TestDensity_Order3Art26 (CBIRC Order 2020 No.3 Art.26: 统计; the
// regulator's notices publish per 1,000 outlets and per 10 million personal
// customers, two places): the counts in effect on the period's last day;
// none in effect is missing (nil), never 0.
func TestDensity_Order3Art26(t *testing.T) {
	t.Parallel()
	history := []UnitCounts{{Org: "BJ", EffectiveFrom: "2026-01-01", Outlets: 30, PersonalCustomers: 3_000_000},
		{Org: "BJ", EffectiveFrom: "2026-12-31", Outlets: 7, PersonalCustomers: 3_000_000},
		{Org: "BJ", EffectiveFrom: "2027-01-01", Outlets: 1, PersonalCustomers: 1}}
	if c := CountsInEffect(history, "2026-12-31"); c == nil || c.Outlets != 7 {
		t.Fatalf("in effect on 12-31: %+v", c)
	}
	if c := CountsInEffect(history, "2025-12-31"); c != nil {
		t.Fatalf("none before the first: %+v", c)
	}
	// 10 / 7 × 1,000 = 1428.571… → 1428.57; 10 / 3,000,000 × 10^7 = 33.333… → 33.33; × 10^6 = 3.33
	row := Density("BJ", "北京分行", 10, CountsInEffect(history, "2026-12-31"))
	if *row.PerThousandOutlets != 1428.57 || *row.PerTenMillionCustomers != 33.33 || *row.PerMillionCustomers != 3.33 || row.CountsFrom != "2026-12-31" {
		t.Fatalf("ratios: %v %v %v", *row.PerThousandOutlets, *row.PerTenMillionCustomers, *row.PerMillionCustomers)
	}
	if row := Density("SH", "上海分行", 3, nil); row.Outlets != nil || row.PerThousandOutlets != nil || row.PerMillionCustomers != nil {
		t.Fatalf("without counts: %+v", row)
	}
	p := ErrorProblems(UnitCounts{Org: "", EffectiveFrom: "x", Outlets: 0, PersonalCustomers: MaxPersonalCustomers + 1}.Validate())
	if len(p) != 4 || p["org"].Key != ProblemRequired || p["effective_from"].Key != ProblemDate || p["personal_customers"].Key != ProblemRange {
		t.Fatalf("validation: %v", p)
	}
	for today, want := range map[string]string{"2026-02-10": "2025-Q4", "2026-04-01": "2026-Q1", "2026-12-31": "2026-Q3"} {
		d, _ := ParseDate(today)
		if got := LastQuarter(d); got != want {
			t.Errorf("LastQuarter(%s) = %s, want %s", today, got, want)
		}
	}
}
