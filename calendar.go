package redress

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Date is a civil date: a year, a month and a day, with no time of day and
// no time zone. Build one with NewDate, ParseDate or DateOf; the zero Date
// means "no date" (IsZero reports it). Dates are comparable with == and
// usable as map keys. In JSON and text a Date is "YYYY-MM-DD", and the zero
// Date is "".
type Date struct {
	year  int
	month time.Month
	day   int
}

// NewDate returns the date year-month-day, normalized like time.Date:
// NewDate(2026, 2, 30) is 2026-03-02.
func NewDate(year int, month time.Month, day int) Date {
	return dateOfUTC(time.Date(year, month, day, 0, 0, 0, 0, time.UTC))
}

// DateOf returns the date of t in Beijing time, the civil date every PRC
// deadline is counted in.
func DateOf(t time.Time) Date {
	y, m, d := t.In(Beijing).Date()
	return Date{year: y, month: m, day: d}
}

// ParseDate parses "YYYY-MM-DD". A malformed or impossible date (2026-02-30)
// is an EINVALID *Error.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, Errorf(EINVALID, "invalid date %q: want an existing date as YYYY-MM-DD", s)
	}
	return dateOfUTC(t), nil
}

// dateOfUTC returns the date of t in t's own location.
func dateOfUTC(t time.Time) Date {
	y, m, d := t.Date()
	return Date{year: y, month: m, day: d}
}

// utc returns midnight UTC at the start of d, for arithmetic.
func (d Date) utc() time.Time {
	return time.Date(d.year, d.month, d.day, 0, 0, 0, 0, time.UTC)
}

// Year returns the year of d.
func (d Date) Year() int { return d.year }

// Month returns the month of d.
func (d Date) Month() time.Month { return d.month }

// Day returns the day of the month of d.
func (d Date) Day() int { return d.day }

// IsZero reports whether d is the zero Date, "no date".
func (d Date) IsZero() bool { return d == Date{} }

// String returns d as "YYYY-MM-DD", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.year, int(d.month), d.day)
}

// AddDays returns the date n calendar days after d (before d when n < 0).
func (d Date) AddDays(n int) Date {
	return NewDate(d.year, d.month, d.day+n)
}

// AddMonths returns the date n calendar months after d (before d when
// n < 0), on the same day of the month or, when that month is shorter, its
// last day: 2026-01-31 plus one month is 2026-02-28, never March.
func (d Date) AddMonths(n int) Date {
	first := NewDate(d.year, d.month+time.Month(n), 1)
	last := first.AddDays(32)
	last = NewDate(last.year, last.month, 1).AddDays(-1)
	return NewDate(first.year, first.month, min(d.day, last.day))
}

// Sub returns the number of calendar days from o to d: positive when d is
// after o.
func (d Date) Sub(o Date) int {
	return int((d.utc().Unix() - o.utc().Unix()) / (24 * 60 * 60))
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.utc().Weekday() }

// Compare returns -1 if d is before o, 0 if they are the same date, +1 if d is after o.
func (d Date) Compare(o Date) int {
	switch {
	case d.year != o.year:
		return cmpInt(d.year, o.year)
	case d.month != o.month:
		return cmpInt(int(d.month), int(o.month))
	default:
		return cmpInt(d.day, o.day)
	}
}

// Before reports whether d is before o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is after o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// MarshalText encodes d as "YYYY-MM-DD" ("" for the zero Date); JSON uses it.
func (d Date) MarshalText() ([]byte, error) {
	return []byte(d.String()), nil
}

// UnmarshalText decodes "YYYY-MM-DD"; "" decodes to the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Regions of the embedded calendars.
const (
	RegionCN = "CN" // mainland China: State Council holiday notices, with 调休
	RegionGB = "GB" // England and Wales bank holidays, for the UK FCA comparator
)

// HolidayKind says which kind of rest day a day of a holiday block is.
// Since 2025-01-01 (全国年节及纪念日放假办法 as amended by State Council Order
// No.795) a notice's block ("春节: 1月28日至2月4日放假调休，共8天") is made of
// the statutory holidays of the Order (法定节假日: 元旦 1 day, 春节 4 — 除夕
// and 初一 to 初三 —, 清明节 1, 劳动节 2, 端午节 1, 中秋节 1, 国庆节 3: 13 days
// a year) and of the other rest days of the block (调休休息日: the weekend
// days moved into it, and the 补假 of a holiday that falls on a weekend).
type HolidayKind string

// The kinds of holiday day.
const (
	HolidayStatutory HolidayKind = "statutory" // 法定节假日
	HolidayRestDay   HolidayKind = "rest_day"  // 调休休息日
)

// StatutoryDaysCN is the number of statutory holidays a year of the PRC
// calendar has since 2025 (全国年节及纪念日放假办法 Art.2 as amended by State
// Council Order No.795).
const StatutoryDaysCN = 13

// DateRange is the days From to To inclusive.
type DateRange struct {
	From Date `json:"from"`
	To   Date `json:"to"`
}

// Holiday is a run of consecutive non-working days, From to To inclusive,
// as one item of a holiday notice lists it ("春节: 2月15日至23日放假调休").
// Days of the run that fall on a weekend are holidays too.
//
// RestDays are the days of the run that are not statutory holidays
// (调休休息日), inside From..To; every other day of the run is a statutory
// holiday (法定节假日). A run without RestDays is statutory throughout: a GB
// bank holiday, or a schedule entered before the distinction.
type Holiday struct {
	Name     string      `json:"name"`
	From     Date        `json:"from"`
	To       Date        `json:"to"`
	RestDays []DateRange `json:"rest_days,omitempty"`
}

// KindOf returns the kind of day d of the run: rest day when a range of
// RestDays holds it, else statutory. d must lie in the run.
func (h Holiday) KindOf(d Date) HolidayKind {
	for _, r := range h.RestDays {
		if !d.Before(r.From) && !d.After(r.To) {
			return HolidayRestDay
		}
	}
	return HolidayStatutory
}

// StatutoryDays returns the number of statutory days of the run.
func (h Holiday) StatutoryDays() int {
	n := 0
	for d := h.From; !d.After(h.To); d = d.AddDays(1) {
		if h.KindOf(d) == HolidayStatutory {
			n++
		}
	}
	return n
}

// Workday is a make-up working day (调休上班): a Saturday or Sunday on which
// people work, to pay for a longer holiday. Name is the holiday it belongs to.
type Workday struct {
	Date Date   `json:"date"`
	Name string `json:"name"`
}

// YearSchedule is one year of one region's calendar as its official notice
// gives it: the holidays and the make-up working days. Every other Monday to
// Friday is a working day and every other Saturday and Sunday is not.
//
// A schedule is data: the embedded ones are in holidays/*.json in exactly
// this JSON shape, and an administrator may supply one for a new year or to
// correct a year (Calendar.WithOverride). All dates lie inside Year; a holiday
// that crosses New Year is split between the two years' schedules.
type YearSchedule struct {
	Region   string    `json:"region"`
	Year     int       `json:"year"`
	Source   string    `json:"source"`          // the notice's title, e.g. 国务院办公厅关于2026年部分节假日安排的通知
	Issued   Date      `json:"issued,omitzero"` // the notice's date, when known
	Holidays []Holiday `json:"holidays"`
	Workdays []Workday `json:"workdays"`
}

var regionPattern = regexp.MustCompile(`^[A-Z]{2}$`)

// Validate checks the schedule on its own: a two-letter region, a year, a
// named source, and holidays and make-up workdays that lie inside the year,
// are listed once, never overlap, and put make-up workdays only on a Saturday
// or Sunday. Problems are an EINVALID *Error with one entry per field
// ("holidays[2].to").
func (s YearSchedule) Validate() error {
	var p Problems
	if !regionPattern.MatchString(s.Region) {
		p.Add("region", "must be a two-letter upper-case region code such as CN or GB")
	}
	if s.Year < 1 || s.Year > 9999 {
		p.Add("year", "must be between 1 and 9999")
	}
	if strings.TrimSpace(s.Source) == "" {
		p.Add("source", "required: the title of the notice the schedule comes from")
	}
	inYear := func(field string, d Date) bool {
		switch {
		case d.IsZero():
			p.AddKey(field, ProblemRequired)
		case d.Year() != s.Year:
			p.Add(field, fmt.Sprintf("%s is not in %d", d, s.Year))
		default:
			return true
		}
		return false
	}
	holiday := map[Date]string{} // day → the holiday that lists it
	for i, h := range s.Holidays {
		field := fmt.Sprintf("holidays[%d]", i)
		if strings.TrimSpace(h.Name) == "" {
			p.Add(field+".name", "required")
		}
		okFrom, okTo := inYear(field+".from", h.From), inYear(field+".to", h.To)
		if !okFrom || !okTo {
			continue
		}
		if h.To.Before(h.From) {
			p.Add(field+".to", fmt.Sprintf("%s is before from %s", h.To, h.From))
			continue
		}
		rest := map[Date]bool{}
		for j, r := range h.RestDays {
			rf := fmt.Sprintf("%s.rest_days[%d]", field, j)
			switch {
			case r.From.IsZero() || r.To.IsZero():
				p.AddKey(rf, ProblemRequired)
			case r.To.Before(r.From):
				p.Add(rf+".to", fmt.Sprintf("%s is before from %s", r.To, r.From))
			case r.From.Before(h.From) || r.To.After(h.To):
				p.Add(rf, fmt.Sprintf("%s – %s is not inside the holiday %s – %s", r.From, r.To, h.From, h.To))
			default:
				for d := r.From; !d.After(r.To); d = d.AddDays(1) {
					if rest[d] {
						p.Add(rf, fmt.Sprintf("%s is listed twice", d))
						break
					}
					rest[d] = true
				}
			}
		}
		for d := h.From; !d.After(h.To); d = d.AddDays(1) {
			if other, dup := holiday[d]; dup {
				p.Add(field, fmt.Sprintf("%s is already a holiday (%s)", d, other))
				break
			}
			holiday[d] = h.Name
		}
	}
	workday := map[Date]bool{}
	for i, w := range s.Workdays {
		field := fmt.Sprintf("workdays[%d]", i)
		if strings.TrimSpace(w.Name) == "" {
			p.Add(field+".name", "required: the holiday the make-up day belongs to")
		}
		if !inYear(field+".date", w.Date) {
			continue
		}
		switch {
		case workday[w.Date]:
			p.Add(field+".date", fmt.Sprintf("%s is listed twice", w.Date))
		case holiday[w.Date] != "":
			p.Add(field+".date", fmt.Sprintf("%s is also a holiday (%s)", w.Date, holiday[w.Date]))
		case !isWeekend(w.Date):
			p.Add(field+".date", fmt.Sprintf("%s is a %s: a make-up workday must be a Saturday or Sunday", w.Date, w.Date.Weekday()))
		}
		workday[w.Date] = true
	}
	if err := p.Err(); err != nil {
		return &Error{Code: EINVALID, Message: fmt.Sprintf("invalid %s %d holiday schedule", s.Region, s.Year), Fields: ErrorFields(err)}
	}
	return nil
}

// ParseSchedule decodes one year schedule from JSON (the shape of
// holidays/*.json), rejecting unknown fields, and validates it.
func ParseSchedule(data []byte) (YearSchedule, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s YearSchedule
	if err := dec.Decode(&s); err != nil {
		return YearSchedule{}, Errorf(EINVALID, "invalid holiday schedule JSON: %v", err)
	}
	if dec.More() {
		return YearSchedule{}, Errorf(EINVALID, "invalid holiday schedule JSON: more than one value")
	}
	if err := s.Validate(); err != nil {
		return YearSchedule{}, err
	}
	return s, nil
}

//go:embed holidays/*.json
var holidayFiles embed.FS

// EmbeddedSchedules returns the year schedules shipped with the program,
// from holidays/<region>-<year>.json, sorted by region and year. Each file
// must be valid and its name must match its region and year.
func EmbeddedSchedules() ([]YearSchedule, error) {
	names, err := fs.Glob(holidayFiles, "holidays/*.json")
	if err != nil {
		return nil, fmt.Errorf("list embedded holiday files: %w", err)
	}
	schedules := make([]YearSchedule, 0, len(names))
	for _, name := range names {
		data, err := holidayFiles.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		s, err := ParseSchedule(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		want := fmt.Sprintf("%s-%d.json", strings.ToLower(s.Region), s.Year)
		if base := path.Base(name); base != want {
			return nil, fmt.Errorf("%s holds the %s %d schedule: name it %s", name, s.Region, s.Year, want)
		}
		schedules = append(schedules, s)
	}
	sort.Slice(schedules, func(i, j int) bool {
		if schedules[i].Region != schedules[j].Region {
			return schedules[i].Region < schedules[j].Region
		}
		return schedules[i].Year < schedules[j].Year
	})
	return schedules, nil
}

// DayKind says what kind of day a date is in a calendar.
type DayKind string

// The kinds of day. A holiday that falls on a weekend is DayHoliday.
const (
	DayWorkday       DayKind = "workday"        // Monday to Friday, not a holiday
	DayWeekend       DayKind = "weekend"        // Saturday or Sunday, not a make-up workday
	DayHoliday       DayKind = "holiday"        // listed in a holiday of the year's schedule
	DayMakeupWorkday DayKind = "makeup_workday" // a Saturday or Sunday worked under 调休
)

// Working reports whether people work on a day of this kind.
func (k DayKind) Working() bool { return k == DayWorkday || k == DayMakeupWorkday }

// CalendarDay is one date of a calendar: its kind, and for a holiday or a
// make-up workday the name of the holiday. A holiday's Holiday says whether
// it is a statutory holiday (法定节假日) or another rest day of the block
// (调休休息日); with DayMakeupWorkday (调休上班日) these are the three kinds of
// day a notice lists.
type CalendarDay struct {
	Date    Date        `json:"date"`
	Kind    DayKind     `json:"kind"`
	Name    string      `json:"name,omitempty"`
	Holiday HolidayKind `json:"holiday,omitempty"`
}

// Statutory reports whether the day is a statutory holiday (法定节假日).
func (d CalendarDay) Statutory() bool { return d.Kind == DayHoliday && d.Holiday == HolidayStatutory }

// MissingYearError is returned when a calendar is asked about a year it has
// no schedule for. A calendar never guesses Monday to Friday for such a
// year: an administrator must add the year's schedule first.
//
// errors.As also matches it to an EINVALID *Error, so ErrorCode and
// ErrorMessage report it to the user.
type MissingYearError struct {
	Region string
	Year   int
}

// Error implements the error interface.
func (e *MissingYearError) Error() string {
	return fmt.Sprintf("no %s holiday schedule for %d: working days cannot be counted until an administrator adds that year's schedule", e.Region, e.Year)
}

// As lets errors.As find an EINVALID *Error in a MissingYearError.
func (e *MissingYearError) As(target any) bool {
	if t, ok := target.(**Error); ok {
		*t = &Error{Code: EINVALID, Message: e.Error()}
		return true
	}
	return false
}

// Calendar is the working-day calendar of one region over the years it has
// schedules for. It is immutable and safe for concurrent use; WithOverride
// returns a new Calendar.
type Calendar struct {
	region string
	years  map[int]calendarYear
}

// calendarYear is one schedule with its days indexed.
type calendarYear struct {
	schedule YearSchedule
	special  map[Date]CalendarDay // holidays and make-up workdays
}

// NewCalendar builds the calendar of region from its year schedules. Every
// schedule must be valid, belong to region, and cover a different year.
func NewCalendar(region string, schedules ...YearSchedule) (*Calendar, error) {
	if !regionPattern.MatchString(region) {
		return nil, Errorf(EINVALID, "invalid calendar region %q: want a two-letter code such as CN", region)
	}
	c := &Calendar{region: region, years: map[int]calendarYear{}}
	for _, s := range schedules {
		y, err := indexSchedule(region, s)
		if err != nil {
			return nil, err
		}
		if _, dup := c.years[s.Year]; dup {
			return nil, Errorf(EINVALID, "calendar %s: two schedules for %d", region, s.Year)
		}
		c.years[s.Year] = y
	}
	return c, nil
}

// indexSchedule validates s for region's calendar and indexes its days. It
// copies the schedule so that later changes to the caller's slices cannot
// change the calendar.
func indexSchedule(region string, s YearSchedule) (calendarYear, error) {
	if s.Region != region {
		return calendarYear{}, Errorf(EINVALID, "calendar %s: the %d schedule is for region %q", region, s.Year, s.Region)
	}
	if err := s.Validate(); err != nil {
		return calendarYear{}, err
	}
	s.Holidays = copyHolidays(s.Holidays)
	s.Workdays = append([]Workday(nil), s.Workdays...)
	special := map[Date]CalendarDay{}
	for _, h := range s.Holidays {
		for d := h.From; !d.After(h.To); d = d.AddDays(1) {
			special[d] = CalendarDay{Date: d, Kind: DayHoliday, Name: h.Name, Holiday: h.KindOf(d)}
		}
	}
	for _, w := range s.Workdays {
		special[w.Date] = CalendarDay{Date: w.Date, Kind: DayMakeupWorkday, Name: w.Name}
	}
	return calendarYear{schedule: s, special: special}, nil
}

// WithOverride returns a copy of c in which s, for example a schedule an
// administrator stored, is the whole schedule of s.Year: it replaces the
// embedded schedule of that year or adds a year c did not cover. c itself
// is unchanged.
func (c *Calendar) WithOverride(s YearSchedule) (*Calendar, error) {
	y, err := indexSchedule(c.region, s)
	if err != nil {
		return nil, err
	}
	years := make(map[int]calendarYear, len(c.years)+1)
	for year, v := range c.years {
		years[year] = v
	}
	years[s.Year] = y
	return &Calendar{region: c.region, years: years}, nil
}

// Region returns the region code of the calendar, e.g. "CN".
func (c *Calendar) Region() string { return c.region }

// Years returns the years the calendar has schedules for, in order.
func (c *Calendar) Years() []int {
	years := make([]int, 0, len(c.years))
	for y := range c.years {
		years = append(years, y)
	}
	sort.Ints(years)
	return years
}

// Schedule returns a copy of the schedule of year, or a *MissingYearError.
func (c *Calendar) Schedule(year int) (YearSchedule, error) {
	y, ok := c.years[year]
	if !ok {
		return YearSchedule{}, &MissingYearError{Region: c.region, Year: year}
	}
	s := y.schedule
	s.Holidays = copyHolidays(s.Holidays)
	s.Workdays = append([]Workday(nil), s.Workdays...)
	return s, nil
}

// Day returns what kind of day d is, with the holiday's name for a holiday
// or a make-up workday. A year without a schedule is a *MissingYearError.
func (c *Calendar) Day(d Date) (CalendarDay, error) {
	if d.IsZero() {
		return CalendarDay{}, Errorf(EINVALID, "calendar %s: no date given", c.region)
	}
	y, ok := c.years[d.Year()]
	if !ok {
		return CalendarDay{}, &MissingYearError{Region: c.region, Year: d.Year()}
	}
	if day, ok := y.special[d]; ok {
		return day, nil
	}
	if isWeekend(d) {
		return CalendarDay{Date: d, Kind: DayWeekend}, nil
	}
	return CalendarDay{Date: d, Kind: DayWorkday}, nil
}

// DayKind returns the kind of day d is.
func (c *Calendar) DayKind(d Date) (DayKind, error) {
	day, err := c.Day(d)
	return day.Kind, err
}

// IsWorkday reports whether d is a working day: a Monday to Friday that is
// not a holiday, or a make-up workday.
func (c *Calendar) IsWorkday(d Date) (bool, error) {
	day, err := c.Day(d)
	return day.Kind.Working(), err
}

// NextNonStatutory returns d if it is not a statutory holiday, else the
// first day after it that is not: "the day after the statutory holiday
// ends" (民法典 Art.203). That day may be a weekend or another rest day.
func (c *Calendar) NextNonStatutory(d Date) (Date, error) {
	for next := d; ; next = next.AddDays(1) {
		day, err := c.Day(next)
		if err != nil {
			return Date{}, fmt.Errorf("next day after the statutory holiday from %s: %w", d, err)
		}
		if !day.Statutory() {
			return next, nil
		}
	}
}

// NextWorkday returns d if it is a working day, else the first working day
// after it.
func (c *Calendar) NextWorkday(d Date) (Date, error) {
	for next := d; ; next = next.AddDays(1) {
		ok, err := c.IsWorkday(next)
		if err != nil {
			return Date{}, fmt.Errorf("next working day from %s: %w", d, err)
		}
		if ok {
			return next, nil
		}
	}
}

// AddWorkdays returns the n-th working day after from. The day from itself
// is not counted, whatever its kind: day 1 is the next working day after
// from. AddWorkdays(from, 0) is from. n must not be negative.
func (c *Calendar) AddWorkdays(from Date, n int) (Date, error) {
	if n < 0 {
		return Date{}, Errorf(EINVALID, "cannot add %d working days: the count must not be negative", n)
	}
	if from.IsZero() {
		return Date{}, Errorf(EINVALID, "calendar %s: no date given", c.region)
	}
	d := from
	for counted := 0; counted < n; {
		d = d.AddDays(1)
		ok, err := c.IsWorkday(d)
		if err != nil {
			return Date{}, fmt.Errorf("add %d working days to %s: %w", n, from, err)
		}
		if ok {
			counted++
		}
	}
	return d, nil
}

// CountWorkdays returns the number of working days after from up to and
// including to, so that CountWorkdays(from, AddWorkdays(from, n)) == n. When
// to is before from the count is negative: CountWorkdays(a, b) ==
// -CountWorkdays(b, a).
func (c *Calendar) CountWorkdays(from, to Date) (int, error) {
	if from.IsZero() || to.IsZero() {
		return 0, Errorf(EINVALID, "calendar %s: no date given", c.region)
	}
	if to.Before(from) {
		n, err := c.CountWorkdays(to, from)
		return -n, err
	}
	n := 0
	for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
		ok, err := c.IsWorkday(d)
		if err != nil {
			return 0, fmt.Errorf("count working days from %s to %s: %w", from, to, err)
		}
		if ok {
			n++
		}
	}
	return n, nil
}

// copyHolidays copies holidays deeply, rest days included.
func copyHolidays(hs []Holiday) []Holiday {
	out := append([]Holiday(nil), hs...)
	for i := range out {
		out[i].RestDays = append([]DateRange(nil), out[i].RestDays...)
	}
	return out
}

// StatutoryDays returns the number of statutory holidays of the schedule.
func (s YearSchedule) StatutoryDays() int {
	n := 0
	for _, h := range s.Holidays {
		n += h.StatutoryDays()
	}
	return n
}

func isWeekend(d Date) bool {
	wd := d.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

// Calendars holds one Calendar per region code. A nil Calendars is valid
// and holds none.
type Calendars map[string]*Calendar

// NewCalendars builds one calendar per region from schedules of any regions.
func NewCalendars(schedules ...YearSchedule) (Calendars, error) {
	byRegion := map[string][]YearSchedule{}
	var regions []string
	for _, s := range schedules {
		if _, seen := byRegion[s.Region]; !seen {
			regions = append(regions, s.Region)
		}
		byRegion[s.Region] = append(byRegion[s.Region], s)
	}
	cals := make(Calendars, len(regions))
	for _, region := range regions {
		c, err := NewCalendar(region, byRegion[region]...)
		if err != nil {
			return nil, err
		}
		cals[region] = c
	}
	return cals, nil
}

// EmbeddedCalendars returns the calendars of the embedded schedules
// (holidays/*.json).
func EmbeddedCalendars() (Calendars, error) {
	schedules, err := EmbeddedSchedules()
	if err != nil {
		return nil, err
	}
	return NewCalendars(schedules...)
}

// Calendar returns the calendar of region, or an EINVALID *Error when there
// is none.
func (cs Calendars) Calendar(region string) (*Calendar, error) {
	c, ok := cs[region]
	if !ok || c == nil {
		return nil, Errorf(EINVALID, "no working-day calendar for region %q", region)
	}
	return c, nil
}

// WithOverrides returns a copy of cs with each schedule applied as
// Calendar.WithOverride applies it; a schedule for a region cs lacks starts
// that region's calendar. cs itself is unchanged.
func (cs Calendars) WithOverrides(schedules ...YearSchedule) (Calendars, error) {
	out := make(Calendars, len(cs)+1)
	for region, c := range cs {
		out[region] = c
	}
	for _, s := range schedules {
		var (
			c   *Calendar
			err error
		)
		if cur, ok := out[s.Region]; ok && cur != nil {
			c, err = cur.WithOverride(s)
		} else {
			c, err = NewCalendar(s.Region, s)
		}
		if err != nil {
			return nil, err
		}
		out[s.Region] = c
	}
	return out, nil
}

// NoticeKind is the kind of one entry of a holiday notice as an
// administrator types it: a range of statutory holidays, of moved rest days,
// or of make-up working days.
type NoticeKind string

// The kinds of notice entry.
const (
	NoticeStatutory NoticeKind = "statutory" // 法定节假日
	NoticeRestDay   NoticeKind = "rest_day"  // 调休休息日
	NoticeWorkday   NoticeKind = "workday"   // 调休上班日
)

// NoticeKinds lists the kinds of notice entry in the order a form offers them.
var NoticeKinds = []NoticeKind{NoticeStatutory, NoticeRestDay, NoticeWorkday}

// NoticeEntry is one range of days of one kind, with the holiday it belongs
// to, as typed: the dates are "YYYY-MM-DD" text, To empty meaning one day.
type NoticeEntry struct {
	Kind NoticeKind `json:"kind"`
	Name string     `json:"name"`
	From string     `json:"from"`
	To   string     `json:"to"`
}

// blank reports whether the entry is an empty line of a form.
func (e NoticeEntry) blank() bool {
	return strings.TrimSpace(e.Name) == "" && strings.TrimSpace(e.From) == "" && strings.TrimSpace(e.To) == ""
}

// Notice is a holiday notice as an administrator enters it: the year, the
// notice's title and date, and its entries in any order.
type Notice struct {
	Region  string        `json:"region"`
	Year    int           `json:"year"`
	Source  string        `json:"source"`
	Issued  string        `json:"issued"`
	Entries []NoticeEntry `json:"entries"`
}

// NoticeProblem is one problem of a notice: of entry Entry (its index in
// Notice.Entries, -1 for the notice as a whole) and its Field (kind, name,
// from, to; or region, year, source, issued), by a stable Key with Args
// for translation.
type NoticeProblem struct {
	Entry int      `json:"entry"`
	Field string   `json:"field"`
	Key   string   `json:"key"`
	Args  []string `json:"args,omitempty"`
}

// The keys of notice problems.
const (
	NoticeProblemRequired  = "required"    // the field must be filled in
	NoticeProblemKind      = "kind"        // not a known kind
	NoticeProblemDate      = "date"        // not a date YYYY-MM-DD
	NoticeProblemNotInYear = "not_in_year" // args: the date, the year
	NoticeProblemBackwards = "backwards"   // args: to, from
	NoticeProblemOverlap   = "overlap"     // args: the date, the other entry's holiday
	NoticeProblemWeekday   = "weekday"     // args: the date: a make-up workday on a Monday to Friday
	NoticeProblemStatutory = "statutory"   // args: the count, the count wanted (Order No.795)
	NoticeProblemRegion    = "region"      // not a two-letter region
	NoticeProblemYear      = "year"        // not a year 2000 to 2100
	NoticeProblemOther     = "other"       // args: the schedule's own validation message
	NoticeProblemTooLong   = "too_long"    // args: the most days an entry spans
)

const (
	noticeMaxSpan           = 31   // the most days one entry spans
	noticeStatutoryFromYear = 2025 // Order No.795 in force from 2025-01-01
)

// ScheduleFromNotice turns a notice as entered into the year schedule it
// gives, reporting every problem of every entry in one round. Blank entries
// are skipped. Consecutive holiday entries of the same name make one block
// (the notice's "1月28日至2月4日放假调休"), whose rest-day entries are its
// RestDays; make-up workday entries give one Workday per day. A CN notice
// from 2025 must list exactly the 13 statutory holidays of Order No.795.
func ScheduleFromNotice(n Notice) (YearSchedule, []NoticeProblem) {
	var probs []NoticeProblem
	add := func(entry int, field, key string, args ...string) {
		probs = append(probs, NoticeProblem{Entry: entry, Field: field, Key: key, Args: args})
	}
	n.Region = strings.TrimSpace(n.Region)
	if !regionPattern.MatchString(n.Region) {
		add(-1, "region", NoticeProblemRegion)
	}
	if n.Year < 2000 || n.Year > 2100 {
		add(-1, "year", NoticeProblemYear)
	}
	if strings.TrimSpace(n.Source) == "" {
		add(-1, "source", NoticeProblemRequired)
	}
	var issued Date
	if s := strings.TrimSpace(n.Issued); s != "" {
		d, err := ParseDate(s)
		if err != nil {
			add(-1, "issued", NoticeProblemDate)
		}
		issued = d
	}
	type entry struct {
		i        int
		kind     NoticeKind
		name     string
		from, to Date
	}
	var entries []entry
	taken := map[Date]string{} // day → the holiday of the entry that lists it
	statutory := 0
	for i, e := range n.Entries {
		if e.blank() {
			continue
		}
		ok := true
		if e.Kind != NoticeStatutory && e.Kind != NoticeRestDay && e.Kind != NoticeWorkday {
			add(i, "kind", NoticeProblemKind)
			ok = false
		}
		name := strings.TrimSpace(e.Name)
		if name == "" {
			add(i, "name", NoticeProblemRequired)
		}
		date := func(field, s string) Date {
			s = strings.TrimSpace(s)
			if s == "" {
				add(i, field, NoticeProblemRequired)
				ok = false
				return Date{}
			}
			d, err := ParseDate(s)
			if err != nil {
				add(i, field, NoticeProblemDate)
				ok = false
				return Date{}
			}
			if n.Year >= 2000 && n.Year <= 2100 && d.Year() != n.Year {
				add(i, field, NoticeProblemNotInYear, d.String(), fmt.Sprint(n.Year))
				ok = false
			}
			return d
		}
		from := date("from", e.From)
		to := from
		if strings.TrimSpace(e.To) != "" {
			to = date("to", e.To)
		}
		if !ok {
			continue
		}
		if to.Before(from) {
			add(i, "to", NoticeProblemBackwards, to.String(), from.String())
			continue
		}
		if to.Sub(from) >= noticeMaxSpan {
			add(i, "to", NoticeProblemTooLong, fmt.Sprint(noticeMaxSpan))
			continue
		}
		for d := from; !d.After(to); d = d.AddDays(1) {
			if other, dup := taken[d]; dup {
				add(i, "from", NoticeProblemOverlap, d.String(), other)
				ok = false
				break
			}
			if e.Kind == NoticeWorkday && !isWeekend(d) {
				add(i, "from", NoticeProblemWeekday, d.String())
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		for d := from; !d.After(to); d = d.AddDays(1) {
			taken[d] = name
			if e.Kind == NoticeStatutory {
				statutory++
			}
		}
		entries = append(entries, entry{i: i, kind: e.Kind, name: name, from: from, to: to})
	}
	if len(probs) == 0 && n.Region == RegionCN && n.Year >= noticeStatutoryFromYear && statutory != StatutoryDaysCN {
		add(-1, "entries", NoticeProblemStatutory, fmt.Sprint(statutory), fmt.Sprint(StatutoryDaysCN))
	}
	if len(probs) > 0 {
		return YearSchedule{}, probs
	}
	sort.Slice(entries, func(a, b int) bool { return entries[a].from.Before(entries[b].from) })
	s := YearSchedule{Region: n.Region, Year: n.Year, Source: strings.TrimSpace(n.Source), Issued: issued,
		Holidays: []Holiday{}, Workdays: []Workday{}}
	for _, e := range entries {
		if e.kind == NoticeWorkday {
			for d := e.from; !d.After(e.to); d = d.AddDays(1) {
				s.Workdays = append(s.Workdays, Workday{Date: d, Name: e.name})
			}
			continue
		}
		last := len(s.Holidays) - 1
		if last < 0 || s.Holidays[last].Name != e.name || s.Holidays[last].To.AddDays(1) != e.from {
			s.Holidays = append(s.Holidays, Holiday{Name: e.name, From: e.from, To: e.to})
			last++
		} else {
			s.Holidays[last].To = e.to
		}
		if e.kind == NoticeRestDay {
			s.Holidays[last].RestDays = append(s.Holidays[last].RestDays, DateRange{From: e.from, To: e.to})
		}
	}
	if err := s.Validate(); err != nil {
		return YearSchedule{}, []NoticeProblem{{Entry: -1, Field: "entries", Key: NoticeProblemOther, Args: []string{err.Error()}}}
	}
	return s, nil
}

// NoticeOf returns the schedule as notice entries, by date: each block's
// runs of statutory holidays and of rest days, and each run of consecutive
// make-up workdays of one holiday. ScheduleFromNotice(NoticeOf(s)) gives s
// back, but for the order of its lists.
func NoticeOf(s YearSchedule) Notice {
	n := Notice{Region: s.Region, Year: s.Year, Source: s.Source, Issued: s.Issued.String()}
	type run struct {
		kind     NoticeKind
		name     string
		from, to Date
	}
	var runs []run
	extend := func(kind NoticeKind, name string, d Date) {
		if l := len(runs) - 1; l >= 0 && runs[l].kind == kind && runs[l].name == name && runs[l].to.AddDays(1) == d {
			runs[l].to = d
			return
		}
		runs = append(runs, run{kind: kind, name: name, from: d, to: d})
	}
	days := []CalendarDay{}
	for _, h := range s.Holidays {
		for d := h.From; !d.After(h.To); d = d.AddDays(1) {
			days = append(days, CalendarDay{Date: d, Kind: DayHoliday, Name: h.Name, Holiday: h.KindOf(d)})
		}
	}
	for _, w := range s.Workdays {
		days = append(days, CalendarDay{Date: w.Date, Kind: DayMakeupWorkday, Name: w.Name})
	}
	sort.Slice(days, func(a, b int) bool { return days[a].Date.Before(days[b].Date) })
	for _, d := range days {
		kind := NoticeWorkday
		if d.Kind == DayHoliday {
			kind = NoticeKind(d.Holiday)
		}
		extend(kind, d.Name, d.Date)
	}
	for _, r := range runs {
		n.Entries = append(n.Entries, NoticeEntry{Kind: r.kind, Name: r.name, From: r.from.String(), To: r.to.String()})
	}
	return n
}
