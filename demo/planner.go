package demo

import (
	"time"

	"redress"
	"redress/demo/scenario"
)

// caseCount is how many cases the demo registers.
const caseCount = 300

// statusQuota is how many demo cases end in each status; it sums to caseCount.
var statusQuota = map[redress.Status]int{
	redress.StatusRegistered:    24,
	redress.StatusAccepted:      22,
	redress.StatusInvestigating: 35,
	redress.StatusReplied:       22,
	redress.StatusSignedOff:     20,
	redress.StatusClosed:        135,
	redress.StatusWithdrawn:     24,
	redress.StatusRejected:      18,
}

// run is one demo case while it loads: its plan and what the store answered.
type run struct {
	index    int
	target   redress.Status
	onSpot   bool
	reopened bool
	no       string
	version  int
	last     *redress.Case
}

// step is one service call of the load at its simulated time: the
// registration of a case, or an action on it.
type step struct {
	at    time.Time
	actor *redress.User
	run   *run
	reg   *redress.NewCase
	req   redress.ActionRequest
}

// planCases plans every case; the steps of all cases come back unsorted.
func (l *loader) planCases() ([]*run, []step) {
	targets := l.targets()
	runs := make([]*run, len(targets))
	var steps []step
	for i, target := range targets {
		p := l.newPlanner(i, target)
		p.plan()
		fitBefore(p.steps, p.received, l.now)
		runs[i] = p.r
		steps = append(steps, p.steps...)
	}
	return runs, steps
}

// targets lists the final status of every case, shuffled.
func (l *loader) targets() []redress.Status {
	var list []redress.Status
	for _, s := range redress.Statuses {
		for range statusQuota[s] {
			list = append(list, s)
		}
	}
	l.rng.Shuffle(len(list), func(i, j int) { list[i], list[j] = list[j], list[i] })
	return list
}

// planner plans the steps of one case.
type planner struct {
	l          *loader
	r          *run
	sc         *scenario.Scenario
	o          *outlet
	ch         redress.Channel
	registrar  *redress.User
	respondent *redress.User // the staff member complained about, or nil
	handler    *redress.User
	signer     *redress.User
	liability  redress.Liability
	amount     string // yuan, "1234.50"; "" for none
	received   time.Time
	date       string // a day shortly before receipt, for the texts
	t          time.Time
	steps      []step
}

// newPlanner draws the i-th case: its matter, outlet, channel and people.
// The first cases take one kind, outlet and channel each, so that every
// one occurs.
func (l *loader) newPlanner(i int, target redress.Status) *planner {
	var kind redress.Kind
	if i < len(redress.Kinds) {
		kind = redress.Kinds[i]
	}
	sc := l.rng.Scenario(kind)
	p := &planner{l: l, r: &run{index: i, target: target}, sc: &sc, o: cover(l.rng, i, l.outlets), ch: l.pickChannel(i, &sc)}
	p.registrar = p.chooseRegistrar()
	p.respondent = p.chooseRespondent()
	p.signer = p.o.head
	p.liability = scenario.Pick(l.rng, sc.Liabilities)
	if sc.Amount[1] > 0 {
		p.amount = l.rng.Amount(sc.Amount)
	}
	return p
}

// pickChannel draws the channel of the i-th case.
func (l *loader) pickChannel(i int, sc *scenario.Scenario) redress.Channel {
	if i < len(redress.Channels) {
		return redress.Channels[i]
	}
	return l.rng.Channel(sc)
}

// cover returns list[i] for the first items, so each occurs, then a random one.
func cover[T any](r *scenario.Rand, i int, list []T) T {
	if i < len(list) {
		return list[i]
	}
	return scenario.Pick(r, list)
}

// chooseRegistrar returns the first responder: the sub-branch's complaint
// manager for matters that arrive from outside the outlet, else one of the
// outlet's staff.
func (p *planner) chooseRegistrar() *redress.User {
	if scenario.RegisteredByManager(p.ch) {
		return p.o.manager
	}
	return scenario.Pick(p.l.rng, p.o.staff)
}

// chooseRespondent names a colleague of the registrar when the scenario is
// about a member of staff, and there is one.
func (p *planner) chooseRespondent() *redress.User {
	if !p.sc.AboutStaff {
		return nil
	}
	var others []*redress.User
	for _, s := range p.o.staff {
		if s != p.registrar {
			others = append(others, s)
		}
	}
	if len(others) == 0 {
		return nil
	}
	return scenario.Pick(p.l.rng, others)
}

// plan lays out the case from registration to its target status.
func (p *planner) plan() {
	p.register()
	if p.canResolveOnSpot() && p.l.rng.Chance(0.4) {
		p.resolveOnSpot()
		return
	}
	p.handle()
}

// register plans the registration of the case.
func (p *planner) register() {
	p.received = p.l.receivedAt(p.r.target, p.ch)
	p.date = p.l.rng.DayBefore(p.received)
	n := p.newCase()
	p.t = p.l.after(p.received, registerGap(p.ch))
	p.steps = append(p.steps, step{at: p.t, actor: p.registrar, run: p.r, reg: &n})
}

// act plans one action after a gap from the previous step.
func (p *planner) act(actor *redress.User, g gap, req redress.ActionRequest) {
	p.t = p.l.after(p.t, g)
	p.steps = append(p.steps, step{at: p.t, actor: actor, run: p.r, req: req})
}

// newCase is the registration of the case.
func (p *planner) newCase() redress.NewCase {
	respondent := ""
	if p.respondent != nil {
		respondent = p.respondent.Login
	}
	return p.l.rng.NewCase(scenario.Intake{Scenario: p.sc, Channel: p.ch, ReceivedAt: p.received, Org: p.o.code,
		Home: scenario.Local(p.o.city), Description: p.sc.Told(p.ch), Particulars: p.particulars(), Respondent: respondent})
}

// particulars fill the texts of the case.
func (p *planner) particulars() scenario.Particulars {
	f := scenario.Particulars{Outlet: p.o.name, Date: p.date, Amount: p.amount}
	if p.respondent != nil {
		f.Staff = p.respondent.Name
	}
	return f
}
