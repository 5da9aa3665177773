package sqldb

import (
	"encoding/json"
	"testing"
	"time"

	"redress"
)

// assessmentCases makes the fixed month the assessment tests count, all
// registered at the outlet BJ-HD-01:
//   - answered (11-20): handled by mgr.bj, decided the day after with a
//     disciplinary measure against staff2.bj, who is the staff member
//     complained about; partly upheld, signed off, closed satisfied;
//   - reopened (11-20): handled by mgr.bj, closed dissatisfied, reopened;
//   - untouched (11-01): no handler, both clocks run out (overdue);
//   - accusation (11-19): an accusation against mgr.bj, handled by head.bj;
//   - october (10-31): outside the month.
func assessmentCases(t *testing.T, f *fixture) []*redress.Case {
	t.Helper()
	create := func(received time.Time, edit func(n *redress.NewCase)) *redress.Case {
		t.Helper()
		n := sampleCase()
		n.ReceivedAt = received
		if edit != nil {
			edit(&n)
		}
		c, err := f.cases.CreateCase(f.as("staff.bj"), n)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 9, 30, 0, 0, redress.Beijing) }
	finish := func(c *redress.Case, d redress.Determination, s redress.Satisfaction) *redress.Case {
		t.Helper()
		c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionAccept})
		c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionDetermine, Determination: d})
		c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionReply, Reply: replyAt(f.clock)})
		c = f.act(t, "head.bj", c, redress.ActionRequest{Action: redress.ActionSignOff})
		return f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionClose, Satisfaction: s})
	}
	answered := create(day(11, 20), func(n *redress.NewCase) { n.Respondent = redress.Respondent{Org: "BJ-HD-01", Staff: "staff2.bj"} })
	d := determined
	d.AccountabilityMeasure, d.AccountableStaff = redress.AccountabilityDiscipline, "staff2.bj"
	answered = finish(answered, d, redress.SatisfactionSatisfied)
	reopened := finish(create(day(11, 20), nil), determined, redress.SatisfactionDissatisfed)
	reopened = f.act(t, "mgr.bj", reopened, redress.ActionRequest{Action: redress.ActionReopen, Reason: "客户不满意，重新调查"})
	untouched := create(day(11, 1), nil)
	accusation := create(day(11, 19), func(n *redress.NewCase) {
		n.Respondent, n.Accusation = redress.Respondent{Staff: "mgr.bj"}, true
	})
	accusation = f.act(t, "head.bj", accusation, redress.ActionRequest{Action: redress.ActionAccept})
	create(day(10, 31), nil)
	return []*redress.Case{answered, reopened, untouched, accusation}
}

// assessByHand works out a person's figures from the cases themselves (as
// read back), the way the rule says: handled by them; complaints against
// them; measures taken against them.
func assessByHand(cases []*redress.Case, login string, reopened map[string]bool, today string) redress.AssessmentFigures {
	f := redress.AssessmentFigures{Satisfaction: map[string]int{}, Measures: map[redress.AccountabilityMeasure]int{}}
	for _, c := range cases {
		if c.Handler == login {
			f.Handled++
			if c.Status == redress.StatusClosed {
				f.Closed++
			}
			var visit redress.Satisfaction
			if c.ReturnVisit != nil {
				visit = c.ReturnVisit.Satisfaction
			}
			if s := redress.CaseSatisfaction(c.Satisfaction, visit); s != "" {
				f.Satisfaction[string(s)]++
			}
			if reopened[c.No] {
				f.Reopened++
			}
			switch {
			case c.ReplySatisfiedAt != nil:
				f.ReplyOnTime.Ended++
				if redress.Today(*c.ReplySatisfiedAt) <= c.ReplyDue {
					f.ReplyOnTime.OnTime++
				}
			case c.Status.Open() && c.ReplyDue != "" && c.ReplyDue < today:
				f.ReplyOnTime.Ended++
			}
			switch {
			case c.RepliedAt != nil:
				f.DecisionOnTime.Ended++
				if redress.Today(*c.RepliedAt) <= c.DecisionDue {
					f.DecisionOnTime.OnTime++
				} else {
					f.Overdue++
				}
			case c.Overdue:
				f.DecisionOnTime.Ended++
				f.Overdue++
			}
		}
		if c.Respondent.Staff == login {
			f.Complaints++
			if c.Reply != nil && (c.Reply.Outcome == redress.OutcomeUpheld || c.Reply.Outcome == redress.OutcomePartlyUpheld) {
				f.Upheld++
			}
		}
		if c.Determination != nil && c.Determination.AccountableStaff == login {
			f.Measures[c.Determination.AccountabilityMeasure]++
		}
	}
	f.ReplyOnTime.Rate = redress.Share(f.ReplyOnTime.OnTime, f.ReplyOnTime.Ended)
	f.DecisionOnTime.Rate = redress.Share(f.DecisionOnTime.OnTime, f.DecisionOnTime.Ended)
	return f
}

// TestAssessmentFiguresByHand_Order3Art27 (CBIRC Order 2020 No.3 Art.27:
// 考核 of the people and units handling complaints): every person's and
// unit's figures of the month, worked out from the cases, and the score of
// the default scheme (staff2.bj vetoed by the disciplinary measure).
func TestAssessmentFiguresByHand_Order3Art27(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cases := assessmentCases(t, f)
	reopened := map[string]bool{cases[1].No: true}
	read := make([]*redress.Case, len(cases))
	for i, c := range cases {
		var err error
		if read[i], err = f.cases.Case(f.as("hq.svc"), c.No); err != nil {
			t.Fatal(err)
		}
	}
	today := redress.Today(f.clock)
	svc := NewAssessmentService(f.db)
	a, err := svc.Assessment(f.as("hq.svc"), redress.AssessmentQuery{Month: "2026-11", Org: "BJ"})
	if err != nil {
		t.Fatal(err)
	}
	if a.From != "2026-11-01" || a.To != "2026-11-30" || !a.ReturnVisits {
		t.Fatalf("period %s–%s", a.From, a.To)
	}
	people := map[string]redress.PersonAssessment{}
	for _, p := range a.People {
		people[p.Login] = p
	}
	scheme := redress.DefaultAssessmentScheme()
	for _, login := range []string{"staff.bj", "staff2.bj", "mgr.bj", "head.bj"} {
		p, ok := people[login]
		if !ok {
			t.Fatalf("%s has no row: %+v", login, a.People)
		}
		want := assessByHand(read, login, reopened, today)
		got, _ := json.Marshal(p.AssessmentFigures)
		w, _ := json.Marshal(want)
		if string(got) != string(w) {
			t.Errorf("%s:\n got %s\nwant %s", login, got, w)
		}
		if score := scheme.Score(want, true); p.Score != score.Score || p.VetoBy != score.VetoBy {
			t.Errorf("%s: score %v (%s), want %v (%s)", login, p.Score, p.VetoBy, score.Score, score.VetoBy)
		}
	}
	// The same figures, stated: mgr.bj handled two, closed one (the other
	// reopened), both decided the day after they came; one accusation.
	if m := people["mgr.bj"]; m.Handled != 2 || m.Closed != 1 || m.Reopened != 1 || m.DecisionOnTime.OnTime != 2 ||
		m.Satisfaction["satisfied"] != 1 || m.Complaints != 1 || m.Upheld != 0 {
		t.Errorf("mgr.bj: %+v", m)
	}
	if s := people["staff2.bj"]; s.Complaints != 1 || s.Upheld != 1 || s.Measures[redress.AccountabilityDiscipline] != 1 ||
		!s.Vetoed || s.Score != 0 || s.VetoBy != "measure:discipline" {
		t.Errorf("staff2.bj: %+v", s)
	}
	units := map[string]redress.UnitAssessment{}
	for _, u := range a.Units {
		units[u.Org] = u
	}
	if len(a.Units) != 3 || units["SH"].Org != "" {
		t.Fatalf("units of BJ's subtree: %+v", a.Units)
	}
	// The outlet is responsible for the four cases: two closed then one
	// reopened, the untouched one past both dates; the accusation names no
	// unit, so it is against its responsible unit, like the two without a
	// respondent; the answered one names the outlet and is partly upheld.
	if o := units["BJ-HD-01"]; o.Handled != 4 || o.Closed != 1 || o.Reopened != 1 || o.Overdue != 1 || o.Complaints != 4 ||
		o.Upheld != 2 || o.Measures[redress.AccountabilityDiscipline] != 1 || o.Vetoed {
		t.Errorf("outlet: %+v", o)
	} else if want := scheme.Score(o.AssessmentFigures, false); o.Score != want.Score {
		t.Errorf("outlet score %v, want %v", o.Score, want.Score)
	}
	if b := units["BJ"]; b.Handled != 0 || b.Score != 100 {
		t.Errorf("the branch has no cases of its own: %+v", b)
	}

	// Accusations stay invisible to the accused: mgr.bj's own sheet counts
	// neither the accusation against them nor the case at all (head.bj's
	// handling of it is not there either), and says nothing of it.
	mine, err := svc.Assessment(f.as("mgr.bj"), redress.AssessmentQuery{Month: "2026-11"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range mine.People {
		if p.Login == "mgr.bj" && (p.Complaints != 0 || p.Handled != 2) || p.Login == "head.bj" && p.Handled != 0 {
			t.Errorf("the accused's sheet reveals the accusation: %+v", p)
		}
	}
	for _, u := range mine.Units {
		if u.Org == "BJ-HD-01" && (u.Handled != 3 || u.Complaints != 3) {
			t.Errorf("the accused's sheet counts the accusation in the unit: %+v", u)
		}
	}

	for _, bad := range []struct {
		who string
		q   redress.AssessmentQuery
		err string
	}{
		{"staff.bj", redress.AssessmentQuery{Month: "2026-11"}, redress.EFORBIDDEN},
		{"auditor", redress.AssessmentQuery{Month: "2026-11"}, redress.EFORBIDDEN},
		{"admin", redress.AssessmentQuery{Month: "2026-11"}, redress.EFORBIDDEN},
		{"mgr.bj", redress.AssessmentQuery{Month: "2026-11", Org: "SH"}, redress.ENOTFOUND},
		{"mgr.bj", redress.AssessmentQuery{Month: "11/2026"}, redress.EINVALID},
	} {
		_, err := svc.Assessment(f.as(bad.who), bad.q)
		if redress.ErrorCode(err) != bad.err {
			t.Errorf("%s %+v: want %s, got %v", bad.who, bad.q, bad.err, err)
		}
	}
}

// TestAssessmentScheme_Order3Art27: an admin's scheme is stored, scores
// the next sheet, and is an audit event; nobody else may set it.
func TestAssessmentScheme_Order3Art27(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	assessmentCases(t, f)
	svc := NewAssessmentService(f.db)
	got, err := svc.AssessmentScheme(f.as("mgr.bj"))
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := json.Marshal(redress.DefaultAssessmentScheme()); string(mustJSON(t, got)) != string(want) {
		t.Fatalf("the seed %s is not the default %s", mustJSON(t, got), want)
	}
	s := redress.DefaultAssessmentScheme()
	s.Veto = redress.AssessmentVeto{Measure: redress.AccountabilityNone, UpheldComplaint: true, Mode: redress.VetoCap, Cap: 60}
	s.Weights[redress.AssessComplaint] = 0
	_, err = svc.SetAssessmentScheme(f.as("mgr.bj"), s)
	wantCode(t, err, redress.EFORBIDDEN)
	bad := s
	bad.Veto.Mode = "halve"
	_, err = svc.SetAssessmentScheme(f.as("admin"), bad)
	wantCode(t, err, redress.EINVALID)
	if _, err := svc.SetAssessmentScheme(f.as("admin"), s); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM events WHERE action = 'system.set_assessment_scheme'`); n != 1 {
		t.Fatalf("%d audit events", n)
	}
	a, err := svc.Assessment(f.as("hq.svc"), redress.AssessmentQuery{Month: "2026-11"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range a.People {
		// staff2.bj: an upheld complaint caps the score at 60; the
		// measure, no longer a veto, is 10 points off; the complaint 0.
		if p.Login == "staff2.bj" && (p.Score != 60 || p.VetoBy != "upheld_complaint") {
			t.Errorf("staff2.bj under the new scheme: %+v", p)
		}
		if p.Login == "mgr.bj" && p.Vetoed {
			t.Errorf("mgr.bj: %+v", p)
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
