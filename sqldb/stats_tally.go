package sqldb

import (
	"database/sql"

	"redress"
)

// statsGroup is one group of a period's cases (statsColumns) and how many
// cases it holds.
type statsGroup struct {
	status                      redress.Status
	kind                        redress.Kind
	channel                     redress.Channel
	codeA, codeB, codeC         string
	rootCause                   string
	outcome, satisfaction       string
	closedDays                  int
	overdue, regulator          int
	source                      redress.RegulatorSource
	finding                     redress.RegulatorFinding
	escalated, repeat           int
	replyOnTime, decisionOnTime int
	decisionDays                int
	orgID                       int64
	visitStatus                 redress.ReturnVisitStatus // "" when the case has no return visit
	visitSatisfaction           redress.Satisfaction
	// afterClosed is 1 when the complainant had a case closed before this
	// one came in; complainantCases is how many cases they brought in the
	// period (redress repeat.go).
	afterClosed, complainantCases int
	complainantKey                sql.RawBytes // read with the row, valid until the next
	n                             int
	fen                           int64
}

// tally is what groups of cases add up to: every figure of redress.Stats
// but the reviews, the trend and the comparisons.
type tally struct {
	received, closed, closedIn15, closedIn30, closedIn60 int
	openOverdue, upheld, partlyUpheld, regulator         int
	escalated, repeat                                    int
	// repeatAfterClosed counts the cases whose complainant had a case closed
	// before; complainants and repeatComplainants are the period's
	// complainants and those with two or more cases, each case counting
	// 1/k of its complainant of k cases (summed, then rounded).
	repeatAfterClosed                               int
	complainants, repeatComplainants                float64
	redressFen                                      int64
	byStatus                                        map[redress.Status]int
	byKind                                          map[redress.Kind]int
	byChannel                                       map[redress.Channel]int
	bySatisfaction                                  map[string]int
	visits                                          redress.ReturnVisitStats
	bySource                                        map[redress.RegulatorSource]int
	regulatorValid, regulatorInvalid, regulatorNone int
	onTime                                          map[string]*redress.ClockOnTime
	decisionDays                                    map[int]int
	// breakdowns are the counts by status, kind, channel, code_a, code_b,
	// code_c and root_cause, as strings, for redress.Figures.
	breakdowns map[string]map[string]int
	// jrt counts the cases by the A, B and C codes they are counted under
	// in the JR/T 0169-2018 table (redress.JRTCodes: 99 for a missing code).
	jrt map[[3]string]int
}

func newTally() *tally {
	t := &tally{byStatus: map[redress.Status]int{}, byKind: map[redress.Kind]int{}, byChannel: map[redress.Channel]int{},
		bySatisfaction: map[string]int{}, bySource: map[redress.RegulatorSource]int{}, decisionDays: map[int]int{},
		onTime:     map[string]*redress.ClockOnTime{"reply": {}, "decision": {}},
		breakdowns: map[string]map[string]int{}, jrt: map[[3]string]int{},
		visits: redress.ReturnVisitStats{ByStatus: map[redress.ReturnVisitStatus]int{}, BySatisfaction: map[string]int{},
			ByCaseSatisfaction: map[string]int{}}}
	for _, name := range []string{"status", "kind", "channel", "code_a", "code_b", "code_c", "root_cause"} {
		t.breakdowns[name] = map[string]int{}
	}
	return t
}

// add counts one group.
func (t *tally) add(g *statsGroup) {
	t.addUnit(g)
	n := g.n
	t.byStatus[g.status] += n
	t.byKind[g.kind] += n
	t.byChannel[g.channel] += n
	if g.satisfaction != "" {
		t.bySatisfaction[g.satisfaction] += n
	}
	if g.visitStatus != "" { // return_visit.go
		t.visits.Planned += n
		t.visits.ByStatus[g.visitStatus] += n
		if g.visitSatisfaction != "" {
			t.visits.BySatisfaction[string(g.visitSatisfaction)] += n
		}
	}
	if s := redress.CaseSatisfaction(redress.Satisfaction(g.satisfaction), g.visitSatisfaction); s != "" {
		t.visits.ByCaseSatisfaction[string(s)] += n
	}
	// The breakdowns, by array rather than a map literal: add runs once per
	// case of a period.
	for _, b := range [...]struct{ name, key string }{{"status", string(g.status)}, {"kind", string(g.kind)}, {"channel", string(g.channel)},
		{"code_a", g.codeA}, {"code_b", g.codeB}, {"code_c", g.codeC}, {"root_cause", g.rootCause}} {
		if b.key != "" || b.name == "root_cause" && g.decisionDays >= 0 { // a decided case without a root-cause code counts as ""
			t.breakdowns[b.name][b.key] += n
		}
	}
	a, b, c := redress.JRTCodes(g.channel, g.codeA, g.codeB, g.codeC)
	t.jrt[[3]string{a, b, c}] += n
	if g.status == redress.StatusClosed {
		for _, c := range [...]struct {
			limit int
			dst   *int
		}{{15, &t.closedIn15}, {30, &t.closedIn30}, {60, &t.closedIn60}} {
			if g.closedDays >= 0 && g.closedDays <= c.limit {
				*c.dst += n
			}
		}
	}
	if redress.Outcome(g.outcome) == redress.OutcomePartlyUpheld {
		t.partlyUpheld += n
	}
	t.regulator += g.regulator * n
	if g.channel == redress.ChannelRegulator {
		t.bySource[g.source] += n
		switch g.finding {
		case redress.FindingValid:
			t.regulatorValid += n
		case redress.FindingInvalid:
			t.regulatorInvalid += n
		default:
			t.regulatorNone += n
		}
	}
	if g.decisionDays >= 0 {
		t.decisionDays[g.decisionDays] += n
	}
	t.redressFen += g.fen
}

// addUnit counts one group in the figures a unit's row shows and its
// subtree sums (merge, unit): the per-unit tallies need no more, and the
// pass runs this once per case beside add.
func (t *tally) addUnit(g *statsGroup) {
	n := g.n
	t.received += n
	if g.status == redress.StatusClosed {
		t.closed += n
	}
	if redress.Outcome(g.outcome) == redress.OutcomeUpheld {
		t.upheld += n
	}
	t.openOverdue += g.overdue * n
	t.escalated += g.escalated * n
	t.repeat += g.repeat * n
	t.repeatAfterClosed += g.afterClosed * n
	k := max(g.complainantCases, 1) // the complainant's cases in the period
	t.complainants += float64(n) / float64(k)
	if k >= 2 {
		t.repeatComplainants += float64(n) / float64(k)
	}
	if g.replyOnTime >= 0 {
		t.onTime["reply"].Ended += n
		t.onTime["reply"].OnTime += g.replyOnTime * n
	}
	if g.decisionOnTime >= 0 {
		t.onTime["decision"].Ended += n
		t.onTime["decision"].OnTime += g.decisionOnTime * n
	}
}

// merge adds another tally's counts (a unit's subtree is the merge of its
// units' tallies).
func (t *tally) merge(o *tally) {
	t.received += o.received
	t.closed += o.closed
	t.upheld += o.upheld
	t.escalated += o.escalated
	t.repeat += o.repeat
	t.repeatAfterClosed += o.repeatAfterClosed
	t.complainants += o.complainants
	t.repeatComplainants += o.repeatComplainants
	t.openOverdue += o.openOverdue
	for clock, c := range o.onTime {
		t.onTime[clock].Ended += c.Ended
		t.onTime[clock].OnTime += c.OnTime
	}
}

// onTimeOf is one clock's figure with its rate.
func (t *tally) onTimeOf(clock string) redress.ClockOnTime {
	c := *t.onTime[clock]
	c.Rate = redress.Share(c.OnTime, c.Ended)
	return c
}

// stats is the tally as the period's statistics.
func (t *tally) stats() *redress.Stats {
	st := &redress.Stats{Received: t.received, ByStatus: t.byStatus, ByKind: t.byKind, ByChannel: t.byChannel,
		ByCodeB: t.breakdowns["code_b"], BySatisfaction: t.bySatisfaction, ReturnVisits: t.visits, Closed: t.closed, ClosedIn15: t.closedIn15,
		ClosedIn30: t.closedIn30, ClosedIn60: t.closedIn60, OpenOverdue: t.openOverdue, Upheld: t.upheld,
		PartlyUpheld: t.partlyUpheld, RedressPaid: redress.FormatAmount(t.redressFen), Regulator: t.regulator,
		RegulatorBySource: t.bySource, RegulatorValid: t.regulatorValid, RegulatorInvalid: t.regulatorInvalid,
		RegulatorNoFinding: t.regulatorNone, Escalated: t.escalated, Repeat: t.repeat,
		Repeats: t.repeatFigures(),
		OnTime:  map[string]redress.ClockOnTime{"reply": t.onTimeOf("reply"), "decision": t.onTimeOf("decision")}}
	st.DaysToDecision.Mean, st.DaysToDecision.Median = redress.MeanAndMedian(t.decisionDays)
	for _, n := range t.decisionDays {
		st.DaysToDecision.Cases += n
	}
	return st
}

// totals is the tally as a comparison period's main counts.
func (t *tally) totals(from, to redress.Date) redress.PeriodTotals {
	return redress.PeriodTotals{From: from.String(), To: to.String(), Received: t.received, Closed: t.closed, Upheld: t.upheld,
		Escalated: t.escalated, Repeat: t.repeat, OpenOverdue: t.openOverdue, Regulator: t.regulator, Repeats: t.repeatFigures()}
}

// repeatFigures are the tally's repeat figures (redress.RepeatStats).
func (t *tally) repeatFigures() redress.RepeatStats {
	return redress.NewRepeatStats(t.complainants, t.repeatComplainants, t.repeatAfterClosed, t.received)
}

// unit is the tally as one unit's figures, its share of received.
func (t *tally) unit(code, name string, received int) redress.UnitStats {
	return redress.UnitStats{Org: code, Name: name, Received: t.received, Share: redress.Share(t.received, received),
		Closed: t.closed, Upheld: t.upheld, Escalated: t.escalated, Repeat: t.repeat, OpenOverdue: t.openOverdue,
		DecisionOnTime: t.onTimeOf("decision")}
}
