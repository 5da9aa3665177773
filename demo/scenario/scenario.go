// Package scenario is the made-up Chinese bank that the demo (package demo)
// and the benchmark (cmd/bench) fill Redress with: the matters customers
// bring and the texts of their handling, names and places, and resident ID,
// bank card and unified social credit code numbers with valid check
// characters. It draws everything from one seeded random stream (Rand), so
// the same seed gives the same data.
//
// The benchmark keeps its generated datasets for as long as its generator
// version holds: a change here that changes what it draws changes its
// datasets, and cmd/bench's pinned fingerprint test says so.
package scenario

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"redress"
)

// Rand is the random stream the data is drawn from.
type Rand struct{ *rand.Rand }

// NewRand returns a Rand drawing from src.
func NewRand(src rand.Source) *Rand { return &Rand{rand.New(src)} }

// Chance reports true with probability p.
func (r *Rand) Chance(p float64) bool { return r.Float64() < p }

// Between returns a number from lo to hi, both included.
func (r *Rand) Between(lo, hi int) int { return lo + r.IntN(hi-lo+1) }

// Pick returns an element of list.
func Pick[T any](r *Rand, list []T) T { return list[r.IntN(len(list))] }

// Scenario draws a scenario of kind, or of any kind when kind is "";
// complaints are five times as likely as each other matter.
func (r *Rand) Scenario(kind redress.Kind) Scenario {
	weight := func(sc *Scenario) int {
		switch {
		case kind != "" && sc.Kind != kind:
			return 0
		case sc.Kind == redress.KindComplaint:
			return 5
		}
		return 2
	}
	total := 0
	for i := range scenarios {
		total += weight(&scenarios[i])
	}
	n := r.IntN(total)
	for i := range scenarios {
		if n -= weight(&scenarios[i]); n < 0 {
			return scenarios[i]
		}
	}
	return scenarios[0]
}

// Cycle returns the scenarios in turn: the i-th, modulo their number.
func Cycle(i int) Scenario { return scenarios[i%len(scenarios)] }

// Channel draws the channel a matter of sc arrives by: mostly one it
// usually arrives by, now and then any.
func (r *Rand) Channel(sc *Scenario) redress.Channel {
	if r.Chance(0.8) {
		return Pick(r, sc.Channels)
	}
	return Pick(r, redress.Channels)
}

// RegisteredByManager reports whether a matter arriving by ch reaches the
// sub-branch's complaint manager first, who registers it, rather than the
// staff of an outlet: the hotline's and the regulator's referrals, e-mail
// and online posts.
func RegisteredByManager(ch redress.Channel) bool {
	switch ch {
	case redress.ChannelHotline, redress.ChannelRegulator, redress.ChannelEmail, redress.ChannelOnlinePost:
		return true
	}
	return false
}

// Amount draws a yuan amount in the range, now and then with fen: "1234.50".
func (r *Rand) Amount(yuan [2]int) string {
	fen := 0
	if r.Chance(0.3) {
		fen = r.IntN(100)
	}
	return fmt.Sprintf("%d.%02d", r.Between(yuan[0], yuan[1]), fen)
}

// DayBefore draws the day, up to three days before a matter was received,
// on which the texts say it happened, as they name it: "11月20日".
func (r *Rand) DayBefore(received time.Time) string {
	d := received.AddDate(0, 0, -r.IntN(4)).In(redress.Beijing)
	return fmt.Sprintf("%d月%d日", d.Month(), d.Day())
}

// Particulars are what the placeholders of a scenario's texts stand for.
type Particulars struct {
	Outlet string // {outlet}: the outlet's name
	Date   string // {date}: see DayBefore
	Amount string // {amount}: the amount involved, yuan ("1200.00" reads 1200)
	Staff  string // {staff}: the name of the staff member complained about
}

// Fill puts the particulars into a text.
func (p Particulars) Fill(text string) string {
	return strings.NewReplacer("{outlet}", p.Outlet, "{date}", p.Date,
		"{amount}", strings.TrimSuffix(p.Amount, ".00"), "{staff}", p.Staff).Replace(text)
}

// Fit returns what moves the times of a case's steps, from its first at
// from to its last at last, into the time between from and limit, keeping
// their proportions, when the last would come after limit; otherwise it
// leaves them as they are.
func Fit(from, last, limit time.Time) func(time.Time) time.Time {
	if !last.After(limit) || !from.Before(limit) {
		return func(t time.Time) time.Time { return t }
	}
	span, room := float64(last.Sub(from)), float64(limit.Sub(from))
	return func(t time.Time) time.Time {
		return from.Add(time.Duration(float64(t.Sub(from)) * room / span))
	}
}
