package redress

import (
	"reflect"
	"testing"
	"time"
)

func TestPeriodsBesideACount(t *testing.T) {
	t.Parallel()
	d := func(s string) Date {
		t.Helper()
		x, err := ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	for _, tt := range []struct{ from, to, priorFrom, priorTo, lyFrom, lyTo string }{
		{"2026-11-01", "2026-11-30", "2026-10-02", "2026-10-31", "2025-11-01", "2025-11-30"},
		{"2026-01-01", "2026-03-31", "2025-10-03", "2025-12-31", "2025-01-01", "2025-03-31"},
		{"2028-02-29", "2028-02-29", "2028-02-28", "2028-02-28", "2027-02-28", "2027-02-28"},
	} {
		pf, pt := PriorPeriod(d(tt.from), d(tt.to))
		lf, lt := SamePeriodLastYear(d(tt.from), d(tt.to))
		if got := [4]string{pf.String(), pt.String(), lf.String(), lt.String()}; got != [4]string{tt.priorFrom, tt.priorTo, tt.lyFrom, tt.lyTo} {
			t.Errorf("%s–%s: prior and last year %v", tt.from, tt.to, got)
		}
	}
}

func TestTrendBuckets(t *testing.T) {
	t.Parallel()
	from, to := NewDate(2026, time.November, 25), NewDate(2026, time.December, 9)
	byDay := map[string]int{"2026-11-25": 2, "2026-11-29": 1, "2026-11-30": 4, "2026-12-09": 3}
	if got, want := Trend(byDay, from, to, TrendWeek), []TrendPoint{{"2026-11-23", 3}, {"2026-11-30", 4}, {"2026-12-07", 3}}; !reflect.DeepEqual(got, want) {
		t.Errorf("weeks (Monday first): %v, want %v", got, want)
	}
	if got, want := Trend(byDay, from, to, TrendMonth), []TrendPoint{{"2026-11-01", 7}, {"2026-12-01", 3}}; !reflect.DeepEqual(got, want) {
		t.Errorf("months: %v, want %v", got, want)
	}
	if got := Trend(byDay, from, to, TrendDay); len(got) != 15 || got[0] != (TrendPoint{"2026-11-25", 2}) || got[1].Count != 0 {
		t.Errorf("days: %v", got)
	}
	for _, tt := range []struct {
		days int
		want string
	}{{31, TrendDay}, {32, TrendWeek}, {92, TrendWeek}, {93, TrendMonth}} {
		if got := DefaultTrend(from, from.AddDays(tt.days-1)); got != tt.want {
			t.Errorf("%d days: %s, want %s", tt.days, got, tt.want)
		}
	}
}

func TestFiguresAndShares(t *testing.T) {
	t.Parallel()
	got := Figures(map[string]int{"B03": 3, "B06": 5}, map[string]int{"B06": 2, "B01": 1}, map[string]int{"B03": 4}, 10)
	want := []Figure{{"B06", 5, 0.5, 2, 0}, {"B03", 3, 0.3, 0, 4}, {"B01", 0, 0, 1, 0}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("figures: %+v, want %+v", got, want)
	}
	if Share(1, 3) != 0.3333 || Share(1, 0) != 0 {
		t.Errorf("shares: %v %v", Share(1, 3), Share(1, 0))
	}
}

func TestMeanAndMedian(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		dist         map[int]int
		mean, median float64
	}{
		{map[int]int{}, 0, 0},
		{map[int]int{3: 1}, 3, 3},
		{map[int]int{1: 2, 10: 1}, 4, 1},          // 1 1 10
		{map[int]int{2: 1, 5: 1, 9: 2}, 6.3, 7},   // 2 5 9 9
		{map[int]int{0: 1, 15: 3, 30: 1}, 15, 15}, // 0 15 15 15 30
	} {
		if mean, median := MeanAndMedian(tt.dist); mean != tt.mean || median != tt.median {
			t.Errorf("%v: mean %v median %v, want %v %v", tt.dist, mean, median, tt.mean, tt.median)
		}
	}
}

func TestPeriodOf(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ kind, value, from, to, field string }{
		{PeriodMonth, "2026-11", "2026-11-01", "2026-11-30", ""},
		{PeriodMonth, "2028-02", "2028-02-01", "2028-02-29", ""},
		{PeriodQuarter, "2026-Q4", "2026-10-01", "2026-12-31", ""},
		{PeriodQuarter, "2026-Q1", "2026-01-01", "2026-03-31", ""},
		{PeriodYear, "2026", "2026-01-01", "2026-12-31", ""},
		{PeriodMonth, "2026-13", "", "", "value"},
		{PeriodMonth, "2026-1", "", "", "value"},
		{PeriodQuarter, "2026-Q5", "", "", "value"},
		{PeriodYear, "26", "", "", "value"},
		{"week", "2026", "", "", "period"},
	} {
		from, to, err := PeriodOf(tt.kind, tt.value)
		switch {
		case tt.field != "":
			if ErrorFields(err)[tt.field] == "" {
				t.Errorf("%s %s: want a problem on %s, got %v", tt.kind, tt.value, tt.field, err)
			}
		case err != nil || from.String() != tt.from || to.String() != tt.to:
			t.Errorf("%s %s: %s–%s %v", tt.kind, tt.value, from, to, err)
		}
	}
	if got := LastMonth(NewDate(2026, time.January, 15)); got != "2025-12" {
		t.Errorf("last month of 2026-01-15: %s", got)
	}
}
