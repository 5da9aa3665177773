package main

import (
	"iter"
	"math/rand/v2"
	"sort"
	"time"

	"redress"
	"redress/demo/scenario"
	"redress/sqldb"
)

// generatorVersion names the dataset the generator makes; change it when
// the generator or the scenario data it draws from (demo/scenario)
// changes, so that kept datasets are made again (pin_test.go notices).
const generatorVersion = 3

// The dataset's timeline: cases received from datasetStart up to
// datasetEnd (exclusive), Beijing time. Fixed, so that the same size and
// seed give the same dataset whenever they are generated; both years have
// holiday calendars. The statistics query asks for the last full month.
var (
	datasetStart = time.Date(2025, 1, 1, 0, 0, 0, 0, redress.Beijing)
	datasetEnd   = time.Date(2026, 11, 1, 0, 0, 0, 0, redress.Beijing)
	statsFrom    = "2026-10-01"
	statsTo      = "2026-10-31"
	quarterFrom  = "2026-07-01" // the last full quarter of the dataset
	quarterTo    = "2026-09-30"
	quarterName  = "2026-Q3" // the same quarter, as the regulator's forms name it
)

// generator makes the dataset: deterministic for a size and a seed.
type generator struct {
	rng  *scenario.Rand
	size int
	bank *bank
	home scenario.Region // where the complainants come from
}

func newGenerator(size int, seed uint64) *generator {
	g := &generator{rng: scenario.NewRand(rand.NewPCG(seed, uint64(size))), size: size, home: scenario.Nationwide()}
	g.bank = g.makeBank()
	return g
}

// cases yields the dataset's cases day by day, each day's in order of
// registration, spread evenly over the timeline.
func (g *generator) cases() iter.Seq[*sqldb.BulkCase] {
	days := int(datasetEnd.Sub(datasetStart) / (24 * time.Hour))
	return func(yield func(*sqldb.BulkCase) bool) {
		for d := range days {
			day := datasetStart.AddDate(0, 0, d)
			k := (d+1)*g.size/days - d*g.size/days
			batch := make([]*sqldb.BulkCase, k)
			for i := range batch {
				batch[i] = g.historicCase(day)
			}
			sort.SliceStable(batch, func(i, j int) bool { return batch[i].RegisteredAt.Before(batch[j].RegisteredAt) })
			for _, c := range batch {
				if !yield(c) {
					return
				}
			}
		}
	}
}

// registration is one case as registered: the outlet, the people and the
// registration itself.
type registration struct {
	sc         *scenario.Scenario
	o          *outlet
	registrar  string
	respondent string // login of the staff member complained about, or ""
	staffName  string // the respondent's name
	n          redress.NewCase
}

// register draws a registration received at received. With o and
// registrar set (intake over the API) it uses them.
func (g *generator) register(received time.Time, o *outlet, registrar string) *registration {
	sc := g.rng.Scenario("")
	r := &registration{sc: &sc, o: o, registrar: registrar}
	ch := g.rng.Channel(r.sc)
	if r.o == nil {
		r.o = scenario.Pick(g.rng, g.bank.outlets)
		r.registrar = scenario.Pick(g.rng, r.o.staff)
		if scenario.RegisteredByManager(ch) {
			r.registrar = r.o.sub.manager
		}
	}
	if r.sc.AboutStaff && g.rng.Chance(0.7) {
		i := g.rng.IntN(len(r.o.staff))
		if r.o.staff[i] != r.registrar {
			r.respondent, r.staffName = r.o.staff[i], r.o.staffNames[i]
		}
	}
	facts := scenario.Particulars{Outlet: r.o.name, Staff: r.staffName}
	if r.sc.Amount[1] > 0 {
		facts.Amount = g.rng.Amount(r.sc.Amount)
	}
	facts.Date = g.rng.DayBefore(received)
	description := r.sc.Told(ch)
	if g.rng.Chance(0.6) {
		description += g.rng.Text(scenario.Supplements)
	}
	r.n = g.rng.NewCase(scenario.Intake{Scenario: r.sc, Channel: ch, ReceivedAt: received, Org: r.o.code, Home: g.home,
		Description: description, Particulars: facts, Respondent: r.respondent})
	return r
}

// historicCase draws a case received on day and walks it, on paper, to a
// status that fits its age at the end of the timeline.
func (g *generator) historicCase(day time.Time) *sqldb.BulkCase {
	from, to := 8, 21
	received := day.Add(time.Duration(from*60+g.rng.IntN((to-from)*60))*time.Minute + time.Duration(g.rng.IntN(60))*time.Second)
	r := g.register(received, nil, "")
	registered := received.Add(time.Duration(3+g.rng.IntN(40)) * time.Minute)
	switch r.n.Channel {
	case redress.ChannelLetter, redress.ChannelOpinionBook, redress.ChannelEmail, redress.ChannelOnlinePost, redress.ChannelRegulator:
		registered = received.Add(time.Duration(60+g.rng.IntN(300)) * time.Minute)
	}
	age := int(datasetEnd.Sub(received).Hours() / 24)
	w := &walk{g: g, r: r, c: &sqldb.BulkCase{NewCase: r.n, FirstResponder: r.registrar, RegisteredAt: registered,
		Status: redress.StatusRegistered, Version: 1, Level: 1}, t: registered}
	w.to(g.status(age))
	w.fit(registered, datasetEnd.Add(-time.Minute))
	return w.c
}

// status draws where a case received age days before the end of the
// timeline stands now: recent ones are open, older ones mostly closed.
func (g *generator) status(age int) redress.Status {
	type share struct {
		s redress.Status
		p float64
	}
	var table []share
	switch {
	case age < 3:
		table = []share{{redress.StatusRegistered, 0.40}, {redress.StatusAccepted, 0.25}, {redress.StatusInvestigating, 0.20},
			{redress.StatusReplied, 0.05}, {redress.StatusWithdrawn, 0.05}, {redress.StatusRejected, 0.05}}
	case age < 15:
		table = []share{{redress.StatusRegistered, 0.02}, {redress.StatusAccepted, 0.08}, {redress.StatusInvestigating, 0.35},
			{redress.StatusReplied, 0.20}, {redress.StatusSignedOff, 0.15}, {redress.StatusClosed, 0.10},
			{redress.StatusWithdrawn, 0.05}, {redress.StatusRejected, 0.05}}
	case age < 60:
		table = []share{{redress.StatusInvestigating, 0.03}, {redress.StatusReplied, 0.02}, {redress.StatusSignedOff, 0.05},
			{redress.StatusClosed, 0.80}, {redress.StatusWithdrawn, 0.06}, {redress.StatusRejected, 0.04}}
	default:
		table = []share{{redress.StatusRegistered, 0.0005}, {redress.StatusAccepted, 0.0005}, {redress.StatusInvestigating, 0.002},
			{redress.StatusReplied, 0.001}, {redress.StatusSignedOff, 0.001}, {redress.StatusClosed, 0.885},
			{redress.StatusWithdrawn, 0.07}, {redress.StatusRejected, 0.04}}
	}
	x := g.rng.Float64()
	for _, s := range table {
		if x -= s.p; x < 0 {
			return s.s
		}
	}
	return table[len(table)-1].s
}
