package redress

import (
	"context"
	"fmt"
	"math"
	"sort"
)

// This file is the regulator's forms, each shaped from the statistics
// engine's counts (sqldb/stats.go): the quarterly JR/T 0169-2018 table, the
// complaints per 1,000 outlets and per 10 million personal customers of the
// regulator's quarterly notices, and the annual public disclosure
// (年度投诉情况公开). The forms count complaints (KindComplaint) only.

// JRTCodes are the A, B and C codes a case is counted under in the JR/T
// 0169-2018 table: its own codes; a case without an A code under the A
// code of its channel (ChannelCode, which is A99 其他 for a channel with
// none); a case without a B or C code under B99 or C99 (其他: the standard
// codes "other" 99 in every dimension).
func JRTCodes(channel Channel, a, b, c string) (string, string, string) {
	if a == "" {
		a = ChannelCode(channel)
	}
	if b == "" {
		b = "B99"
	}
	if c == "" {
		c = "C99"
	}
	return a, b, c
}

// JRTCell is the count of one combination of codes in the JR/T table.
type JRTCell struct {
	A     string `json:"a"`
	B     string `json:"b"`
	C     string `json:"c"`
	Count int    `json:"count"`
}

// CodeCount is the count of one code in a margin of the JR/T table and its
// share of the table's total.
type CodeCount struct {
	Code  string  `json:"code"`
	Count int     `json:"count"`
	Share float64 `json:"share"` // 0 to 1
}

// JRTTable is the quarterly JR/T 0169-2018 table of a unit's subtree: the
// complaints received in the period by channel (A) × business (B) × cause
// (C), every combination that has any, and the totals by A, by B and by C.
type JRTTable struct {
	From  string      `json:"from"`
	To    string      `json:"to"`
	Org   string      `json:"org,omitempty"`
	Total int         `json:"total"`
	Cells []JRTCell   `json:"cells"`
	ByA   []CodeCount `json:"by_a"`
	ByB   []CodeCount `json:"by_b"`
	ByC   []CodeCount `json:"by_c"`
}

// NewJRTTable orders the counts per combination of codes (keys A, B, C) by
// code, as the code lists list them (A01 < A03 < A0301 < A99), and sums the
// margins.
func NewJRTTable(counts map[[3]string]int) *JRTTable {
	t := &JRTTable{Cells: []JRTCell{}}
	margins := [3]map[string]int{{}, {}, {}}
	for k, n := range counts {
		if n == 0 {
			continue
		}
		t.Cells = append(t.Cells, JRTCell{A: k[0], B: k[1], C: k[2], Count: n})
		t.Total += n
		for i := range margins {
			margins[i][k[i]] += n
		}
	}
	sort.Slice(t.Cells, func(i, j int) bool {
		x, y := t.Cells[i], t.Cells[j]
		if x.A != y.A {
			return x.A < y.A
		}
		if x.B != y.B {
			return x.B < y.B
		}
		return x.C < y.C
	})
	t.ByA, t.ByB, t.ByC = codeCounts(margins[0], t.Total), codeCounts(margins[1], t.Total), codeCounts(margins[2], t.Total)
	return t
}

// codeCounts lists a margin by code, each with its share of total.
func codeCounts(m map[string]int, total int) []CodeCount {
	out := make([]CodeCount, 0, len(m))
	for code, n := range m {
		out = append(out, CodeCount{Code: code, Count: n, Share: Share(n, total)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// UnitCounts are a unit's outlets (营业网点) and personal customers (个人客户)
// from a day on: admin data, entered for the unit as a whole (its
// subtree), the denominators of the regulator's ratios.
type UnitCounts struct {
	Org               string `json:"org"`
	EffectiveFrom     string `json:"effective_from"` // YYYY-MM-DD
	Outlets           int    `json:"outlets"`
	PersonalCustomers int64  `json:"personal_customers"`
	By                string `json:"by,omitempty"` // who entered them
}

// MaxPersonalCustomers bounds a unit's personal customers (2 billion: more
// than the population), so a mistyped count is refused rather than
// published.
const MaxPersonalCustomers = 2_000_000_000

// Validate checks the counts: a unit, a date, at least one outlet and one
// customer (a unit without either has no ratio: leave it without counts),
// within bounds.
func (c UnitCounts) Validate() error {
	var p Problems
	if c.Org == "" {
		p.AddKey("org", ProblemRequired)
	}
	if _, err := ParseDate(c.EffectiveFrom); err != nil {
		p.AddKey("effective_from", ProblemDate)
	}
	if c.Outlets < 1 || c.Outlets > 1_000_000 {
		p.AddKey("outlets", ProblemRange, "1", "1000000")
	}
	if c.PersonalCustomers < 1 || c.PersonalCustomers > MaxPersonalCustomers {
		p.AddKey("personal_customers", ProblemRange, "1", "2000000000")
	}
	return p.Err()
}

// CountsInEffect is, of one unit's counts, those in effect on day: the
// latest whose effective date is on or before it; nil when none is.
func CountsInEffect(history []UnitCounts, day string) *UnitCounts {
	var best *UnitCounts
	for i := range history {
		c := &history[i]
		if c.EffectiveFrom <= day && (best == nil || c.EffectiveFrom > best.EffectiveFrom) {
			best = c
		}
	}
	return best
}

// DensityRow is one unit's complaints in a period set against its counts
// in effect at the period's end, as the regulator's quarterly notices
// publish them: complaints per 1,000 outlets (每千个营业网点投诉量), per 10
// million personal customers (每千万个人客户投诉量) and per million (百万
// 客户投诉率), each rounded to two places. Without counts the ratios are
// nil: missing, never zero.
type DensityRow struct {
	Org                    string   `json:"org"`
	Name                   string   `json:"name"`
	Complaints             int      `json:"complaints"`
	CountsFrom             string   `json:"counts_from,omitempty"` // the counts' effective date
	Outlets                *int     `json:"outlets"`
	PersonalCustomers      *int64   `json:"personal_customers"`
	PerThousandOutlets     *float64 `json:"per_1000_outlets"`
	PerTenMillionCustomers *float64 `json:"per_10m_personal_customers"`
	PerMillionCustomers    *float64 `json:"per_million_personal_customers"`
}

// Density sets complaints against counts (nil: the unit has none in
// effect).
func Density(org, name string, complaints int, counts *UnitCounts) DensityRow {
	row := DensityRow{Org: org, Name: name, Complaints: complaints}
	if counts == nil {
		return row
	}
	outlets, customers := counts.Outlets, counts.PersonalCustomers
	row.CountsFrom, row.Outlets, row.PersonalCustomers = counts.EffectiveFrom, &outlets, &customers
	row.PerThousandOutlets = ratio(complaints, int64(outlets), 1_000)
	row.PerTenMillionCustomers = ratio(complaints, customers, 10_000_000)
	row.PerMillionCustomers = ratio(complaints, customers, 1_000_000)
	return row
}

// ratio is n per per of base, rounded to two places; nil when base is 0.
func ratio(n int, base, per int64) *float64 {
	if base <= 0 {
		return nil
	}
	r := math.Round(float64(n)*float64(per)/float64(base)*100) / 100
	return &r
}

// DensityReport is the complaints per 1,000 outlets and per 10 million
// personal customers of a unit (the first row) and of each unit under it.
type DensityReport struct {
	From string       `json:"from"`
	To   string       `json:"to"`
	Rows []DensityRow `json:"rows"`
}

// Disclosure is the annual public disclosure of complaints (年度投诉情况
// 公开): the year's complaints, by business (the B margin of the JR/T
// table), by region (each unit under the asked one, for head office its
// branches) and how they were handled, every figure the statistics
// engine's.
type Disclosure struct {
	Year       string      `json:"year"`
	Org        string      `json:"org,omitempty"`
	Received   int         `json:"received"`
	ByBusiness []CodeCount `json:"by_business"`
	ByRegion   []UnitStats `json:"by_region"`
	Closed     int         `json:"closed"`
	// OnTime is the decision clock's: the complaints decided by their
	// deadline of those whose deadline has come.
	OnTime       ClockOnTime `json:"on_time"`
	Upheld       int         `json:"upheld"`
	PartlyUpheld int         `json:"partly_upheld"`
	// Prior is last year's volume, beside this year's.
	PriorReceived int `json:"prior_received"`
}

// ReportQuery asks for a form: the period (as StatsQuery's) and a unit's
// subtree.
type ReportQuery struct {
	From string
	To   string
	Org  string
}

// ReportService makes the regulator's forms from the statistics engine and
// keeps the units' counts.
type ReportService interface {
	// JRT is the JR/T 0169-2018 table of the complaints received in a
	// period. Case readers only; a unit out of scope is not found.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID, ENOTFOUND.
	JRT(ctx context.Context, q ReportQuery) (*JRTTable, error)
	// Density is the complaints per 1,000 outlets and per 10 million
	// personal customers of the asked unit and each unit under it, with the
	// counts in effect at the period's end. Case readers only.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID, ENOTFOUND.
	Density(ctx context.Context, q ReportQuery) (*DensityReport, error)
	// Disclosure is the annual public disclosure of a year (YYYY). Case
	// readers only.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID, ENOTFOUND.
	Disclosure(ctx context.Context, year, org string) (*Disclosure, error)
	// UnitCounts lists every unit's counts, newest first per unit. Admins
	// and case readers.
	// Errors: EUNAUTHORIZED.
	UnitCounts(ctx context.Context) ([]UnitCounts, error)
	// SaveUnitCounts records a unit's counts from a day on (replacing those
	// of the same day), with an audit event org.set_counts. Admin only.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID (an unknown unit too).
	SaveUnitCounts(ctx context.Context, c UnitCounts) (*UnitCounts, error)
}

// LastQuarter is the quarter before the one today falls in, as "YYYY-Qn":
// the default of the quarterly forms.
func LastQuarter(today Date) string {
	year, q := today.Year(), (int(today.Month())-1)/3
	if q == 0 {
		year, q = year-1, 4
	}
	return fmt.Sprintf("%04d-Q%d", year, q)
}
