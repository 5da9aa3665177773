package redress

import (
	"fmt"
	"testing"
	"time"
)

// TestTransitionTable checks every action × status × role × handler against
// the rules written out again here, independently of the Lifecycle table.
func TestTransitionTable(t *testing.T) {
	all := []Role{RoleStaff, RoleManager, RoleBranchHead, RoleHQService}
	managers := []Role{RoleManager, RoleBranchHead, RoleHQService}
	open := []Status{StatusRegistered, StatusAccepted, StatusInvestigating}
	want := map[Action]struct {
		from    []Status
		to      Status // "" = stays
		roles   []Role
		handler bool
	}{
		ActionResolveOnSpot: {[]Status{StatusRegistered}, StatusReplied, all, false},
		ActionAccept:        {[]Status{StatusRegistered}, StatusAccepted, managers, false},
		ActionAssign:        {[]Status{StatusAccepted, StatusInvestigating}, "", managers, false},
		ActionEscalate:      {open, "", all, false},
		ActionInvestigate:   {[]Status{StatusAccepted, StatusInvestigating}, StatusInvestigating, managers, true},
		ActionDetermine:     {[]Status{StatusAccepted, StatusInvestigating}, StatusInvestigating, managers, true},
		ActionReply:         {[]Status{StatusInvestigating}, StatusReplied, managers, true},
		ActionSignOff:       {[]Status{StatusReplied}, StatusSignedOff, []Role{RoleBranchHead, RoleHQService}, false},
		ActionClose:         {[]Status{StatusSignedOff}, StatusClosed, managers, false},
		ActionReopen:        {[]Status{StatusReplied, StatusSignedOff, StatusClosed}, StatusInvestigating, managers, false},
		ActionWithdraw:      {open, StatusWithdrawn, all, false},
		ActionReject:        {[]Status{StatusRegistered, StatusAccepted}, StatusRejected, managers, false},
		ActionNote:          {Statuses, "", all, true},
		ActionDeclareConflict: {[]Status{StatusRegistered, StatusAccepted, StatusInvestigating, StatusReplied, StatusSignedOff},
			"", all, false},
		ActionExtend:   {open, "", managers, false},
		ActionPause:    {open, "", managers, true},
		ActionResume:   {open, "", managers, true},
		ActionNewFacts: {open, "", all, true},
		ActionContact:  {open, "", all, true},
		// review (核查 / 复查 / 复核): a decided case, any case role records the request,
		// a manager or above of the unit above decides it.
		ActionRequestReview: {[]Status{StatusReplied, StatusSignedOff, StatusClosed}, "", all, false},
		ActionDecideReview:  {[]Status{StatusReplied, StatusSignedOff, StatusClosed}, "", managers, false},
		// regulator.go: the regulator's finding may come in any status.
		ActionRecordRegulatorFinding: {Statuses, "", managers, true},
		ActionReturnVisit:            {[]Status{StatusClosed}, "", all, true},
	}
	checked := 0
	for action, w := range want {
		for _, status := range Statuses {
			for _, role := range Roles {
				for _, isHandler := range []bool{false, true} {
					name := fmt.Sprintf("%s/%s/%s/handler=%v", action, status, role, isHandler)
					got, err := Transition(action, status, role, isHandler)
					roleOK := contains(w.roles, role) || (w.handler && isHandler && role != RoleAuditor && role != RoleAdmin)
					switch {
					case !roleOK:
						if ErrorCode(err) != EFORBIDDEN {
							t.Errorf("%s: want forbidden, got %v %v", name, got, err)
						}
					case !contains(w.from, status):
						if ErrorCode(err) != ECONFLICT || err.Error() != fmt.Sprintf("action %s is not allowed in status %s", action, status) {
							t.Errorf("%s: want conflict naming the status, got %v %v", name, got, err)
						}
					default:
						to := w.to
						if to == "" {
							to = status
						}
						if err != nil || got != to {
							t.Errorf("%s: want %s, got %v %v", name, to, got, err)
						}
					}
					checked++
				}
			}
		}
	}
	if len(want) != len(Actions)-1 {
		t.Fatalf("the test covers %d actions, the lifecycle has %d besides register", len(want), len(Actions)-1)
	}
	if checked != len(want)*len(Statuses)*len(Roles)*2 {
		t.Fatalf("checked %d combinations", checked)
	}
}

func TestTransitionUnknownAndRegister(t *testing.T) {
	for _, a := range []Action{"fly", ActionRegister} {
		if _, err := Transition(a, StatusRegistered, RoleManager, false); ErrorCode(err) != EINVALID {
			t.Errorf("%s: want invalid, got %v", a, err)
		}
	}
	for _, role := range Roles {
		want := role != RoleAuditor && role != RoleAdmin
		if MayRegister(role) != want {
			t.Errorf("MayRegister(%s) = %v", role, !want)
		}
	}
}

func TestActionRequestValidate(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, Beijing)
	reply := Reply{Facts: "核实情况", Basis: "合同条款", Outcome: OutcomeUpheld, Remedies: []Remedy{RemedyReview},
		NoticeMethod: NoticePhone, NoticeAt: now, NoticeProof: "电话录音 2026-11-20"}
	tests := []struct {
		name  string
		req   ActionRequest
		field string // "" = valid
	}{
		{"no version", ActionRequest{Action: ActionAccept}, "version"},
		{"accept", ActionRequest{Action: ActionAccept, Version: 1}, ""},
		{"assign needs handler", ActionRequest{Action: ActionAssign, Version: 1}, "handler"},
		{"reject needs reason", ActionRequest{Action: ActionReject, Version: 1}, "reason"},
		{"note needs text", ActionRequest{Action: ActionNote, Version: 1, Text: " "}, "text"},
		{"determine needs liability", ActionRequest{Action: ActionDetermine, Version: 1, Determination: Determination{RootCause: "流程"}}, "liability"},
		{"fault needs party", ActionRequest{Action: ActionDetermine, Version: 1, Determination: Determination{Liability: LiabilityBankFault, RootCause: "员工能力"}}, "responsible_party"},
		{"no fault", ActionRequest{Action: ActionDetermine, Version: 1, Determination: Determination{Liability: LiabilityNoFault, RootCause: "客户误解"}}, ""},
		{"reply", ActionRequest{Action: ActionReply, Version: 2, Reply: reply}, ""},
		{"reply bad remedy", ActionRequest{Action: ActionReply, Version: 2, Reply: func() Reply { r := reply; r.Remedies = []Remedy{"duel"}; return r }()}, "remedies"},
		{"reply future notice", ActionRequest{Action: ActionReply, Version: 2, Reply: func() Reply { r := reply; r.NoticeAt = now.Add(time.Hour); return r }()}, "notice_at"},
		{"reply bad redress", ActionRequest{Action: ActionReply, Version: 2, Reply: func() Reply { r := reply; r.RedressPaid = "-1"; return r }()}, "redress_amount"},
		{"close does not wait for satisfaction", ActionRequest{Action: ActionClose, Version: 3}, ""},
		{"close with an unknown satisfaction", ActionRequest{Action: ActionClose, Version: 3, Satisfaction: "happy"}, "satisfaction"},
		{"close", ActionRequest{Action: ActionClose, Version: 3, Satisfaction: SatisfactionBasically}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.req.Validate(now)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			if _, ok := ErrorFields(err)[tt.field]; !ok || ErrorCode(err) != EINVALID {
				t.Fatalf("want a problem with %s, got %v", tt.field, err)
			}
		})
	}
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
