package demo

import (
	"time"

	"redress"
	"redress/demo/scenario"
)

// gap is the time between two steps of a case; office gaps end within
// office hours.
type gap struct {
	lo, hi time.Duration
	office bool
}

// The gaps: minutes, hours, the next day and a few days.
var (
	quick   = gap{3 * time.Minute, 25 * time.Minute, false}
	hours   = gap{time.Hour, 6 * time.Hour, true}
	nextDay = gap{16 * time.Hour, 40 * time.Hour, true}
	days    = gap{24 * time.Hour, 96 * time.Hour, true}
)

// registerGap is the time from receipt to registration: at once for a
// customer in front of the staff or on the phone, later for the rest.
func registerGap(ch redress.Channel) gap {
	switch ch {
	case redress.ChannelCounter, redress.ChannelVisit, redress.ChannelSelfService, redress.ChannelPhone, redress.ChannelHotline:
		return quick
	}
	return hours
}

// after returns a time a gap after t.
func (l *loader) after(t time.Time, g gap) time.Time {
	t = t.Add(g.lo + time.Duration(l.rng.Int64N(int64(g.hi-g.lo)))).Truncate(time.Second)
	if g.office {
		t = l.officeHours(t)
	}
	return t
}

// officeHours moves a time outside 08:30-18:00 Beijing time to the start of
// the next working period.
func (l *loader) officeHours(t time.Time) time.Time {
	// Always draw, so the random stream does not depend on the time of day.
	jitter := time.Duration(l.rng.IntN(120)) * time.Minute
	b := t.In(redress.Beijing)
	open := time.Date(b.Year(), b.Month(), b.Day(), 8, 30, 0, 0, redress.Beijing)
	switch {
	case b.Before(open):
	case b.Hour() >= 18:
		open = open.AddDate(0, 0, 1)
	default:
		return t
	}
	return open.Add(jitter)
}

// receivedAt draws the receipt time: recent for open cases (a quarter of
// them older than the 15-day deadline), older for finished ones, within the
// channel's hours and at least two hours before now (a day earlier if need be).
func (l *loader) receivedAt(target redress.Status, ch redress.Channel) time.Time {
	lo, hi := ageRange(target, l.rng.Chance(0.25))
	day := l.now.In(redress.Beijing).AddDate(0, 0, -l.rng.Between(lo, hi))
	from, to := receptionHours(ch)
	minute := l.rng.Between(from*60, to*60-1)
	t := time.Date(day.Year(), day.Month(), day.Day(), 0, minute, l.rng.IntN(60), 0, redress.Beijing)
	for latest := l.now.Add(-2 * time.Hour); t.After(latest); {
		t = t.AddDate(0, 0, -1)
	}
	return t
}

// ageRange is the range of days before now a case of the target status
// was received; late picks an overdue age for an open case.
func ageRange(target redress.Status, late bool) (int, int) {
	switch target {
	case redress.StatusRegistered, redress.StatusAccepted, redress.StatusInvestigating:
		if late {
			return 16, 45
		}
		if target == redress.StatusRegistered {
			return 0, 3
		}
		return 1, 12
	case redress.StatusReplied:
		return 5, 40
	case redress.StatusSignedOff:
		return 8, 60
	case redress.StatusClosed:
		return 14, 89
	}
	return 2, 89
}

// receptionHours is when, in Beijing hours, a channel receives matters.
func receptionHours(ch redress.Channel) (int, int) {
	switch ch {
	case redress.ChannelCounter, redress.ChannelVisit, redress.ChannelOpinionBook, redress.ChannelSelfService,
		redress.ChannelLetter, redress.ChannelRegulator:
		return 9, 17
	case redress.ChannelPhone, redress.ChannelHotline:
		return 8, 21
	}
	return 7, 24
}

// fitBefore squeezes the steps of a case that would end after now into the
// time between its receipt and now, keeping their proportions.
func fitBefore(steps []step, received, now time.Time) {
	move := scenario.Fit(received, steps[len(steps)-1].at, now.Add(-time.Minute))
	for i := range steps {
		steps[i].at = move(steps[i].at)
	}
}
