package sqldb

import (
	"bytes"
	"fmt"
	"strconv"
	"time"

	"redress"
)

// statsGroup is one group of a period's cases (statsFields) and how many
// cases it holds: the fields as read, and the figures derive makes of them.
type statsGroup struct {
	status                redress.Status
	kind                  redress.Kind
	channel               redress.Channel
	codeA, codeB, codeC   string
	rootCause             string
	outcome, satisfaction string
	// The times as stored (empty when NULL), valid until the next row; the
	// due dates (YYYY-MM-DD or ""); and clockHeld: 1 when the decision
	// clock is paused or follows a surviving case (merged), so it is never
	// overdue.
	receivedAt, closedAt, repliedAt, replySatisfiedAt []byte
	replyDue, decisionDue                             string
	clockHeld                                         int
	regulator                                         int
	source                                            redress.RegulatorSource
	finding                                           redress.RegulatorFinding
	escalated, repeat                                 int
	orgID                                             int64
	visitStatus                                       redress.ReturnVisitStatus // "" when the case has no return visit
	visitSatisfaction                                 redress.Satisfaction
	// afterClosed is 1 when the complainant had a case closed before this
	// one came in; complainantCases is how many cases they brought in the
	// period (redress repeat.go).
	afterClosed, complainantCases int
	complainantKey                []byte // read with the row, valid until the next
	// complainantLater is set when the pass counts the complainants' cases
	// itself (foldsComplainants): the complainant figures are added after
	// it (addComplainant), not by add.
	complainantLater bool
	n                int
	fen              int64

	// Derived (derive): the whole days from receipt to closing and to the
	// reply (-1 when there is none); overdue, 1 when the open case's
	// decision clock runs past its last day; the on-time flags, 1 (kept), 0
	// (missed) or -1 (the clock has not ended).
	day                         string // the Beijing day of receipt (YYYY-MM-DD)
	closedDays, decisionDays    int
	overdue                     int
	replyOnTime, decisionOnTime int
}

// parse reads the statsRow of one case into g; the codes and other
// repeated texts are shared through texts, the times and the key point
// into row.
func (g *statsGroup) parse(row []byte, texts interned) error {
	var f [len(statsFields)][]byte
	n := 0
	for ; n < len(f)-1; n++ {
		i := bytes.IndexByte(row, statsSeparator)
		if i < 0 {
			break
		}
		f[n], row = row[:i], row[i+1:]
	}
	f[n] = row
	if n != len(f)-1 || bytes.IndexByte(row, statsSeparator) >= 0 {
		return fmt.Errorf("stats row: %d fields, want %d", n+1, len(statsFields))
	}
	g.status, g.kind, g.channel = redress.Status(texts.of(f[0])), redress.Kind(texts.of(f[1])), redress.Channel(texts.of(f[2]))
	g.codeA, g.codeB, g.codeC, g.rootCause = texts.of(f[3]), texts.of(f[4]), texts.of(f[5]), texts.of(f[6])
	g.outcome, g.satisfaction = texts.of(f[7]), texts.of(f[8])
	g.receivedAt, g.closedAt, g.repliedAt, g.replySatisfiedAt = f[9], f[10], f[11], f[12]
	g.replyDue, g.decisionDue = texts.of(f[13]), texts.of(f[14])
	g.source, g.finding = redress.RegulatorSource(texts.of(f[17])), redress.RegulatorFinding(texts.of(f[18]))
	g.visitStatus, g.visitSatisfaction = redress.ReturnVisitStatus(texts.of(f[23])), redress.Satisfaction(texts.of(f[24]))
	g.complainantKey = f[25]
	var err error
	for _, x := range [...]struct {
		field int
		dst   *int
	}{{15, &g.clockHeld}, {16, &g.regulator}, {19, &g.escalated}, {20, &g.repeat}, {21, &g.afterClosed}} {
		if *x.dst, err = strconv.Atoi(string(f[x.field])); err != nil {
			return fmt.Errorf("stats row field %d: %w", x.field, err)
		}
	}
	if g.orgID, err = strconv.ParseInt(string(f[22]), 10, 64); err != nil {
		return fmt.Errorf("stats row unit: %w", err)
	}
	if g.fen, err = strconv.ParseInt(string(f[26]), 10, 64); err != nil {
		return fmt.Errorf("stats row redress: %w", err)
	}
	return nil
}

// interned are the texts a pass has seen, so that a period's thousands of
// cases share one string per status, code or due date.
type interned map[string]string

// of is b as a shared string.
func (in interned) of(b []byte) string {
	if s, ok := in[string(b)]; ok {
		return s
	}
	s := string(b)
	in[s] = s
	return s
}

// derive computes the group's day of receipt, day counts and clock flags
// as of today (YYYY-MM-DD in Beijing). The reply clock is kept when the reply
// obligation was met (reply_satisfied_at) by its last day, missed when it
// was met late or the open case is past it unmet; the decision clock is kept
// when the final reply was sent by its last day, missed when sent late or
// the case is overdue (the Overdue flag's rule: open, not paused, not
// merged, past the last day).
func (g *statsGroup) derive(today string, texts interned) error {
	received, err := storedTime(g.receivedAt)
	if err != nil {
		return err
	}
	var buf [10]byte
	g.day = texts.of(appendBeijingDate(buf[:0], received))
	open := g.status.Open()
	g.overdue = 0
	if open && g.clockHeld == 0 && g.decisionDue < today {
		g.overdue = 1
	}
	g.closedDays, g.decisionDays, g.replyOnTime, g.decisionOnTime = -1, -1, -1, -1
	if len(g.closedAt) > 0 {
		closed, err := storedTime(g.closedAt)
		if err != nil {
			return err
		}
		g.closedDays = wholeDays(received, closed)
	}
	var replied time.Time
	if len(g.repliedAt) > 0 {
		if replied, err = storedTime(g.repliedAt); err != nil {
			return err
		}
		g.decisionDays = wholeDays(received, replied)
	}
	switch {
	case g.replyDue == "":
	case len(g.replySatisfiedAt) > 0:
		satisfied, err := storedTime(g.replySatisfiedAt)
		if err != nil {
			return err
		}
		g.replyOnTime = onOrBefore(satisfied, g.replyDue)
	case open && g.replyDue < today:
		g.replyOnTime = 0
	}
	switch {
	case g.decisionDue == "":
	case len(g.repliedAt) > 0:
		g.decisionOnTime = onOrBefore(replied, g.decisionDue)
	case g.overdue == 1:
		g.decisionOnTime = 0
	}
	return nil
}

// storedTime parses a time as the store writes it (timeLayout, UTC). The
// fixed layout is read digit by digit: time.Parse was a tenth of the pass.
func storedTime(b []byte) (time.Time, error) {
	num := func(from, to int) (int, bool) {
		n := 0
		for _, c := range b[from:to] {
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	if len(b) == len(timeLayout) && b[4] == '-' && b[7] == '-' && b[10] == 'T' && b[13] == ':' && b[16] == ':' && b[19] == '.' && b[26] == 'Z' {
		y, ok1 := num(0, 4)
		mo, ok2 := num(5, 7)
		d, ok3 := num(8, 10)
		h, ok4 := num(11, 13)
		mi, ok5 := num(14, 16)
		sec, ok6 := num(17, 19)
		us, ok7 := num(20, 26)
		if ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7 {
			return time.Date(y, time.Month(mo), d, h, mi, sec, us*1000, time.UTC), nil
		}
	}
	t, err := time.Parse(timeLayout, string(b))
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", b, err)
	}
	return t, nil
}

// wholeDays is the whole days elapsed from one time to a later one.
func wholeDays(from, to time.Time) int { return int(to.Sub(from) / (24 * time.Hour)) }

// onOrBefore is 1 when t falls on or before the Beijing date day
// (YYYY-MM-DD), else 0.
func onOrBefore(t time.Time, day string) int {
	var buf [10]byte
	if string(appendBeijingDate(buf[:0], t)) <= day {
		return 1
	}
	return 0
}

// appendBeijingDate appends t's date in Beijing as YYYY-MM-DD (redress.Today
// without the string a case of a period would allocate for it).
func appendBeijingDate(b []byte, t time.Time) []byte {
	return t.In(redress.Beijing).AppendFormat(b, time.DateOnly)
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
	byDay                                           map[string]int // cases per Beijing day of receipt: the trend
	// breakdowns are the counts by status, kind, channel, code_a, code_b,
	// code_c and root_cause, as strings, for redress.Figures.
	breakdowns map[string]map[string]int
	// jrt counts the cases by the A, B and C codes they are counted under
	// in the JR/T 0169-2018 table (redress.JRTCodes: 99 for a missing code).
	jrt map[[3]string]int
}

func newTally() *tally {
	t := &tally{byStatus: map[redress.Status]int{}, byKind: map[redress.Kind]int{}, byChannel: map[redress.Channel]int{},
		bySatisfaction: map[string]int{}, bySource: map[redress.RegulatorSource]int{}, decisionDays: map[int]int{}, byDay: map[string]int{},
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
	if g.day != "" {
		t.byDay[g.day] += n
	}
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
	if !g.complainantLater {
		t.addComplainant(n, g.complainantCases)
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

// addComplainant counts n cases of a complainant who brought k cases in
// the period (at least 1): each case is 1/k of its complainant, and of a
// repeat complainant when k is 2 or more (redress repeat.go).
func (t *tally) addComplainant(n, k int) {
	k = max(k, 1)
	t.complainants += float64(n) / float64(k)
	if k >= 2 {
		t.repeatComplainants += float64(n) / float64(k)
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

// mergeAll adds every count of another tally: the two parts of a period
// (statsParts) make its tally.
func (t *tally) mergeAll(o *tally) {
	t.merge(o)
	t.closedIn15 += o.closedIn15
	t.closedIn30 += o.closedIn30
	t.closedIn60 += o.closedIn60
	t.partlyUpheld += o.partlyUpheld
	t.regulator += o.regulator
	t.redressFen += o.redressFen
	t.regulatorValid += o.regulatorValid
	t.regulatorInvalid += o.regulatorInvalid
	t.regulatorNone += o.regulatorNone
	addCounts(t.byStatus, o.byStatus)
	addCounts(t.byKind, o.byKind)
	addCounts(t.byChannel, o.byChannel)
	addCounts(t.bySatisfaction, o.bySatisfaction)
	addCounts(t.bySource, o.bySource)
	addCounts(t.decisionDays, o.decisionDays)
	addCounts(t.jrt, o.jrt)
	addCounts(t.byDay, o.byDay)
	for name, counts := range o.breakdowns {
		addCounts(t.breakdowns[name], counts)
	}
	t.visits.Planned += o.visits.Planned
	addCounts(t.visits.ByStatus, o.visits.ByStatus)
	addCounts(t.visits.BySatisfaction, o.visits.BySatisfaction)
	addCounts(t.visits.ByCaseSatisfaction, o.visits.ByCaseSatisfaction)
}

// addCounts adds the counts of more into counts.
func addCounts[K comparable](counts, more map[K]int) {
	for k, n := range more {
		counts[k] += n
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
