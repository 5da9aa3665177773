package demo

import (
	"context"
	"fmt"
	"sort"
	"time"

	"redress"
	"redress/demo/scenario"
)

// loader holds the state of one load.
type loader struct {
	svc      Services
	admin    *redress.User
	setClock func(time.Time)
	now      time.Time
	rng      *scenario.Rand
	setup    time.Time // the clock while the org tree and users are created
	orgs     map[string]orgSpec
	users    []*redress.User
	outlets  []*outlet
	hq       []*redress.User // head-office service users
}

// tick advances the setup clock by a minute or two and sets the store's clock.
func (l *loader) tick() {
	l.setup = l.setup.Add(time.Duration(60+l.rng.IntN(60)) * time.Second)
	l.setClock(l.setup)
}

// execute runs the steps of every case in time order, so the audit trail
// reads as the bank lived it.
func (l *loader) execute(ctx context.Context, steps []step) error {
	sort.SliceStable(steps, func(i, j int) bool { return steps[i].at.Before(steps[j].at) })
	for _, s := range steps {
		if err := l.do(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

// do performs one step as its actor at its time, passing the version the
// previous step of the case returned.
func (l *loader) do(ctx context.Context, s step) error {
	l.setClock(s.at)
	actx := redress.WithUser(ctx, s.actor)
	var c *redress.Case
	var err error
	action := redress.ActionRegister
	if s.reg != nil {
		c, err = l.svc.Cases.CreateCase(actx, *s.reg)
	} else {
		req := s.req
		action, req.Version = req.Action, s.run.version
		if action == redress.ActionReply || action == redress.ActionResolveOnSpot || req.NoticeMethod != "" {
			req.NoticeAt = s.at
		}
		c, err = l.svc.Cases.Act(actx, s.run.no, req)
	}
	if err != nil {
		return fmt.Errorf("demo: case %d %s: %s by %s: %w", s.run.index, s.run.no, action, s.actor.Login, err)
	}
	s.run.no, s.run.version, s.run.last = c.No, c.Version, c
	return nil
}

// sweep runs the deadline sweep at now, as the server's first sweep would,
// and reads back the cases it escalated, so that the summary counts the
// bank as the server will show it.
func (l *loader) sweep(ctx context.Context, runs []*run) (*redress.SweepReport, error) {
	if l.svc.Sweep == nil {
		return nil, nil
	}
	l.setClock(l.now)
	report, err := l.svc.Sweep(ctx, l.now)
	if err != nil {
		return nil, fmt.Errorf("demo: the deadline sweep at %s: %w", l.now.Format(time.RFC3339), err)
	}
	if report.Escalated == 0 {
		return report, nil
	}
	actx := redress.WithUser(ctx, l.hq[0]) // head office sees every case
	for _, r := range runs {
		if !r.last.Status.Open() {
			continue
		}
		c, err := l.svc.Cases.Case(actx, r.no)
		if err != nil {
			return nil, fmt.Errorf("demo: case %s after the sweep: %w", r.no, err)
		}
		r.last, r.version = c, c.Version
	}
	return report, nil
}

// summarize counts the result and checks every case ended where planned.
func (l *loader) summarize(runs []*run) (*Summary, error) {
	s := &Summary{Orgs: len(orgTree), Users: len(l.users), Cases: len(runs), Password: Password,
		ByStatus: map[redress.Status]int{}, ByLevel: map[int]int{}}
	for _, r := range runs {
		c := *r.last
		if c.Status != r.target {
			return nil, fmt.Errorf("demo: case %s ended %s, planned %s", c.No, c.Status, r.target)
		}
		c.MarkOverdue(l.now)
		s.ByStatus[c.Status]++
		s.ByLevel[c.Level]++
		s.Overdue += btoi(c.Overdue)
		s.OnSpot += btoi(r.onSpot)
		s.Reopened += btoi(r.reopened)
	}
	for _, u := range l.users {
		s.Logins = append(s.Logins, Login{Login: u.Login, Name: u.Name, Role: u.Role, Org: u.OrgCode, OrgName: l.unitName(u.OrgCode)})
	}
	return s, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
