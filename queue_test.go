package redress

import (
	"slices"
	"testing"
)

// TestQueuesFor: each role has the worklists of its duties — acceptance
// for the roles that accept, sign-off for the roles that sign, handling and
// registration for the roles that handle cases — and a sign-off queue never
// holds the signer's own cases.
func TestQueuesFor(t *testing.T) {
	t.Parallel()
	for role, want := range map[Role][]Queue{
		RoleStaff:      {QueueMine, QueueRegistered, QueueReturnVisit},
		RoleManager:    {QueueAccept, QueueMine, QueueRegistered, QueueReturnVisit},
		RoleBranchHead: {QueueAccept, QueueMine, QueueSignOff, QueueRegistered, QueueReturnVisit},
		RoleAuditor:    nil,
		RoleAdmin:      nil,
	} {
		if got := QueuesFor(role); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", role, got, want)
		}
	}
	u := &User{Login: "li.qiang"}
	if f := QueueSignOff.Filter(u); f.NotHandler != "li.qiang" || !slices.Equal(f.Status, []Status{StatusReplied}) {
		t.Errorf("sign-off queue: %+v", f)
	}
	if f := QueueMine.Filter(u); f.Handler != "li.qiang" || f.Sort != "due" {
		t.Errorf("my queue: %+v", f)
	}
	if f := QueueReturnVisit.Filter(u); !f.ReturnVisit || f.Sort != "visit" || !slices.Equal(f.Status, []Status{StatusClosed}) {
		t.Errorf("return-visit queue: %+v", f)
	}
	if Queue("lunch").Valid() {
		t.Error("an unknown queue is valid")
	}
}
