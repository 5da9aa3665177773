package redress

import "strconv"

// Visit is the registration of a visit in person (来访登记, seed 000 4.1):
// how many came, the representatives they chose, whether their identity
// documents were checked and whether they went through the security check.
// It travels with a new case of the visit or counter channel.
type Visit struct {
	Visitors        int  `json:"visitors"`
	Representatives int  `json:"representatives"`
	IDChecked       bool `json:"id_checked"`
	SecurityChecked bool `json:"security_checked"`
}

// MaxVisitors is the most visitors one registration holds.
const MaxVisitors = 1000

// RepresentedVisit is the number of visitors from which a group must choose
// representatives, and MaxRepresentatives the most it may choose: 信访工作条例
// (2022) Art.18, 多人采用走访形式提出共同的信访事项的，应当推选代表，代表人数不超过5人.
const (
	RepresentedVisit   = 5
	MaxRepresentatives = 5
)

// validate checks a visit registration: 1 to MaxVisitors visitors; a group
// of RepresentedVisit or more names 1 to MaxRepresentatives
// representatives, never more than came.
func (v *Visit) validate(p *Problems) {
	if v.Visitors < 1 || v.Visitors > MaxVisitors {
		p.AddKey("visit.visitors", ProblemVisitorsCount, strconv.Itoa(MaxVisitors))
		return
	}
	switch {
	case v.Visitors >= RepresentedVisit && v.Representatives == 0:
		p.AddKey("visit.representatives", ProblemRepresentatives, strconv.Itoa(RepresentedVisit), strconv.Itoa(MaxRepresentatives))
	case v.Representatives < 0 || v.Representatives > MaxRepresentatives:
		p.AddKey("visit.representatives", ProblemRepresentatives, strconv.Itoa(RepresentedVisit), strconv.Itoa(MaxRepresentatives))
	case v.Representatives > v.Visitors:
		p.AddKey("visit.representatives", ProblemVisitRepsCount)
	}
}
