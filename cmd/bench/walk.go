package main

import (
	"time"

	"redress"
	"redress/demo/scenario"
	"redress/sqldb"
)

// walk plays a case's handling forward, step by step, to its status.
type walk struct {
	g         *generator
	r         *registration
	c         *sqldb.BulkCase
	t         time.Time    // time of the last step
	times     []*time.Time // every step time, to squeeze them before the end of the timeline
	onSpot    bool
	signer    string
	liability redress.Liability
}

// step moves the clock by lo to hi and records the action.
func (w *walk) step(lo, hi time.Duration) *time.Time {
	w.t = w.t.Add(lo + time.Duration(w.g.rng.Int64N(int64(hi-lo))))
	at := w.t
	w.times = append(w.times, &at)
	w.c.Version++
	w.c.UpdatedAt = at
	return &at
}

func (w *walk) to(target redress.Status) {
	g, c, sc := w.g, w.c, w.r.sc
	w.signer = w.r.o.sub.head
	w.liability = scenario.Pick(g.rng, sc.Liabilities)
	if target == redress.StatusRegistered {
		return
	}
	open := target == redress.StatusAccepted || target == redress.StatusInvestigating
	if !open && target != redress.StatusWithdrawn && target != redress.StatusRejected &&
		sc.OnSpot && w.r.registrar != w.r.o.sub.manager && g.rng.Chance(0.4) {
		w.resolveOnSpot(target)
		return
	}
	if target == redress.StatusWithdrawn && g.rng.Chance(0.4) {
		w.end(target)
		return
	}
	w.accept()
	if target == redress.StatusRejected || target == redress.StatusAccepted {
		if target == redress.StatusRejected {
			w.end(target)
		}
		return
	}
	w.escalate()
	w.finding(w.handling().Particulars.Fill(sc.Finding))
	if target == redress.StatusWithdrawn {
		w.end(target)
		return
	}
	if g.rng.Chance(0.35) {
		w.finding(g.rng.Text(scenario.MoreFindings))
	}
	if target == redress.StatusInvestigating && g.rng.Chance(0.5) {
		return
	}
	w.step(24*time.Hour, 96*time.Hour)
	d := g.rng.Determination(w.handling())
	c.Status, c.Determination = redress.StatusInvestigating, &d
	if target == redress.StatusInvestigating {
		return
	}
	w.reply(g.rng.NoticeMethod(c.Channel))
	w.finish(target, c.Handler)
}

func (w *walk) accept() {
	w.step(time.Hour, 6*time.Hour)
	w.c.Status, w.c.Handler, w.c.Level = redress.StatusAccepted, w.r.o.sub.manager, 2
}

// escalate takes a few cases to the branch head (level 3, handled by the
// branch's complaint manager) or on to head office (level 4).
func (w *walk) escalate() {
	level := w.g.rng.EscalationLevel()
	if level < 3 {
		return
	}
	w.step(16*time.Hour, 40*time.Hour)
	w.c.Level, w.c.Handler = 3, w.r.o.sub.branchManager
	if level == 4 {
		w.step(time.Hour, 6*time.Hour)
		w.c.Level, w.c.Responsible = 4, sqldb.RootOrgCode
		hq := w.g.bank.hqService
		i := w.g.rng.IntN(len(hq))
		w.c.Handler, w.signer = hq[i], hq[(i+1)%len(hq)]
	}
	w.step(time.Hour, 6*time.Hour) // assign
}

func (w *walk) finding(text string) {
	at := w.step(24*time.Hour, 96*time.Hour)
	w.c.Status = redress.StatusInvestigating
	w.c.Findings = append(w.c.Findings, redress.Entry{Author: w.c.Handler, At: *at, Text: text})
}

func (w *walk) resolveOnSpot(target redress.Status) {
	w.onSpot = true
	w.c.Handler = w.r.registrar
	w.step(3*time.Minute, 25*time.Minute)
	d := w.g.rng.Determination(w.handling())
	w.c.Determination = &d
	w.reply(redress.NoticeInPerson)
	w.finish(target, w.r.o.sub.manager)
}

func (w *walk) reply(method redress.NoticeMethod) {
	at := w.step(24*time.Hour, 96*time.Hour)
	r := w.g.rng.Reply(w.handling(), method, *at)
	r.NoticeAt = *at
	w.c.Status, w.c.Reply, w.c.RepliedAt = redress.StatusReplied, &r, at
}

// finish signs off and closes a replied case, as far as its target.
func (w *walk) finish(target redress.Status, closer string) {
	if target == redress.StatusReplied {
		return
	}
	w.c.SignedOffAt = w.step(16*time.Hour, 40*time.Hour)
	w.c.Status, w.c.SignedOffBy = redress.StatusSignedOff, w.signer
	if target == redress.StatusSignedOff {
		return
	}
	w.c.ClosedAt = w.step(24*time.Hour, 96*time.Hour)
	w.c.Status, w.c.Satisfaction = redress.StatusClosed, w.g.rng.Satisfaction()
}

// end withdraws or rejects the case.
func (w *walk) end(target redress.Status) {
	w.c.ClosedAt = w.step(time.Hour, 72*time.Hour)
	w.c.Status = target
	if target == redress.StatusRejected {
		w.c.EndReason = w.g.rng.Text(scenario.RejectReasons)
	} else {
		w.c.EndReason = w.g.rng.Text(scenario.WithdrawReasons)
	}
}

// fit squeezes the steps of a case that would end after limit into the
// time between its registration and limit, keeping their proportions.
func (w *walk) fit(registered, limit time.Time) {
	if len(w.times) == 0 {
		return
	}
	move := scenario.Fit(registered, w.t, limit)
	for _, at := range w.times {
		*at = move(*at)
	}
	for i := range w.c.Findings {
		w.c.Findings[i].At = move(w.c.Findings[i].At)
	}
	if r := w.c.Reply; r != nil {
		r.NoticeAt = *w.c.RepliedAt
	}
	w.c.UpdatedAt = *w.times[len(w.times)-1]
}

// handling is what the case's determination and reply are drawn from; the
// texts of its handling name no date.
func (w *walk) handling() scenario.Handling {
	facts := scenario.Particulars{Outlet: w.r.o.name, Amount: w.c.Amount, Staff: w.r.staffName}
	return scenario.Handling{Scenario: w.r.sc, Particulars: facts, Liability: w.liability, OnSpot: w.onSpot}
}
