package redress

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// This file is the arithmetic of the statistics that needs no database
// (sqldb/stats.go counts, this file compares and shapes): the periods a
// count is set beside, the shares, the trend's buckets, the median of a
// distribution of days.

// Figure is one count of a breakdown (a status, a code, a unit…) with its
// share of the cases received, the same count in the prior period and in
// the same period a year before.
type Figure struct {
	Key      string  `json:"key"`
	Count    int     `json:"count"`
	Share    float64 `json:"share"` // of the cases received, 0 to 1
	Prior    int     `json:"prior"`
	LastYear int     `json:"last_year"`
}

// Figures turns the counts of one breakdown into figures, largest first
// (ties by key): each with its share of total, and the prior and last-year
// counts of the same key. A key only the comparison periods have is listed
// with a count of 0.
func Figures(counts, prior, lastYear map[string]int, total int) []Figure {
	keys := map[string]bool{}
	for _, m := range []map[string]int{counts, prior, lastYear} {
		for k := range m {
			keys[k] = true
		}
	}
	out := make([]Figure, 0, len(keys))
	for k := range keys {
		out = append(out, Figure{Key: k, Count: counts[k], Share: Share(counts[k], total), Prior: prior[k], LastYear: lastYear[k]})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// Share is part of whole, 0 to 1 rounded to four places (0 when whole is 0).
func Share(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return math.Round(float64(part)/float64(whole)*10000) / 10000
}

// PriorPeriod is the period of the same length just before from–to.
func PriorPeriod(from, to Date) (Date, Date) {
	days := to.Sub(from)
	end := from.AddDays(-1)
	return end.AddDays(-days), end
}

// SamePeriodLastYear is from–to a year earlier (29 February becomes the
// 28th).
func SamePeriodLastYear(from, to Date) (Date, Date) {
	return yearBefore(from), yearBefore(to)
}

// yearBefore is d a year earlier; 29 February becomes the 28th.
func yearBefore(d Date) Date {
	if d.Month() == time.February && d.Day() == 29 {
		return NewDate(d.Year()-1, time.February, 28)
	}
	return NewDate(d.Year()-1, d.Month(), d.Day())
}

// The trend's bucket sizes.
const (
	TrendDay   = "day"
	TrendWeek  = "week"
	TrendMonth = "month"
)

// DefaultTrend is the bucket size for a period: days up to 31 days, weeks
// up to 92 (a quarter), months beyond.
func DefaultTrend(from, to Date) string {
	switch days := to.Sub(from) + 1; {
	case days <= 31:
		return TrendDay
	case days <= 92:
		return TrendWeek
	}
	return TrendMonth
}

// TrendBucket is the first day of the bucket d falls in: the day itself,
// its week's Monday (ISO weeks), or the first of its month.
func TrendBucket(d Date, by string) Date {
	switch by {
	case TrendWeek:
		back := (int(d.Weekday()) + 6) % 7 // days since Monday
		return d.AddDays(-back)
	case TrendMonth:
		return NewDate(d.Year(), d.Month(), 1)
	}
	return d
}

// TrendPoint is the count of cases received in one bucket of the trend.
type TrendPoint struct {
	Start string `json:"start"` // the bucket's first day
	Count int    `json:"count"`
}

// Trend sums counts by day into the buckets of by, from the bucket of from
// to that of to, every bucket listed (empty ones with 0).
func Trend(byDay map[string]int, from, to Date, by string) []TrendPoint {
	buckets := map[Date]int{}
	for day, n := range byDay {
		if d, err := ParseDate(day); err == nil {
			buckets[TrendBucket(d, by)] += n
		}
	}
	var out []TrendPoint
	for b := TrendBucket(from, by); !b.After(to); b = nextBucket(b, by) {
		out = append(out, TrendPoint{Start: b.String(), Count: buckets[b]})
	}
	return out
}

// nextBucket is the first day of the bucket after b.
func nextBucket(b Date, by string) Date {
	switch by {
	case TrendWeek:
		return b.AddDays(7)
	case TrendMonth:
		if b.Month() == time.December {
			return NewDate(b.Year()+1, time.January, 1)
		}
		return NewDate(b.Year(), b.Month()+1, 1)
	}
	return b.AddDays(1)
}

// MeanAndMedian are the mean and the median of a distribution of whole
// days (days → how many cases took them), rounded to one place; 0, 0 for
// an empty one.
func MeanAndMedian(dist map[int]int) (mean, median float64) {
	var n, sum int
	days := make([]int, 0, len(dist))
	for d, k := range dist {
		n, sum = n+k, sum+d*k
		days = append(days, d)
	}
	if n == 0 {
		return 0, 0
	}
	sort.Ints(days)
	at := func(i int) int { // the i-th smallest value, 0-based
		for _, d := range days {
			if i < dist[d] {
				return d
			}
			i -= dist[d]
		}
		return days[len(days)-1]
	}
	med := float64(at((n - 1) / 2))
	if n%2 == 0 {
		med = (float64(at(n/2-1)) + float64(at(n/2))) / 2
	}
	return math.Round(float64(sum)/float64(n)*10) / 10, med
}

// The kinds of statistics period a user picks.
const (
	PeriodMonth   = "month"   // YYYY-MM
	PeriodQuarter = "quarter" // YYYY-Qn
	PeriodYear    = "year"    // YYYY
	PeriodCustom  = "custom"  // from–to
)

// PeriodKinds lists the kinds of period, as the statistics page offers them.
var PeriodKinds = []string{PeriodMonth, PeriodQuarter, PeriodYear, PeriodCustom}

// PeriodOf is the first and last day of a month ("2026-11"), a quarter
// ("2026-Q4") or a year ("2026"); a custom period is its own from and to.
// An unknown kind or a malformed value is EINVALID naming the field
// "period" or "value".
func PeriodOf(kind, value string) (Date, Date, error) {
	bad := func(field, key string, args ...string) (Date, Date, error) {
		var p Problems
		p.AddKey(field, key, args...)
		return Date{}, Date{}, p.Err()
	}
	var year, month, quarter int
	switch kind {
	case PeriodMonth:
		if n, _ := fmt.Sscanf(value, "%4d-%2d", &year, &month); n != 2 || len(value) != 7 || month < 1 || month > 12 {
			return bad("value", ProblemOneOf, "YYYY-MM")
		}
		from := NewDate(year, time.Month(month), 1)
		return from, nextBucket(from, TrendMonth).AddDays(-1), nil
	case PeriodQuarter:
		if n, _ := fmt.Sscanf(value, "%4d-Q%1d", &year, &quarter); n != 2 || len(value) != 7 || quarter < 1 || quarter > 4 {
			return bad("value", ProblemOneOf, "YYYY-Q1…Q4")
		}
		from := NewDate(year, time.Month(3*quarter-2), 1)
		return from, nextBucket(nextBucket(nextBucket(from, TrendMonth), TrendMonth), TrendMonth).AddDays(-1), nil
	case PeriodYear:
		if n, _ := fmt.Sscanf(value, "%4d", &year); n != 1 || len(value) != 4 {
			return bad("value", ProblemOneOf, "YYYY")
		}
		return NewDate(year, time.January, 1), NewDate(year, time.December, 31), nil
	}
	return bad("period", ProblemOneOf, strings.Join(PeriodKinds[:3], ", "))
}

// LastMonth is the month before the one today falls in, as "YYYY-MM": the
// statistics page's default (the monthly report a branch sends).
func LastMonth(today Date) string {
	d := NewDate(today.Year(), today.Month(), 1).AddDays(-1)
	return fmt.Sprintf("%04d-%02d", d.Year(), int(d.Month()))
}

// NewRepeatStats makes the repeat figures from the weighted counts of
// complainants (each case 1/k of its complainant of k cases in the period,
// summed, so the sums are whole up to rounding), the cases after a closed
// one, and the cases received.
func NewRepeatStats(complainants, repeatComplainants float64, afterClosed, received int) RepeatStats {
	c, r := int(math.Round(complainants)), int(math.Round(repeatComplainants))
	return RepeatStats{Complainants: c, RepeatComplainants: r, RepeatComplainantShare: Share(r, c),
		AfterClosed: afterClosed, AfterClosedShare: Share(afterClosed, received)}
}
