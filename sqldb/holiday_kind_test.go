package sqldb

import (
	"reflect"
	"testing"

	"redress"
)

// TestPolicyMoveOffStatutory_CivilCodeArt203: "期间的最后一日是法定休假日的，
// 以法定休假日结束的次日为期间的最后一日". The petition's handling clock moves
// off every rest day by default; an admin may narrow it to the statutory
// holidays of Order No.795, and the store applies the saved policy.
func TestPolicyMoveOffStatutory_CivilCodeArt203(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	deadlines := NewDeadlineService(f.db)
	due := func(from redress.Date) string {
		t.Helper()
		d, err := deadlines.Due(f.as("staff.bj"), redress.DueQuery{From: from, Policy: redress.PolicyPetition, Clock: redress.ClockHandling})
		if err != nil {
			t.Fatal(err)
		}
		return d.Date.String()
	}
	// 60 days from 2025-08-05 end on 2025-10-04, a rest day moved into 国庆节.
	if got := due(redress.NewDate(2025, 8, 5)); got != "2025-10-09" {
		t.Errorf("default (rest_day): %s, want 2025-10-09", got)
	}
	policies, err := deadlines.Policies(f.as("admin"))
	if err != nil {
		t.Fatal(err)
	}
	petition, _ := redress.FindPolicy(policies, redress.PolicyPetition)
	for i := range petition.Clocks {
		if petition.Clocks[i].MoveOffHoliday {
			petition.Clocks[i].MoveOff = redress.MoveOffStatutory
		}
	}
	if _, err := deadlines.SavePolicy(f.as("admin"), petition); err != nil {
		t.Fatal(err)
	}
	if got := due(redress.NewDate(2025, 8, 5)); got != "2025-10-04" {
		t.Errorf("statutory only, ending on the moved rest day 10-04: %s, want 2025-10-04", got)
	}
	if got := due(redress.NewDate(2025, 8, 4)); got != "2025-10-04" {
		t.Errorf("statutory only, ending on the statutory 10-03: %s, want the day after, 2025-10-04", got)
	}
	bad := petition
	bad.Clocks = append([]redress.Clock(nil), petition.Clocks...)
	bad.Clocks[0].MoveOff = "weekends"
	_, err = deadlines.SavePolicy(f.as("admin"), bad)
	wantCode(t, err, redress.EINVALID)
}

// TestCalendarOverrideKeepsRestDays: an admin's year, saved and read back on
// either engine, keeps which days of a block are statutory.
func TestCalendarOverrideKeepsRestDays(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	deadlines := NewDeadlineService(f.db)
	sched := redress.YearSchedule{Region: redress.RegionCN, Year: 2030, Source: "test",
		Holidays: []redress.Holiday{{Name: "国庆节", From: redress.NewDate(2030, 10, 1), To: redress.NewDate(2030, 10, 7),
			RestDays: []redress.DateRange{{From: redress.NewDate(2030, 10, 4), To: redress.NewDate(2030, 10, 7)}}}},
		Workdays: []redress.Workday{}}
	if _, err := deadlines.SaveSchedule(f.as("admin"), sched); err != nil {
		t.Fatal(err)
	}
	list, err := deadlines.Schedules(f.as("staff.bj"), redress.RegionCN)
	if err != nil {
		t.Fatal(err)
	}
	var got *redress.YearSchedule
	for i := range list {
		if list[i].Year == 2030 {
			got = &list[i].YearSchedule
		}
	}
	if got == nil || !reflect.DeepEqual(got.Holidays, sched.Holidays) {
		t.Fatalf("2030 read back = %+v, want %+v", got, sched.Holidays)
	}
	cals, err := deadlines.Calendars(f.as("staff.bj"))
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := cals.Calendar(redress.RegionCN)
	for d, want := range map[redress.Date]redress.HolidayKind{redress.NewDate(2030, 10, 3): redress.HolidayStatutory, redress.NewDate(2030, 10, 4): redress.HolidayRestDay} {
		if day, err := cal.Day(d); err != nil || day.Holiday != want {
			t.Errorf("%s = %+v %v, want %s", d, day, err, want)
		}
	}
}
