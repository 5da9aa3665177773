package redress

import (
	"reflect"
	"strings"
	"testing"
)

// TestStatutoryHolidays_Order795Art2 checks the kind of every day of every
// block of the 2025 and 2026 notices against the Order's list of statutory
// holidays (全国年节及纪念日放假办法 Art.2 as amended by State Council Order
// No.795: 元旦 1 day, 春节 4 (除夕 and 初一 to 初三), 清明节 1, 劳动节 2, 端午节 1,
// 中秋节 1, 国庆节 3) and the notices' text (国办发明电〔2024〕12号 for 2025; the
// 2026 notice of 2025-11-04): every other day of a block is a rest day moved
// into it (调休休息日), and the make-up working days are the notices' "上班".
func TestStatutoryHolidays_Order795Art2(t *testing.T) {
	t.Parallel()
	cal, err := calEmbedded(t).Calendar(RegionCN)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		notice    string   // the notice's item
		from, to  string   // the block
		statutory []string // the days of the Order in the block
		workdays  []string // 上班
	}{
		// 2025: 国办发明电〔2024〕12号
		{"元旦：1月1日（周三）放假1天，不调休。", "2025-01-01", "2025-01-01", []string{"2025-01-01"}, nil},
		{"春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。",
			"2025-01-28", "2025-02-04", []string{"2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31"}, []string{"2025-01-26", "2025-02-08"}},
		{"清明节：4月4日（周五）至6日（周日）放假，共3天。", "2025-04-04", "2025-04-06", []string{"2025-04-04"}, nil},
		{"劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。",
			"2025-05-01", "2025-05-05", []string{"2025-05-01", "2025-05-02"}, []string{"2025-04-27"}},
		{"端午节：5月31日（周六）至6月2日（周一）放假，共3天。", "2025-05-31", "2025-06-02", []string{"2025-05-31"}, nil},
		{"国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。",
			"2025-10-01", "2025-10-08", []string{"2025-10-01", "2025-10-02", "2025-10-03", "2025-10-06"}, []string{"2025-09-28", "2025-10-11"}},
		// 2026
		{"元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。",
			"2026-01-01", "2026-01-03", []string{"2026-01-01"}, []string{"2026-01-04"}},
		{"春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。",
			"2026-02-15", "2026-02-23", []string{"2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19"}, []string{"2026-02-14", "2026-02-28"}},
		{"清明节：4月4日（周六）至6日（周一）放假，共3天。", "2026-04-04", "2026-04-06", []string{"2026-04-05"}, nil},
		{"劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。",
			"2026-05-01", "2026-05-05", []string{"2026-05-01", "2026-05-02"}, []string{"2026-05-09"}},
		{"端午节：6月19日（周五）至21日（周日）放假，共3天。", "2026-06-19", "2026-06-21", []string{"2026-06-19"}, nil},
		{"中秋节：9月25日（周五）至27日（周日）放假，共3天。", "2026-09-25", "2026-09-27", []string{"2026-09-25"}, nil},
		{"国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。",
			"2026-10-01", "2026-10-07", []string{"2026-10-01", "2026-10-02", "2026-10-03"}, []string{"2026-09-20", "2026-10-10"}},
	}
	perYear := map[int]int{}
	for _, tt := range tests {
		statutory := map[Date]bool{}
		for _, s := range tt.statutory {
			statutory[calDate(s)] = true
		}
		for d := calDate(tt.from); !d.After(calDate(tt.to)); d = d.AddDays(1) {
			day, err := cal.Day(d)
			if err != nil {
				t.Fatal(err)
			}
			want := HolidayRestDay
			if statutory[d] {
				want = HolidayStatutory
				perYear[d.Year()]++
			}
			if day.Kind != DayHoliday || day.Holiday != want || day.Statutory() != statutory[d] {
				t.Errorf("%s: %s = %s/%s, want holiday/%s", tt.notice, d, day.Kind, day.Holiday, want)
			}
		}
		for _, s := range tt.workdays {
			if day, _ := cal.Day(calDate(s)); day.Kind != DayMakeupWorkday || day.Holiday != "" {
				t.Errorf("%s: %s = %s/%s, want a make-up workday", tt.notice, s, day.Kind, day.Holiday)
			}
		}
	}
	for _, year := range []int{2025, 2026} {
		s, err := cal.Schedule(year)
		if err != nil {
			t.Fatal(err)
		}
		if perYear[year] != StatutoryDaysCN || s.StatutoryDays() != StatutoryDaysCN {
			t.Errorf("%d: %d statutory days in the table, %d in the data, want %d (Order No.795)", year, perYear[year], s.StatutoryDays(), StatutoryDaysCN)
		}
	}
	// A weekend outside any block is neither kind.
	if day, _ := cal.Day(calDate("2025-10-12")); day.Kind != DayWeekend || day.Holiday != "" || day.Statutory() {
		t.Errorf("2025-10-12 = %+v, want a plain weekend", day)
	}
}

func TestScheduleValidateRestDays(t *testing.T) {
	t.Parallel()
	base := func(rest ...DateRange) YearSchedule {
		return YearSchedule{Region: RegionCN, Year: 2027, Source: "notice",
			Holidays: []Holiday{{Name: "国庆节", From: calDate("2027-10-01"), To: calDate("2027-10-07"), RestDays: rest}}}
	}
	r := func(from, to string) DateRange { return DateRange{From: calDate(from), To: calDate(to)} }
	tests := []struct {
		name  string
		s     YearSchedule
		field string // "" for valid
	}{
		{"inside", base(r("2027-10-04", "2027-10-07")), ""},
		{"outside the block", base(r("2027-10-06", "2027-10-08")), "holidays[0].rest_days[0]"},
		{"backwards", base(r("2027-10-05", "2027-10-04")), "holidays[0].rest_days[0].to"},
		{"twice", base(r("2027-10-04", "2027-10-05"), r("2027-10-05", "2027-10-06")), "holidays[0].rest_days[1]"},
		{"missing date", base(DateRange{From: calDate("2027-10-04")}), "holidays[0].rest_days[0]"},
	}
	for _, tt := range tests {
		err := tt.s.Validate()
		if tt.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if _, ok := ErrorFields(err)[tt.field]; !ok {
			t.Errorf("%s: error %v fields %v, want %s", tt.name, err, ErrorFields(err), tt.field)
		}
	}
}

// TestClockMoveOff_CivilCodeArt203 checks both readings of "期间的最后一日是
// 法定休假日的，以法定休假日结束的次日为期间的最后一日" on the 2025 National Day
// block (10-01..10-03 and 10-06 statutory, 10-04, 10-05, 10-07, 10-08 moved
// rest days, 10-11 a make-up workday).
func TestClockMoveOff_CivilCodeArt203(t *testing.T) {
	t.Parallel()
	cals := calEmbedded(t)
	clock := func(days int, scope MoveOff) Clock {
		return Clock{Name: "test", Days: days, Unit: UnitCalendar, Region: RegionCN, MoveOffHoliday: true, MoveOff: scope}
	}
	tests := []struct {
		name    string
		clock   Clock
		start   string
		want    string
		warning string // a part of the warning, "" when not moved
	}{
		{"ends on 2025-10-04, a moved rest day: rest_day moves to the next working day", clock(30, MoveOffRestDay), "2025-09-04", "2025-10-09", "调休休息日"},
		{"ends on 2025-10-04, a moved rest day: empty scope is rest_day", clock(30, ""), "2025-09-04", "2025-10-09", "next working day"},
		{"ends on 2025-10-04, a moved rest day: statutory does not move", clock(30, MoveOffStatutory), "2025-09-04", "2025-10-04", ""},
		{"ends on 2025-10-03, statutory: rest_day moves to the next working day", clock(30, MoveOffRestDay), "2025-09-03", "2025-10-09", "public holiday"},
		{"ends on 2025-10-03, statutory: statutory moves to the day after it", clock(30, MoveOffStatutory), "2025-09-03", "2025-10-04", "day after the statutory holiday"},
		{"ends on 2025-10-06 (中秋节), statutory: moves to 10-07", clock(15, MoveOffStatutory), "2025-09-21", "2025-10-07", "public holiday"},
		{"ends on a plain Sunday: statutory does not move", clock(15, MoveOffStatutory), "2025-10-04", "2025-10-19", ""},
		{"ends on a plain Sunday: rest_day moves to Monday", clock(15, MoveOffRestDay), "2025-10-04", "2025-10-20", "weekend"},
		{"ends on 2025-01-28 (除夕), statutory: moves past 初三 to 02-01", clock(15, MoveOffStatutory), "2025-01-13", "2025-02-01", "春节"},
		{"ends on 2026-02-15, a moved rest day before 除夕: statutory does not move", clock(15, MoveOffStatutory), "2026-01-31", "2026-02-15", ""},
		{"ends on a make-up workday 2025-10-11: no move", clock(10, MoveOffRestDay), "2025-10-01", "2025-10-11", ""},
	}
	for _, tt := range tests {
		due, err := tt.clock.Due(cals, calDate(tt.start))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if due.Date.String() != tt.want || due.Moved != (tt.warning != "") || !strings.Contains(due.Warning, tt.warning) {
			t.Errorf("%s: due %+v, want %s (warning %q)", tt.name, due, tt.want, tt.warning)
		}
	}
	// The working-day arithmetic does not depend on the kinds: 5 working
	// days from 2025-09-30 are 10-09, 10-10, 10-11 (make-up), 10-13, 10-14.
	if due, err := (Clock{Name: "w", Days: 5, Unit: UnitWorking, Region: RegionCN}).Due(cals, calDate("2025-09-30")); err != nil || due.Date.String() != "2025-10-14" {
		t.Errorf("5 working days from 2025-09-30 = %v, %v; want 2025-10-14", due, err)
	}
}

func TestClockMoveOffValidate(t *testing.T) {
	t.Parallel()
	bad := Clock{Name: "a", Days: 1, Unit: UnitCalendar, Region: RegionCN, MoveOffHoliday: true, MoveOff: "weekends"}
	if _, ok := ErrorFields(bad.Validate())["move_off"]; !ok {
		t.Errorf("%+v: want a move_off problem, got %v", bad, bad.Validate())
	}
	// A scope on a clock that does not move is kept and ignored, so that an
	// admin may switch moving off without deleting it.
	still := Clock{Name: "b", Days: 15, Unit: UnitCalendar, Region: RegionCN, MoveOff: MoveOffStatutory}
	if due, err := still.Due(calEmbedded(t), calDate("2025-09-18")); err != nil || due.Moved || due.Date.String() != "2025-10-03" {
		t.Errorf("%+v: %+v %v, want 2025-10-03 unmoved", still, due, err)
	}
	for _, p := range DefaultPolicies() {
		for _, c := range p.Clocks {
			if c.MoveOffHoliday && c.MoveOff != MoveOffRestDay {
				t.Errorf("%s.%s moves off %q, want rest_day (民法典 Art.203, 法定休假日)", p.Name, c.Name, c.MoveOff)
			}
		}
	}
}

func TestNoticeRoundTrip(t *testing.T) {
	t.Parallel()
	schedules, err := EmbeddedSchedules()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range schedules {
		got, probs := ScheduleFromNotice(NoticeOf(s))
		if len(probs) > 0 {
			t.Fatalf("%s %d: %+v", s.Region, s.Year, probs)
		}
		if !reflect.DeepEqual(got, s) {
			t.Errorf("%s %d round trip:\n got %+v\nwant %+v", s.Region, s.Year, got, s)
		}
	}
}

// TestScheduleFromNotice_Order795Art2 enters the 2025 National Day block as
// an admin types it, and a notice with every kind of mistake at once.
func TestScheduleFromNotice_Order795Art2(t *testing.T) {
	t.Parallel()
	cn2025, err := calEmbedded(t).Calendar(RegionCN)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := cn2025.Schedule(2025)
	n := NoticeOf(want)
	// Shuffle the order and spell one-day entries without "to".
	n.Entries[0], n.Entries[len(n.Entries)-1] = n.Entries[len(n.Entries)-1], n.Entries[0]
	for i := range n.Entries {
		if n.Entries[i].From == n.Entries[i].To {
			n.Entries[i].To = ""
		}
	}
	n.Entries = append(n.Entries, NoticeEntry{}) // a blank line of the form
	got, probs := ScheduleFromNotice(n)
	if len(probs) > 0 || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v %+v, want %+v", got, probs, want)
	}

	bad := Notice{Region: RegionCN, Year: 2027, Source: " ", Issued: "2026-13-01", Entries: []NoticeEntry{
		{Kind: NoticeStatutory, Name: "元旦", From: "2027-01-01"},                    // 0: fine
		{Kind: "holiday", Name: "春节", From: "2027-02-05", To: "2027-02-08"},        // 1: kind
		{Kind: NoticeRestDay, Name: "", From: "2027-02-09", To: "2027-02-11"},      // 2: name
		{Kind: NoticeStatutory, Name: "清明节", From: "2027-04-31"},                   // 3: date
		{Kind: NoticeStatutory, Name: "劳动节", From: "2026-05-01"},                   // 4: not in year
		{Kind: NoticeRestDay, Name: "劳动节", From: "2027-05-05", To: "2027-05-03"},   // 5: backwards
		{Kind: NoticeRestDay, Name: "国庆节", From: "2027-01-01"},                     // 6: overlap with 0
		{Kind: NoticeWorkday, Name: "国庆节", From: "2027-09-29"},                     // 7: a Wednesday
		{Kind: NoticeStatutory, Name: "端午节", From: "2027-06-09", To: "2027-08-30"}, // 8: too long
		{Kind: NoticeStatutory, Name: "中秋节", To: "2027-09-15"},                     // 9: from required
	}}
	_, probs = ScheduleFromNotice(bad)
	type at struct {
		entry int
		field string
	}
	gotKeys := map[at]string{}
	for _, p := range probs {
		gotKeys[at{p.Entry, p.Field}] = p.Key
	}
	wantKeys := map[at]string{
		{-1, "source"}: NoticeProblemRequired, {-1, "issued"}: NoticeProblemDate,
		{1, "kind"}: NoticeProblemKind, {2, "name"}: NoticeProblemRequired, {3, "from"}: NoticeProblemDate,
		{4, "from"}: NoticeProblemNotInYear, {5, "to"}: NoticeProblemBackwards, {6, "from"}: NoticeProblemOverlap,
		{7, "from"}: NoticeProblemWeekday, {8, "to"}: NoticeProblemTooLong, {9, "from"}: NoticeProblemRequired,
	}
	if !reflect.DeepEqual(gotKeys, wantKeys) {
		t.Errorf("problems = %v\nwant %v", gotKeys, wantKeys)
	}

	// A CN notice from 2025 lists the 13 statutory holidays of Order No.795.
	short := Notice{Region: RegionCN, Year: 2027, Source: "notice", Entries: []NoticeEntry{{Kind: NoticeStatutory, Name: "元旦", From: "2027-01-01"}}}
	if _, probs := ScheduleFromNotice(short); len(probs) != 1 || probs[0].Key != NoticeProblemStatutory || probs[0].Args[0] != "1" {
		t.Errorf("a CN 2027 notice with 1 statutory day: %+v, want the statutory count problem", probs)
	}
	short.Region = RegionGB
	if s, probs := ScheduleFromNotice(short); len(probs) != 0 || len(s.Holidays) != 1 {
		t.Errorf("a GB notice: %+v %+v, want no count rule", s, probs)
	}
}
