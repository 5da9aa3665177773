// Package demo loads a realistic demo bank into Redress: branches,
// sub-branches and outlets under the head office, users of every role, and
// about three hundred cases walked through their lifecycle.
//
// Everything goes through the service interfaces of package redress, so
// every change carries its real audit event and every rule (roles, scope,
// versions, recusal) is honoured. The data is deterministic: the same seed
// and the same now give the same bank. The matters, names and numbers come
// from package scenario, which the benchmark draws from too.
//
// The files are by noun: people.go the org tree and its users, planner.go
// what each case is and the state it is to end in, handling.go the path
// of a case through the lifecycle, schedule.go when each step happens, and
// loader.go the load itself, which drives the services.
package demo

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"redress"
	"redress/demo/scenario"
)

// Password is the password of every demo user.
const Password = "Demo-2026-pass"

// Marker is the code of an org unit that exists once the demo bank is loaded.
const Marker = "BJ"

// Services are the services the demo loads through.
type Services struct {
	Orgs  redress.OrgService
	Users redress.UserService
	Cases redress.CaseService
	// Sweep sweeps the deadlines as the server's background job does (the
	// store's Sweep with the server's options). Load runs it once at now,
	// after the last step, so that the bank it leaves is the one the
	// server's first sweep finds: the notices and escalations the history
	// calls for are already made, and that sweep has nothing new to do. Nil
	// skips it (the summary then says so).
	Sweep func(ctx context.Context, now time.Time) (*redress.SweepReport, error)
}

// Login is one demo user, as the summary lists it.
type Login struct {
	Login   string
	Name    string
	Role    redress.Role
	Org     string // unit code
	OrgName string
}

// Summary reports what Load created.
type Summary struct {
	Orgs     int                    // org units created
	Users    int                    // users created
	Cases    int                    // cases registered
	ByStatus map[redress.Status]int // cases by final status
	ByLevel  map[int]int            // cases by escalation level
	Overdue  int                    // open cases past their decision deadline at now
	// Swept is what the deadline sweep at now did (nil when Services.Sweep
	// is nil): ByLevel and Overdue count the cases after it.
	Swept    *redress.SweepReport
	OnSpot   int     // cases resolved on the spot
	Reopened int     // cases reopened after closing
	Logins   []Login // the demo users, head office first
	Password string  // the password of every demo user
}

// Load creates the demo bank as admin: the org tree under the head office
// (unit code HQ), its users and its cases. Before each service call it sets
// the store's clock with setClock to the simulated time of that step, all
// within the 100 days before now, and finally to now. The same seed gives
// the same bank.
func Load(ctx context.Context, svc Services, admin *redress.User, setClock func(time.Time), now time.Time, seed int64) (*Summary, error) {
	if admin == nil || admin.Role != redress.RoleAdmin {
		return nil, errors.New("demo: load needs an admin user")
	}
	l := &loader{svc: svc, admin: admin, setClock: setClock, now: now,
		rng: scenario.NewRand(rand.NewPCG(uint64(seed), 1)), orgs: map[string]orgSpec{}}
	defer setClock(now)
	l.setup = Epoch(now)
	if err := l.createOrgs(ctx); err != nil {
		return nil, err
	}
	if err := l.createUsers(ctx); err != nil {
		return nil, err
	}
	l.indexOutlets()
	runs, steps := l.planCases()
	if err := l.execute(ctx, steps); err != nil {
		return nil, err
	}
	swept, err := l.sweep(ctx, runs)
	if err != nil {
		return nil, err
	}
	summary, err := l.summarize(runs)
	if err != nil {
		return nil, err
	}
	summary.Swept = swept
	return summary, nil
}

// Epoch is the simulated time at which the demo bank's history starts, for
// a load at now: 09:00 Beijing time, 100 days before. Load creates the org
// tree and users from then on; a caller that bootstraps an empty database
// just before Load may set the store's clock to it, so that the audit trail
// reads in time order from its first event.
func Epoch(now time.Time) time.Time {
	d := now.In(redress.Beijing).AddDate(0, 0, -100)
	return time.Date(d.Year(), d.Month(), d.Day(), 9, 0, 0, 0, redress.Beijing)
}
