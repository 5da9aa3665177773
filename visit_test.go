package redress

import (
	"strings"
	"testing"
	"time"
)

// TestVisitRegistration_XinfangArt18: 多人采用走访形式提出共同的信访事项的，
// 应当推选代表，代表人数不超过5人 (信访工作条例 2022, Art.18); seed 000 4.1
// 来访登记与安全检查: 填写来访登记表以及提供有效身份证明…对用户进行安全检查 — a
// check records the document and who did it.
func TestVisitRegistration_XinfangArt18(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, Beijing)
	base := func(channel Channel, v *Visit) NewCase {
		return NewCase{Kind: KindComplaint, Channel: channel, ReceivedAt: now.Add(-time.Hour),
			Complainant: Complainant{Name: "王建国"}, Subject: "年费争议", Description: "客户对年费有异议", Visit: v}
	}
	tests := []struct {
		name    string
		n       NewCase
		field   string // "" when valid
		problem string
	}{
		{"one visitor, identity checked", base(ChannelVisit, &Visit{Visitors: 1, IDChecked: true, IDType: IDResident, IDCheckedBy: "王芳",
			SecurityChecked: true, SecurityCheckedBy: "李强", Room: "一号接待室"}), "", ""},
		{"seed 000 4.1: an ID check names the document", base(ChannelVisit, &Visit{Visitors: 1, IDChecked: true, IDCheckedBy: "王芳"}), "visit.id_type", ProblemRequired},
		{"seed 000 4.1: an ID check names who checked", base(ChannelVisit, &Visit{Visitors: 1, IDChecked: true, IDType: IDPassport}), "visit.id_checked_by", ProblemRequired},
		{"seed 000 4.1: a security check names who did it", base(ChannelVisit, &Visit{Visitors: 1, SecurityChecked: true, SecurityCheckedBy: " "}), "visit.security_checked_by", ProblemRequired},
		{"an unknown document", base(ChannelVisit, &Visit{Visitors: 1, IDChecked: true, IDType: "card", IDCheckedBy: "王芳"}), "visit.id_type", ProblemChoice},
		{"a room of 101 characters", base(ChannelVisit, &Visit{Visitors: 1, Room: strings.Repeat("室", 101)}), "visit.room", ProblemTooLong},
		{"four visitors need no representatives", base(ChannelVisit, &Visit{Visitors: 4}), "", ""},
		{"five visitors choose representatives", base(ChannelVisit, &Visit{Visitors: 5}), "visit.representatives", ProblemRepresentatives},
		{"twenty-five visitors with five representatives", base(ChannelVisit, &Visit{Visitors: 25, Representatives: 5}), "", ""},
		{"at most five representatives", base(ChannelVisit, &Visit{Visitors: 25, Representatives: 6}), "visit.representatives", ProblemRepresentatives},
		{"no more representatives than visitors", base(ChannelVisit, &Visit{Visitors: 2, Representatives: 3}), "visit.representatives", ProblemVisitRepsCount},
		{"at least one visitor", base(ChannelVisit, &Visit{Visitors: 0}), "visit.visitors", ProblemVisitorsCount},
		{"at most a thousand", base(ChannelVisit, &Visit{Visitors: 1001, Representatives: 5}), "visit.visitors", ProblemVisitorsCount},
		{"a counter visit may record the identity check", base(ChannelCounter, &Visit{Visitors: 1, IDChecked: true, IDType: IDResident, IDCheckedBy: "柜员"}), "", ""},
		{"no visit registration on a phone call", base(ChannelPhone, &Visit{Visitors: 1}), "visit", ProblemVisitChannel},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.n.Validate(now)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			if got := ErrorProblems(err)[tt.field]; got.Key != tt.problem {
				t.Fatalf("want %s on %s, got %v (%+v)", tt.problem, tt.field, err, ErrorProblems(err))
			}
		})
	}
}
