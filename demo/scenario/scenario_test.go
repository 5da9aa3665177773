package scenario

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"redress"
)

var allParticulars = Particulars{Outlet: "中关村网点", Date: "11月20日", Amount: "1200.00", Staff: "张磊"}

func TestScenarioTable(t *testing.T) {
	code := func(d redress.Dimension, c string) error {
		return redress.Code{Dimension: d, Code: c, Name: "x", NameEN: "x"}.Validate()
	}
	for i := range scenarios {
		sc := &scenarios[i]
		name := sc.Subject
		if !sc.Kind.Valid() {
			t.Errorf("%s: kind %q", name, sc.Kind)
		}
		if err := code(redress.DimensionBusiness, sc.CodeB); err != nil {
			t.Errorf("%s: code B %s: %v", name, sc.CodeB, err)
		}
		if err := code(redress.DimensionCause, sc.CodeC); err != nil {
			t.Errorf("%s: code C %s: %v", name, sc.CodeC, err)
		}
		if len(sc.Channels) == 0 || len(sc.Liabilities) == 0 {
			t.Errorf("%s: no channels or liabilities", name)
		}
		for _, ch := range sc.Channels {
			if !ch.Valid() {
				t.Errorf("%s: channel %q", name, ch)
			}
		}
		texts := []string{sc.Subject, sc.Description, sc.Request, sc.Finding, sc.RootCause, sc.Basis, sc.Redress}
		for _, l := range sc.Liabilities {
			if l != redress.LiabilityNoFault {
				texts = append(texts, sc.Party)
			}
		}
		for _, text := range texts {
			if text == "" || strings.ContainsAny(allParticulars.Fill(text), "{}") {
				t.Errorf("%s: text %q is empty or has an unknown placeholder", name, text)
			}
			if strings.Contains(text, "{amount}") && sc.Amount[1] == 0 {
				t.Errorf("%s: text %q names an amount the scenario has none of", name, text)
			}
		}
	}
	for _, ch := range redress.Channels {
		if channelIntro[ch] == "" {
			t.Errorf("no opening for channel %s", ch)
		}
	}
	for list := NoteTexts; list <= Supplements; list++ {
		if len(texts[list]) == 0 {
			t.Errorf("text list %d is empty", list)
		}
	}
	for _, s := range []redress.Satisfaction{redress.SatisfactionSatisfied, redress.SatisfactionBasically,
		redress.SatisfactionDissatisfed, redress.SatisfactionUnreachable} {
		if CloseText(s) == "" {
			t.Errorf("no return-visit text for %s", s)
		}
	}
}

// draw registers n matters from one stream, as the demo and the benchmark
// do.
func draw(r *Rand, home Region, n int) []redress.NewCase {
	received := time.Date(2026, 11, 20, 10, 0, 0, 0, redress.Beijing)
	var out []redress.NewCase
	for range n {
		sc := r.Scenario("")
		ch := r.Channel(&sc)
		facts := Particulars{Outlet: "中关村网点", Date: r.DayBefore(received)}
		if sc.Amount[1] > 0 {
			facts.Amount = r.Amount(sc.Amount)
		}
		out = append(out, r.NewCase(Intake{Scenario: &sc, Channel: ch, ReceivedAt: received, Org: "BJ-HD-01",
			Home: home, Description: sc.Told(ch), Particulars: facts}))
	}
	return out
}

func TestRegistrationsPassTheDomainsValidation(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, redress.Beijing)
	for _, home := range []Region{Local("BJ"), Local("SH"), Nationwide()} {
		ids, firms := 0, 0
		for _, n := range draw(NewRand(rand.NewPCG(7, 7)), home, 1500) {
			if err := n.Validate(now); err != nil {
				t.Fatalf("%+v: %v", n, err)
			}
			if n.CodeA != redress.ChannelCode(n.Channel) {
				t.Errorf("channel %s coded %s", n.Channel, n.CodeA)
			}
			if n.Complainant.IDType == redress.IDResident {
				ids++
			}
			if n.Complainant.CreditCode != "" {
				firms++
				if !strings.Contains(n.Complainant.OrgName, home.Places[0]) && len(home.Places) == 1 {
					t.Errorf("company %s is not of %s", n.Complainant.OrgName, home.Places[0])
				}
			}
		}
		if ids < 1000 || firms < 30 {
			t.Errorf("%d resident IDs and %d companies in 1500 complainants", ids, firms)
		}
	}
}

func TestTheSameSeedGivesTheSameData(t *testing.T) {
	a := draw(NewRand(rand.NewPCG(2026, 1)), Nationwide(), 200)
	b := draw(NewRand(rand.NewPCG(2026, 1)), Nationwide(), 200)
	c := draw(NewRand(rand.NewPCG(2027, 1)), Nationwide(), 200)
	if !reflect.DeepEqual(a, b) {
		t.Error("the same seed gave different registrations")
	}
	if reflect.DeepEqual(a, c) {
		t.Error("another seed gave the same registrations")
	}
}

func TestScenarioOfAKind(t *testing.T) {
	r := NewRand(rand.NewPCG(3, 3))
	for _, k := range redress.Kinds {
		for range 20 {
			if sc := r.Scenario(k); sc.Kind != k {
				t.Fatalf("asked for a %s, drew a %s", k, sc.Kind)
			}
		}
	}
	kinds := map[redress.Kind]int{}
	for range 3000 {
		sc := r.Scenario("")
		kinds[sc.Kind]++
	}
	for _, k := range redress.Kinds {
		if kinds[k] == 0 || k != redress.KindComplaint && kinds[k] >= kinds[redress.KindComplaint] {
			t.Errorf("kinds drawn: %v", kinds)
		}
	}
}

func TestLocalAndNationwide(t *testing.T) {
	bj := Local("BJ")
	if !reflect.DeepEqual(bj.Places, []string{"北京"}) || bj.FirmAreas[0] != "110101" || bj.AccountPrefix != "11" ||
		len(bj.IDAreas) != 4 || bj.IDAreas[3][0] != areaCodes["other"][0] {
		t.Errorf("Local(BJ) = %+v", bj)
	}
	if sh := Local("SH"); sh.Places[0] != "上海" || sh.AccountPrefix != "31" {
		t.Errorf("Local(SH) = %+v", sh)
	}
	if gz := Local("GZ"); gz.Places[0] != "广州" || gz.FirmAreas[0] != areaCodes["other"][0] {
		t.Errorf("Local(GZ) = %+v", gz)
	}
	if n := Nationwide(); len(n.Places) != len(Cities()) || len(n.IDAreas) != 3 {
		t.Errorf("Nationwide() = %+v", n)
	}
}

func TestFit(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 11, 1, h, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		name              string
		from, last, limit time.Time
		in, want          time.Time
	}{
		{"ends in time", at(0), at(10), at(12), at(10), at(10)},
		{"last moves to the limit", at(0), at(20), at(10), at(20), at(10)},
		{"proportions kept", at(0), at(20), at(10), at(8), at(4)},
		{"the first stays", at(2), at(22), at(12), at(2), at(2)},
		{"starts after the limit", at(12), at(20), at(10), at(15), at(15)},
	} {
		if got := Fit(c.from, c.last, c.limit)(c.in); !got.Equal(c.want) {
			t.Errorf("%s: %s, want %s", c.name, got.Format(time.TimeOnly), c.want.Format(time.TimeOnly))
		}
	}
}

func TestHandling(t *testing.T) {
	var refunding, fixed *Scenario
	for i := range scenarios {
		sc := &scenarios[i]
		if sc.Refund && refunding == nil {
			refunding = sc
		}
		if sc.Outcome != "" && fixed == nil {
			fixed = sc
		}
	}
	r := NewRand(rand.NewPCG(5, 5))
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, redress.Beijing)
	for _, c := range []struct {
		sc        *Scenario
		liability redress.Liability
		outcome   redress.Outcome
		paid      string
	}{
		{refunding, redress.LiabilityBankFault, redress.OutcomeUpheld, "1200.00"},
		{refunding, redress.LiabilityPartial, redress.OutcomePartlyUpheld, "600.00"},
		{refunding, redress.LiabilityNoFault, redress.OutcomeNotUpheld, ""},
		{fixed, redress.LiabilityNoFault, fixed.Outcome, ""},
	} {
		h := Handling{Scenario: c.sc, Particulars: allParticulars, Liability: c.liability}
		reply := r.Reply(h, redress.NoticePhone, at)
		if reply.Outcome != c.outcome || reply.RedressPaid != c.paid || (reply.Redress == "") != (c.outcome == redress.OutcomeNotUpheld) {
			t.Errorf("%s, %s: outcome %s, paid %q, redress %q", c.sc.Subject, c.liability, reply.Outcome, reply.RedressPaid, reply.Redress)
		}
		if !strings.HasPrefix(reply.Facts, "经调查核实，") || !strings.Contains(reply.NoticeProof, "REC-20261120-") {
			t.Errorf("%s: facts %q, proof %q", c.sc.Subject, reply.Facts, reply.NoticeProof)
		}
		d := r.Determination(h)
		if d.Liability != c.liability || (d.ResponsibleParty == "") != (c.liability == redress.LiabilityNoFault) {
			t.Errorf("%s, %s: determination %+v", c.sc.Subject, c.liability, d)
		}
	}
	h := Handling{Scenario: refunding, Particulars: allParticulars, Liability: redress.LiabilityBankFault, OnSpot: true}
	if reply := r.Reply(h, redress.NoticeInPerson, at); !strings.HasPrefix(reply.Facts, "经现场核实，") {
		t.Errorf("on the spot: facts %q", reply.Facts)
	}
}

func TestMix(t *testing.T) {
	m := NewMix()
	if got := m.Missing(); len(got) != len(redress.Kinds)+len(redress.Channels)+len(redress.Statuses) {
		t.Errorf("an empty mix misses %v", got)
	}
	for i, ch := range redress.Channels {
		m.Add(redress.Kinds[i%len(redress.Kinds)], ch, redress.Statuses[i%len(redress.Statuses)])
	}
	if got := m.Missing(); len(got) != 0 {
		t.Errorf("a complete mix misses %v", got)
	}
	m = NewMix()
	m.Add(redress.KindComplaint, redress.ChannelEmail, redress.StatusClosed)
	got := m.Missing()
	for _, want := range []string{"kind petition", "channel phone", "status rejected"} {
		if !slices.Contains(got, want) {
			t.Errorf("missing %v, want it to name %s", got, want)
		}
	}
	if slices.Contains(got, "channel email") || slices.Contains(got, "kind complaint") || slices.Contains(got, "status closed") {
		t.Errorf("missing %v names what the mix has", got)
	}
}
