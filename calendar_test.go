package redress

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
)

// calDate parses a test date and panics on a typo.
func calDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// calEmbedded returns the embedded calendars or stops the test.
func calEmbedded(t *testing.T) Calendars {
	t.Helper()
	cals, err := EmbeddedCalendars()
	if err != nil {
		t.Fatalf("EmbeddedCalendars: %v", err)
	}
	return cals
}

func TestDateParseAndFormat(t *testing.T) {
	tests := []struct {
		in   string
		ok   bool
		want Date
	}{
		{"2026-02-12", true, NewDate(2026, time.February, 12)},
		{"2024-02-29", true, NewDate(2024, time.February, 29)},
		{"0001-01-01", true, NewDate(1, time.January, 1)},
		{"2025-02-29", false, Date{}}, // not a leap year
		{"2026-02-30", false, Date{}},
		{"2026-13-01", false, Date{}},
		{"2026-2-12", false, Date{}},
		{"20260212", false, Date{}},
		{"2026-02-12T00:00:00Z", false, Date{}},
		{" 2026-02-12", false, Date{}},
		{"", false, Date{}},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("ParseDate(%q) error = %v, want ok=%v", tt.in, err, tt.ok)
			continue
		}
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Errorf("ParseDate(%q) code = %q, want %q", tt.in, ErrorCode(err), EINVALID)
			}
			continue
		}
		if got != tt.want || got.String() != tt.in {
			t.Errorf("ParseDate(%q) = %v (%s), want %v", tt.in, got, got.String(), tt.want)
		}
	}
	if s := (Date{}).String(); s != "" {
		t.Errorf("zero Date String = %q, want empty", s)
	}
	if d := NewDate(2026, time.February, 30); d.String() != "2026-03-02" {
		t.Errorf("NewDate normalizes: got %s, want 2026-03-02", d)
	}
	d := calDate("2026-02-12")
	if d.Year() != 2026 || d.Month() != time.February || d.Day() != 12 || d.IsZero() {
		t.Errorf("accessors of %s: %d %v %d zero=%v", d, d.Year(), d.Month(), d.Day(), d.IsZero())
	}
}

func TestDateArithmetic(t *testing.T) {
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2024-03-01", 15, "2024-03-16"},
		{"2024-03-01", 30, "2024-03-31"},
		{"2024-03-01", 60, "2024-04-30"},
		{"2025-12-25", 15, "2026-01-09"},
		{"2024-02-28", 1, "2024-02-29"},
		{"2025-02-28", 1, "2025-03-01"},
		{"2026-01-01", -1, "2025-12-31"},
		{"2026-02-12", 0, "2026-02-12"},
		{"2025-01-01", 365, "2026-01-01"},
	}
	for _, tt := range tests {
		from, want := calDate(tt.from), calDate(tt.want)
		got := from.AddDays(tt.n)
		if got != want {
			t.Errorf("%s.AddDays(%d) = %s, want %s", tt.from, tt.n, got, tt.want)
		}
		if diff := got.Sub(from); diff != tt.n {
			t.Errorf("%s.Sub(%s) = %d, want %d", got, from, diff, tt.n)
		}
	}
	if got := calDate("2600-01-01").Sub(calDate("2000-01-01")); got != 219146 {
		t.Errorf("Sub over six centuries = %d, want 219146 (600*365 + 146 leap days)", got)
	}

	weekdays := map[string]time.Weekday{
		"2026-02-14": time.Saturday,
		"2026-02-12": time.Thursday,
		"2025-01-01": time.Wednesday,
		"2024-02-29": time.Thursday,
	}
	for s, want := range weekdays {
		if got := calDate(s).Weekday(); got != want {
			t.Errorf("%s.Weekday() = %v, want %v", s, got, want)
		}
	}

	a, b := calDate("2025-12-31"), calDate("2026-01-01")
	if a.Compare(b) != -1 || b.Compare(a) != 1 || a.Compare(a) != 0 {
		t.Errorf("Compare(%s, %s) wrong", a, b)
	}
	if !a.Before(b) || a.After(b) || !b.After(a) || b.Before(a) || a.Before(a) || a.After(a) {
		t.Errorf("Before/After(%s, %s) wrong", a, b)
	}
	if c := calDate("2026-01-31").Compare(calDate("2026-02-01")); c != -1 {
		t.Errorf("month comparison = %d, want -1", c)
	}
}

func TestDateOf(t *testing.T) {
	tests := []struct {
		at   string
		want string
	}{
		{"2026-11-20T09:30:00+08:00", "2026-11-20"},
		{"2026-11-20T15:59:59Z", "2026-11-20"}, // 23:59:59 in Beijing
		{"2026-11-20T16:00:00Z", "2026-11-21"}, // midnight in Beijing
		{"2025-12-31T20:00:00-05:00", "2026-01-01"},
	}
	for _, tt := range tests {
		at, err := time.Parse(time.RFC3339, tt.at)
		if err != nil {
			t.Fatal(err)
		}
		if got := DateOf(at); got.String() != tt.want {
			t.Errorf("DateOf(%s) = %s, want %s", tt.at, got, tt.want)
		}
	}
}

func TestDateJSON(t *testing.T) {
	type wrapper struct {
		D   Date            `json:"d"`
		Z   Date            `json:"z"`
		O   Date            `json:"o,omitzero"`
		Map map[Date]string `json:"map"`
	}
	in := wrapper{D: calDate("2026-02-12"), Map: map[Date]string{calDate("2026-02-14"): "调休"}}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"d":"2026-02-12","z":"","map":{"2026-02-14":"调休"}}`
	if string(b) != want {
		t.Errorf("Marshal = %s, want %s", b, want)
	}
	var out wrapper
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out.D != in.D || !out.Z.IsZero() || out.Map[calDate("2026-02-14")] != "调休" {
		t.Errorf("round trip = %+v, want %+v", out, in)
	}
	for _, bad := range []string{`{"d":"2026-02-30"}`, `{"d":"12/02/2026"}`, `{"d":20260212}`} {
		var w wrapper
		if err := json.Unmarshal([]byte(bad), &w); err == nil {
			t.Errorf("Unmarshal(%s) accepted %v", bad, w.D)
		}
	}
}

func TestEmbeddedSchedules(t *testing.T) {
	schedules, err := EmbeddedSchedules()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range schedules {
		got = append(got, s.Region+"-"+strconv.Itoa(s.Year))
		if err := s.Validate(); err != nil {
			t.Errorf("%s %d: %v", s.Region, s.Year, err)
		}
		if s.Region == RegionCN {
			want := "国务院办公厅关于" + strconv.Itoa(s.Year) + "年部分节假日安排的通知"
			if s.Source != want {
				t.Errorf("CN %d source = %q, want %q", s.Year, s.Source, want)
			}
		}
	}
	if strings.Join(got, " ") != "CN-2025 CN-2026 GB-2025 GB-2026" {
		t.Errorf("embedded schedules = %v", got)
	}
	cals := calEmbedded(t)
	for _, region := range []string{RegionCN, RegionGB} {
		cal, err := cals.Calendar(region)
		if err != nil {
			t.Fatal(err)
		}
		if years := cal.Years(); len(years) != 2 || years[0] != 2025 || years[1] != 2026 {
			t.Errorf("%s years = %v, want [2025 2026]", region, years)
		}
		if cal.Region() != region {
			t.Errorf("Region() = %q, want %q", cal.Region(), region)
		}
	}
	if _, err := cals.Calendar("FR"); ErrorCode(err) != EINVALID {
		t.Errorf("Calendar(FR) error = %v, want EINVALID", err)
	}
}

// TestNoticeWeekdays checks the data against the weekdays the notices print
// next to each date, e.g. 春节: 2月15日(周日)至23日(周一).
func TestNoticeWeekdays(t *testing.T) {
	stated := map[string]time.Weekday{
		// 2025 notice
		"2025-01-01": time.Wednesday,
		"2025-01-28": time.Tuesday, "2025-02-04": time.Tuesday, "2025-01-26": time.Sunday, "2025-02-08": time.Saturday,
		"2025-04-04": time.Friday, "2025-04-06": time.Sunday,
		"2025-05-01": time.Thursday, "2025-05-05": time.Monday, "2025-04-27": time.Sunday,
		"2025-05-31": time.Saturday, "2025-06-02": time.Monday,
		"2025-10-01": time.Wednesday, "2025-10-08": time.Wednesday, "2025-09-28": time.Sunday, "2025-10-11": time.Saturday,
		// 2026 notice
		"2026-01-01": time.Thursday, "2026-01-03": time.Saturday, "2026-01-04": time.Sunday,
		"2026-02-15": time.Sunday, "2026-02-23": time.Monday, "2026-02-14": time.Saturday, "2026-02-28": time.Saturday,
		"2026-04-04": time.Saturday, "2026-04-06": time.Monday,
		"2026-05-01": time.Friday, "2026-05-05": time.Tuesday, "2026-05-09": time.Saturday,
		"2026-06-19": time.Friday, "2026-06-21": time.Sunday,
		"2026-09-25": time.Friday, "2026-09-27": time.Sunday,
		"2026-10-01": time.Thursday, "2026-10-07": time.Wednesday, "2026-09-20": time.Sunday, "2026-10-10": time.Saturday,
	}
	for s, want := range stated {
		if got := calDate(s).Weekday(); got != want {
			t.Errorf("%s is a %v, the notice says %v", s, got, want)
		}
	}
	schedules, err := EmbeddedSchedules()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range schedules {
		if s.Region != RegionCN {
			continue
		}
		for _, h := range s.Holidays {
			for _, d := range []Date{h.From, h.To} {
				if _, ok := stated[d.String()]; !ok {
					t.Errorf("%s holiday %s: %s is not a date the notice prints", s.Source, h.Name, d)
				}
			}
		}
		for _, w := range s.Workdays {
			if _, ok := stated[w.Date.String()]; !ok {
				t.Errorf("%s: make-up day %s is not a date the notice prints", s.Source, w.Date)
			}
		}
	}
}

// calYearCheck is the independent expectation for one year: the weekdays
// that are not worked and the weekend days that are.
type calYearCheck struct {
	region          string
	year            int
	offWeekdays     []string
	workingWeekends []string
	holidayDays     int // holiday days, weekends included
	workingDays     int
}

var calYearChecks = []calYearCheck{
	{
		region: RegionCN, year: 2025,
		offWeekdays: []string{
			"2025-01-01",                                                                       // 元旦
			"2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-03", "2025-02-04", // 春节
			"2025-04-04",                             // 清明节
			"2025-05-01", "2025-05-02", "2025-05-05", // 劳动节
			"2025-06-02",                                                                       // 端午节
			"2025-10-01", "2025-10-02", "2025-10-03", "2025-10-06", "2025-10-07", "2025-10-08", // 国庆节、中秋节
		},
		workingWeekends: []string{"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"},
		holidayDays:     1 + 8 + 3 + 5 + 3 + 8,
		workingDays:     248,
	},
	{
		region: RegionCN, year: 2026,
		offWeekdays: []string{
			"2026-01-01", "2026-01-02", // 元旦
			"2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-23", // 春节
			"2026-04-06",                             // 清明节
			"2026-05-01", "2026-05-04", "2026-05-05", // 劳动节
			"2026-06-19",                                                         // 端午节
			"2026-09-25",                                                         // 中秋节
			"2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07", // 国庆节
		},
		workingWeekends: []string{"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"},
		holidayDays:     3 + 9 + 3 + 5 + 3 + 3 + 7,
		workingDays:     248,
	},
	{
		region: RegionGB, year: 2025,
		offWeekdays: []string{"2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25",
			"2025-12-25", "2025-12-26"},
		holidayDays: 8,
		workingDays: 253,
	},
	{
		region: RegionGB, year: 2026,
		offWeekdays: []string{"2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31",
			"2026-12-25", "2026-12-28"},
		holidayDays: 8,
		workingDays: 253,
	},
}

// TestCalendarEveryDay compares the calendar with the notices over every
// day of every covered year.
func TestCalendarEveryDay(t *testing.T) {
	cals := calEmbedded(t)
	for _, yc := range calYearChecks {
		cal, err := cals.Calendar(yc.region)
		if err != nil {
			t.Fatal(err)
		}
		off, working := map[Date]bool{}, map[Date]bool{}
		for _, s := range yc.offWeekdays {
			off[calDate(s)] = true
		}
		for _, s := range yc.workingWeekends {
			working[calDate(s)] = true
		}
		holidays, workdays := 0, 0
		for d := NewDate(yc.year, 1, 1); d.Year() == yc.year; d = d.AddDays(1) {
			weekend := d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
			want := (!weekend && !off[d]) || working[d]
			got, err := cal.IsWorkday(d)
			if err != nil {
				t.Fatalf("%s IsWorkday(%s): %v", yc.region, d, err)
			}
			if got != want {
				t.Errorf("%s IsWorkday(%s, %v) = %v, want %v", yc.region, d, d.Weekday(), got, want)
			}
			kind, err := cal.DayKind(d)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case off[d] && kind != DayHoliday:
				t.Errorf("%s %s kind = %s, want holiday", yc.region, d, kind)
			case working[d] && kind != DayMakeupWorkday:
				t.Errorf("%s %s kind = %s, want makeup_workday", yc.region, d, kind)
			case !off[d] && !working[d] && !weekend && kind != DayWorkday:
				t.Errorf("%s %s kind = %s, want workday", yc.region, d, kind)
			case weekend && !working[d] && kind != DayWeekend && kind != DayHoliday:
				t.Errorf("%s %s kind = %s, want weekend or holiday", yc.region, d, kind)
			}
			if kind.Working() != got {
				t.Errorf("%s %s: kind %s disagrees with IsWorkday %v", yc.region, d, kind, got)
			}
			if kind == DayHoliday {
				holidays++
			}
			if got {
				workdays++
			}
		}
		if holidays != yc.holidayDays || workdays != yc.workingDays {
			t.Errorf("%s %d: %d holiday days and %d working days, want %d and %d",
				yc.region, yc.year, holidays, workdays, yc.holidayDays, yc.workingDays)
		}
		n, err := cal.CountWorkdays(NewDate(yc.year-1, 12, 31), NewDate(yc.year, 12, 31))
		if err != nil || n != yc.workingDays {
			t.Errorf("%s CountWorkdays over %d = %d, %v; want %d", yc.region, yc.year, n, err, yc.workingDays)
		}
	}
}

// TestGBRules derives the England and Wales bank holidays from the Banking
// and Financial Dealings Act rules (Easter by the Gregorian computus,
// first and last Mondays, weekend substitutes) and compares them with the
// embedded data.
func TestGBRules(t *testing.T) {
	cal, err := calEmbedded(t).Calendar(RegionGB)
	if err != nil {
		t.Fatal(err)
	}
	for _, year := range []int{2025, 2026} {
		want := map[Date]bool{}
		substitute := func(d Date) {
			for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday || want[d] {
				d = d.AddDays(1)
			}
			want[d] = true
		}
		substitute(NewDate(year, 1, 1))
		easter := calEaster(year)
		want[easter.AddDays(-2)] = true
		want[easter.AddDays(1)] = true
		want[calNthMonday(year, time.May, 1)] = true
		want[calNthMonday(year, time.May, -1)] = true
		want[calNthMonday(year, time.August, -1)] = true
		substitute(NewDate(year, 12, 25))
		substitute(NewDate(year, 12, 26))
		for d := NewDate(year, 1, 1); d.Year() == year; d = d.AddDays(1) {
			kind, err := cal.DayKind(d)
			if err != nil {
				t.Fatal(err)
			}
			if (kind == DayHoliday) != want[d] {
				t.Errorf("GB %s (%v): kind %s, rules say holiday=%v", d, d.Weekday(), kind, want[d])
			}
		}
	}
}

// calEaster returns Easter Sunday of year (anonymous Gregorian algorithm).
func calEaster(year int) Date {
	a, b, c := year%19, year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return NewDate(year, time.Month(month), day)
}

// calNthMonday returns the n-th Monday of the month, or the last when n is -1.
func calNthMonday(year int, month time.Month, n int) Date {
	if n < 0 {
		d := NewDate(year, month+1, 0)
		for d.Weekday() != time.Monday {
			d = d.AddDays(-1)
		}
		return d
	}
	d := NewDate(year, month, 1)
	for d.Weekday() != time.Monday {
		d = d.AddDays(1)
	}
	return d.AddDays(7 * (n - 1))
}

func TestSpringFestival2026(t *testing.T) {
	cal, err := calEmbedded(t).Calendar(RegionCN)
	if err != nil {
		t.Fatal(err)
	}
	kinds := []struct {
		date string
		kind DayKind
		name string
	}{
		{"2026-02-12", DayWorkday, ""},
		{"2026-02-13", DayWorkday, ""},
		{"2026-02-14", DayMakeupWorkday, "春节"},
		{"2026-02-15", DayHoliday, "春节"},
		{"2026-02-16", DayHoliday, "春节"}, // 除夕 2026 is 2月16日
		{"2026-02-17", DayHoliday, "春节"},
		{"2026-02-21", DayHoliday, "春节"},
		{"2026-02-22", DayHoliday, "春节"},
		{"2026-02-23", DayHoliday, "春节"},
		{"2026-02-24", DayWorkday, ""},
		{"2026-02-27", DayWorkday, ""},
		{"2026-02-28", DayMakeupWorkday, "春节"},
		{"2026-03-01", DayWeekend, ""},
	}
	for _, k := range kinds {
		day, err := cal.Day(calDate(k.date))
		if err != nil {
			t.Fatal(err)
		}
		if day.Kind != k.kind || day.Name != k.name || day.Date.String() != k.date {
			t.Errorf("Day(%s) = %+v, want %s %q", k.date, day, k.kind, k.name)
		}
	}

	// GET /calendar/due?from=2026-02-12&days=5&unit=working: 2/13 Friday (1),
	// 2/14 make-up Saturday (2), 2/15–2/23 holiday, 2/24 (3), 2/25 (4), 2/26 (5).
	from := calDate("2026-02-12")
	for n, want := range []string{"2026-02-12", "2026-02-13", "2026-02-14", "2026-02-24", "2026-02-25", "2026-02-26", "2026-02-27", "2026-02-28", "2026-03-02"} {
		got, err := cal.AddWorkdays(from, n)
		if err != nil || got.String() != want {
			t.Errorf("AddWorkdays(%s, %d) = %s, %v; want %s", from, n, got, err, want)
		}
	}
	next := []struct{ d, want string }{
		{"2026-02-14", "2026-02-14"},
		{"2026-02-15", "2026-02-24"},
		{"2026-02-21", "2026-02-24"},
		{"2026-02-28", "2026-02-28"},
		{"2026-03-01", "2026-03-02"},
	}
	for _, tt := range next {
		got, err := cal.NextWorkday(calDate(tt.d))
		if err != nil || got.String() != tt.want {
			t.Errorf("NextWorkday(%s) = %s, %v; want %s", tt.d, got, err, tt.want)
		}
	}
	if n, err := cal.CountWorkdays(calDate("2026-02-13"), calDate("2026-02-28")); err != nil || n != 6 {
		t.Errorf("CountWorkdays(2/13, 2/28) = %d, %v; want 6 (2/14, 2/24-2/27 and 2/28)", n, err)
	}
}

func TestNationalDay(t *testing.T) {
	cal, err := calEmbedded(t).Calendar(RegionCN)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		from, to string
		working  []string // the working days from..to inclusive
	}{
		{"2025-09-27", "2025-10-12", []string{"2025-09-28", "2025-09-29", "2025-09-30", "2025-10-09", "2025-10-10", "2025-10-11"}},
		{"2026-09-19", "2026-10-11", []string{"2026-09-20", "2026-09-21", "2026-09-22", "2026-09-23", "2026-09-24",
			"2026-09-28", "2026-09-29", "2026-09-30", "2026-10-08", "2026-10-09", "2026-10-10"}},
	}
	for _, tt := range tests {
		want := map[Date]bool{}
		for _, s := range tt.working {
			want[calDate(s)] = true
		}
		for d := calDate(tt.from); !d.After(calDate(tt.to)); d = d.AddDays(1) {
			got, err := cal.IsWorkday(d)
			if err != nil || got != want[d] {
				t.Errorf("IsWorkday(%s, %v) = %v, %v; want %v", d, d.Weekday(), got, err, want[d])
			}
		}
	}
	adds := []struct {
		from string
		n    int
		want string
	}{
		{"2025-09-30", 1, "2025-10-09"},
		{"2025-09-26", 1, "2025-09-28"}, // Friday → make-up Sunday
		{"2025-09-30", 3, "2025-10-11"}, // make-up Saturday counts
		{"2026-09-24", 1, "2026-09-28"}, // over 中秋节
		{"2026-09-30", 5, "2026-10-13"},
	}
	for _, tt := range adds {
		got, err := cal.AddWorkdays(calDate(tt.from), tt.n)
		if err != nil || got.String() != tt.want {
			t.Errorf("AddWorkdays(%s, %d) = %s, %v; want %s", tt.from, tt.n, got, err, tt.want)
		}
	}
}

func TestAcrossYearBoundary(t *testing.T) {
	cal, err := calEmbedded(t).Calendar(RegionCN)
	if err != nil {
		t.Fatal(err)
	}
	// 12/30 Tue (1), 12/31 Wed (2), 1/1–1/3 元旦, 1/4 make-up Sunday (3), 1/5 (4), 1/6 (5).
	from := calDate("2025-12-29")
	got, err := cal.AddWorkdays(from, 5)
	if err != nil || got.String() != "2026-01-06" {
		t.Errorf("AddWorkdays(2025-12-29, 5) = %s, %v; want 2026-01-06", got, err)
	}
	if n, err := cal.CountWorkdays(from, calDate("2026-01-06")); err != nil || n != 5 {
		t.Errorf("CountWorkdays(2025-12-29, 2026-01-06) = %d, %v; want 5", n, err)
	}
	if n, err := cal.CountWorkdays(calDate("2026-01-06"), from); err != nil || n != -5 {
		t.Errorf("CountWorkdays(2026-01-06, 2025-12-29) = %d, %v; want -5", n, err)
	}
	if d, err := cal.NextWorkday(calDate("2026-01-01")); err != nil || d.String() != "2026-01-04" {
		t.Errorf("NextWorkday(2026-01-01) = %s, %v; want 2026-01-04", d, err)
	}
}

func TestMissingYear(t *testing.T) {
	cal, err := calEmbedded(t).Calendar(RegionCN)
	if err != nil {
		t.Fatal(err)
	}
	calls := []struct {
		name string
		year int
		call func() error
	}{
		{"IsWorkday 2027", 2027, func() error { _, err := cal.IsWorkday(calDate("2027-01-04")); return err }},
		{"IsWorkday 2024", 2024, func() error { _, err := cal.IsWorkday(calDate("2024-03-01")); return err }},
		{"DayKind 2024", 2024, func() error { _, err := cal.DayKind(calDate("2024-12-31")); return err }},
		{"AddWorkdays into 2027", 2027, func() error { _, err := cal.AddWorkdays(calDate("2026-12-29"), 5); return err }},
		{"AddWorkdays from 2024", 2024, func() error { _, err := cal.AddWorkdays(calDate("2024-12-30"), 3); return err }},
		{"CountWorkdays into 2027", 2027, func() error { _, err := cal.CountWorkdays(calDate("2026-12-01"), calDate("2027-01-05")); return err }},
		{"CountWorkdays back into 2024", 2024, func() error { _, err := cal.CountWorkdays(calDate("2025-01-05"), calDate("2024-12-20")); return err }},
		{"NextWorkday 2027", 2027, func() error { _, err := cal.NextWorkday(calDate("2027-01-01")); return err }},
		{"Schedule 2027", 2027, func() error { _, err := cal.Schedule(2027); return err }},
	}
	for _, c := range calls {
		err := c.call()
		var missing *MissingYearError
		if !errors.As(err, &missing) {
			t.Errorf("%s: error = %v, want *MissingYearError", c.name, err)
			continue
		}
		if missing.Region != RegionCN || missing.Year != c.year {
			t.Errorf("%s: missing = %+v, want CN %d", c.name, missing, c.year)
		}
		var e *Error
		if !errors.As(err, &e) || e.Code != EINVALID || ErrorCode(err) != EINVALID {
			t.Errorf("%s: errors.As *Error = %+v, code %q; want EINVALID", c.name, e, ErrorCode(err))
		}
		if msg := ErrorMessage(err); !strings.Contains(msg, "no CN holiday schedule for "+strconv.Itoa(c.year)) {
			t.Errorf("%s: message %q does not name the year", c.name, msg)
		}
	}
	// Zero-length work needs no schedule at all.
	if d, err := cal.AddWorkdays(calDate("2027-06-01"), 0); err != nil || d.String() != "2027-06-01" {
		t.Errorf("AddWorkdays(2027-06-01, 0) = %s, %v", d, err)
	}
	if n, err := cal.CountWorkdays(calDate("2027-06-01"), calDate("2027-06-01")); err != nil || n != 0 {
		t.Errorf("CountWorkdays(same day in 2027) = %d, %v", n, err)
	}
	if _, err := cal.AddWorkdays(calDate("2026-01-05"), -1); ErrorCode(err) != EINVALID {
		t.Errorf("AddWorkdays(-1) error = %v, want EINVALID", err)
	}
	if _, err := cal.Day(Date{}); ErrorCode(err) != EINVALID {
		t.Errorf("Day(zero) error = %v, want EINVALID", err)
	}
}

// calValidSchedule is a small valid schedule for validation tests.
func calValidSchedule() YearSchedule {
	return YearSchedule{
		Region:   RegionCN,
		Year:     2027,
		Source:   "test notice",
		Holidays: []Holiday{{Name: "元旦", From: calDate("2027-01-01"), To: calDate("2027-01-03")}},
		Workdays: []Workday{{Date: calDate("2027-01-09"), Name: "元旦"}}, // a Saturday
	}
}

func TestScheduleValidate(t *testing.T) {
	if err := calValidSchedule().Validate(); err != nil {
		t.Fatalf("valid schedule: %v", err)
	}
	tests := []struct {
		name   string
		change func(*YearSchedule)
		field  string
	}{
		{"lower-case region", func(s *YearSchedule) { s.Region = "cn" }, "region"},
		{"no year", func(s *YearSchedule) { s.Year = 0 }, "year"},
		{"no source", func(s *YearSchedule) { s.Source = " " }, "source"},
		{"holiday without name", func(s *YearSchedule) { s.Holidays[0].Name = "" }, "holidays[0].name"},
		{"holiday in another year", func(s *YearSchedule) { s.Holidays[0].From = calDate("2026-12-31") }, "holidays[0].from"},
		{"holiday without end", func(s *YearSchedule) { s.Holidays[0].To = Date{} }, "holidays[0].to"},
		{"holiday backwards", func(s *YearSchedule) {
			s.Holidays[0].From, s.Holidays[0].To = calDate("2027-01-02"), calDate("2027-01-01")
		}, "holidays[0].to"},
		{"overlapping holidays", func(s *YearSchedule) {
			s.Holidays = append(s.Holidays, Holiday{Name: "x", From: calDate("2027-01-03"), To: calDate("2027-01-04")})
		}, "holidays[1]"},
		{"make-up day on a Friday", func(s *YearSchedule) { s.Workdays[0].Date = calDate("2027-01-08") }, "workdays[0].date"},
		{"make-up day that is a holiday", func(s *YearSchedule) { s.Workdays[0].Date = calDate("2027-01-02") }, "workdays[0].date"},
		{"make-up day in another year", func(s *YearSchedule) { s.Workdays[0].Date = calDate("2026-01-04") }, "workdays[0].date"},
		{"make-up day twice", func(s *YearSchedule) { s.Workdays = append(s.Workdays, s.Workdays[0]) }, "workdays[1].date"},
		{"make-up day without name", func(s *YearSchedule) { s.Workdays[0].Name = "" }, "workdays[0].name"},
	}
	for _, tt := range tests {
		s := calValidSchedule()
		tt.change(&s)
		err := s.Validate()
		if ErrorCode(err) != EINVALID {
			t.Errorf("%s: error = %v, want EINVALID", tt.name, err)
			continue
		}
		if _, ok := ErrorFields(err)[tt.field]; !ok {
			t.Errorf("%s: fields = %v, want %s", tt.name, ErrorFields(err), tt.field)
		}
		if _, err := NewCalendar(RegionCN, s); ErrorCode(err) != EINVALID {
			t.Errorf("%s: NewCalendar error = %v, want EINVALID", tt.name, err)
		}
	}

	s := calValidSchedule()
	if _, err := NewCalendar(RegionGB, s); ErrorCode(err) != EINVALID {
		t.Errorf("CN schedule in a GB calendar: error = %v", err)
	}
	if _, err := NewCalendar(RegionCN, s, s); ErrorCode(err) != EINVALID {
		t.Errorf("two schedules for one year: error = %v", err)
	}
	if _, err := NewCalendar("China"); ErrorCode(err) != EINVALID {
		t.Errorf("bad region: error = %v", err)
	}
}

func TestParseSchedule(t *testing.T) {
	good := `{"region":"CN","year":2027,"source":"test","holidays":[{"name":"元旦","from":"2027-01-01","to":"2027-01-01"}],"workdays":[]}`
	s, err := ParseSchedule([]byte(good))
	if err != nil || s.Year != 2027 || len(s.Holidays) != 1 {
		t.Fatalf("ParseSchedule(good) = %+v, %v", s, err)
	}
	bad := []string{
		`{"region":"CN","year":2027,"source":"test","holiday":[]}`, // unknown field
		`{"region":"CN","year":2027,"source":"test","holidays":[{"name":"x","from":"2027-02-30","to":"2027-03-01"}]}`,
		`{"region":"CN","year":2027,"source":"test","workdays":[{"name":"x","date":"2027-01-05"}]}`, // a Tuesday
		`{"region":"CN","year":2027,"source":"test"} {}`,
		`not json`,
	}
	for _, b := range bad {
		if _, err := ParseSchedule([]byte(b)); ErrorCode(err) != EINVALID {
			t.Errorf("ParseSchedule(%s) error = %v, want EINVALID", b, err)
		}
	}
	// The embedded shape survives a round trip.
	cal, err := calEmbedded(t).Calendar(RegionCN)
	if err != nil {
		t.Fatal(err)
	}
	orig, err := cal.Schedule(2026)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(orig)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseSchedule(b)
	if err != nil {
		t.Fatalf("round trip: %v\n%s", err, b)
	}
	if back.Issued.String() != "2025-11-04" || len(back.Holidays) != 7 || len(back.Workdays) != 6 {
		t.Errorf("round trip = %+v", back)
	}
}

func TestWithOverride(t *testing.T) {
	cals := calEmbedded(t)
	cn, err := cals.Calendar(RegionCN)
	if err != nil {
		t.Fatal(err)
	}
	// An administrator corrects 2026: 2026-03-02 (Monday) becomes a holiday.
	s, err := cn.Schedule(2026)
	if err != nil {
		t.Fatal(err)
	}
	s.Holidays = append(s.Holidays, Holiday{Name: "test day", From: calDate("2026-03-02"), To: calDate("2026-03-02")})
	s.Source = "admin correction"
	over, err := cn.WithOverride(s)
	if err != nil {
		t.Fatal(err)
	}
	if k, _ := over.DayKind(calDate("2026-03-02")); k != DayHoliday {
		t.Errorf("override: 2026-03-02 kind = %s, want holiday", k)
	}
	if k, _ := cn.DayKind(calDate("2026-03-02")); k != DayWorkday {
		t.Errorf("original changed: 2026-03-02 kind = %s, want workday", k)
	}
	s.Holidays[0].Name = "changed after the fact"
	if got, _ := over.Schedule(2026); got.Holidays[0].Name != "元旦" || got.Source != "admin correction" {
		t.Errorf("the calendar shares the caller's slice: %+v", got.Holidays[0])
	}

	// Adding 2027 lifts the missing-year error.
	next := calValidSchedule()
	with2027, err := cn.WithOverride(next)
	if err != nil {
		t.Fatal(err)
	}
	if years := with2027.Years(); len(years) != 3 || years[2] != 2027 {
		t.Errorf("years = %v, want 2025 2026 2027", years)
	}
	if d, err := with2027.AddWorkdays(calDate("2026-12-29"), 5); err != nil || d.String() != "2027-01-06" {
		t.Errorf("AddWorkdays into 2027 = %s, %v; want 2027-01-06", d, err)
	}
	if len(cn.Years()) != 2 {
		t.Errorf("original years changed: %v", cn.Years())
	}

	// A schedule for another region is refused.
	gb := calValidSchedule()
	gb.Region = RegionGB
	if _, err := cn.WithOverride(gb); ErrorCode(err) != EINVALID {
		t.Errorf("GB schedule on CN calendar: error = %v", err)
	}

	// Calendars.WithOverrides does the same across regions and can start one.
	us := YearSchedule{Region: "US", Year: 2026, Source: "test", Holidays: []Holiday{{Name: "Independence Day", From: calDate("2026-07-03"), To: calDate("2026-07-03")}}}
	more, err := cals.WithOverrides(next, us)
	if err != nil {
		t.Fatal(err)
	}
	if len(more) != 3 || len(cals) != 2 {
		t.Errorf("WithOverrides: %d calendars (original %d), want 3 (2)", len(more), len(cals))
	}
	if k, err := more["US"].DayKind(calDate("2026-07-03")); err != nil || k != DayHoliday {
		t.Errorf("US 2026-07-03 = %s, %v", k, err)
	}
	if _, err := cals.WithOverrides(YearSchedule{Region: "CN", Year: 2027}); ErrorCode(err) != EINVALID {
		t.Errorf("invalid override: error = %v", err)
	}
}

// TestCalendarProperties checks, over random dates and counts, that
// AddWorkdays lands on a working day, that counting back gives the count,
// that the day before the result holds one working day fewer, and that
// CountWorkdays never decreases as its end moves later.
func TestCalendarProperties(t *testing.T) {
	cals := calEmbedded(t)
	rng := rand.New(rand.NewPCG(2025, 2026))
	first := NewDate(2025, 1, 1)
	for _, region := range []string{RegionCN, RegionGB} {
		cal, err := cals.Calendar(region)
		if err != nil {
			t.Fatal(err)
		}
		missing := 0
		for i := 0; i < 3000; i++ {
			from := first.AddDays(rng.IntN(730))
			n := rng.IntN(80)
			to, err := cal.AddWorkdays(from, n)
			var me *MissingYearError
			if errors.As(err, &me) {
				if me.Year != 2027 {
					t.Fatalf("AddWorkdays(%s, %d): missing %d", from, n, me.Year)
				}
				missing++
				continue
			}
			if err != nil {
				t.Fatalf("AddWorkdays(%s, %d): %v", from, n, err)
			}
			if n > 0 {
				if ok, err := cal.IsWorkday(to); err != nil || !ok {
					t.Errorf("%s AddWorkdays(%s, %d) = %s, not a working day", region, from, n, to)
				}
				if !to.After(from) {
					t.Errorf("%s AddWorkdays(%s, %d) = %s, not after from", region, from, n, to)
				}
				if back, err := cal.CountWorkdays(from, to.AddDays(-1)); err != nil || back != n-1 {
					t.Errorf("%s CountWorkdays(%s, %s) = %d, %v; want %d", region, from, to.AddDays(-1), back, err, n-1)
				}
			}
			if back, err := cal.CountWorkdays(from, to); err != nil || back != n {
				t.Errorf("%s CountWorkdays(%s, %s) = %d, %v; want %d", region, from, to, back, err, n)
			}
			if back, err := cal.CountWorkdays(to, from); err != nil || back != -n {
				t.Errorf("%s CountWorkdays(%s, %s) = %d, %v; want %d", region, to, from, back, err, -n)
			}
			next, err := cal.NextWorkday(from)
			if err == nil {
				if ok, _ := cal.IsWorkday(next); !ok || next.Before(from) {
					t.Errorf("%s NextWorkday(%s) = %s", region, from, next)
				}
				if c, err := cal.CountWorkdays(from.AddDays(-1), next.AddDays(-1)); err == nil && c != 0 {
					t.Errorf("%s NextWorkday(%s) = %s skips %d working days", region, from, next, c)
				}
			}
			// Monotonic: a later end never counts fewer working days.
			a := from.AddDays(rng.IntN(60))
			b := a.AddDays(rng.IntN(60))
			ca, errA := cal.CountWorkdays(from, a)
			cb, errB := cal.CountWorkdays(from, b)
			if errA == nil && errB == nil && ca > cb {
				t.Errorf("%s CountWorkdays(%s, %s) = %d > CountWorkdays(%s, %s) = %d", region, from, a, ca, from, b, cb)
			}
		}
		if missing == 0 || missing > 1000 {
			t.Errorf("%s: %d of 3000 random cases ran into 2027; the sample is skewed", region, missing)
		}
	}
}
