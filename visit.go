package redress

import (
	"strconv"
	"strings"
)

// Visit is the registration of a visit in person (来访登记, seed 000 4.1):
// how many came, the representatives they chose, whether their identity
// documents were checked and whether they went through the security check.
// It travels with a new case of the visit or counter channel, and with a
// visit of the reception log (reception.go). A check done names who did it.
type Visit struct {
	Visitors        int    `json:"visitors"`
	Representatives int    `json:"representatives"`
	IDChecked       bool   `json:"id_checked"`
	IDType          IDType `json:"id_type,omitempty"`       // the document checked
	IDCheckedBy     string `json:"id_checked_by,omitempty"` // who checked it
	SecurityChecked bool   `json:"security_checked"`
	// SecurityCheckedBy is who did the security check (安全检查).
	SecurityCheckedBy string `json:"security_checked_by,omitempty"`
	// Room is the reception room the visitors were received in (接待室).
	Room string `json:"room,omitempty"`
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
// representatives, never more than came; an ID check names the document
// and who checked it, a security check who did it.
func (v *Visit) validate(p *Problems) {
	v.IDCheckedBy, v.SecurityCheckedBy, v.Room = strings.TrimSpace(v.IDCheckedBy), strings.TrimSpace(v.SecurityCheckedBy), strings.TrimSpace(v.Room)
	switch {
	case v.IDChecked && v.IDType == "":
		p.AddKey("visit.id_type", ProblemRequired)
	case v.IDType != "" && !oneOf(v.IDType, IDTypes):
		p.AddKey("visit.id_type", ProblemChoice, valueList(IDTypes))
	}
	if v.IDChecked {
		checkText(p, "visit.id_checked_by", v.IDCheckedBy, 1, 100)
	} else if v.IDCheckedBy != "" {
		p.Add("visit.id_checked_by", "only when the ID was checked")
	}
	if v.SecurityChecked {
		checkText(p, "visit.security_checked_by", v.SecurityCheckedBy, 1, 100)
	} else if v.SecurityCheckedBy != "" {
		p.Add("visit.security_checked_by", "only when the security check was done")
	}
	checkText(p, "visit.room", v.Room, 0, 100)
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
