package redress

import "slices"

// Queue is a worklist on the workbench: the cases waiting for the signed-in
// user's own duty, so that each role finds its own work first.
type Queue string

// The queues.
const (
	QueueAccept     Queue = "accept"     // 待我受理: registered, waiting for acceptance
	QueueMine       Queue = "mine"       // 待我处理: open and handled by me
	QueueSignOff    Queue = "sign_off"   // 待我签字: replied, waiting for a sign-off not mine to refuse
	QueueRegistered Queue = "registered" // 我登记的: the cases I registered
	// QueueReturnVisit is 待回访: the closed cases in scope whose return visit
	// waits, the earliest due first (return_visit.go).
	QueueReturnVisit Queue = "return_visit"
)

// Queues lists every queue, in the order the workbench shows them.
var Queues = []Queue{QueueAccept, QueueMine, QueueSignOff, QueueRegistered, QueueReturnVisit}

// QueuesFor lists the queues of a role: acceptance and sign-off for the
// roles the lifecycle lets take them, handling and registration for the
// roles that handle cases.
func QueuesFor(role Role) []Queue {
	var out []Queue
	for _, q := range Queues {
		switch q {
		case QueueAccept:
			if slices.Contains(Lifecycle[ActionAccept].Roles, role) {
				out = append(out, q)
			}
		case QueueSignOff:
			if slices.Contains(Lifecycle[ActionSignOff].Roles, role) {
				out = append(out, q)
			}
		case QueueReturnVisit:
			if slices.Contains(Lifecycle[ActionReturnVisit].Roles, role) {
				out = append(out, q)
			}
		default:
			if MayRegister(role) {
				out = append(out, q)
			}
		}
	}
	return out
}

// Valid reports whether q is a known queue.
func (q Queue) Valid() bool { return slices.Contains(Queues, q) }

// Filter is the case filter of the queue for user u, most urgent first
// (the cases I registered: newest first).
func (q Queue) Filter(u *User) CaseFilter {
	switch q {
	case QueueAccept:
		return CaseFilter{Status: []Status{StatusRegistered}, Sort: "due"}
	case QueueMine:
		return CaseFilter{Status: OpenStatuses, Handler: u.Login, Sort: "due"}
	case QueueSignOff:
		return CaseFilter{Status: []Status{StatusReplied}, NotHandler: u.Login, Sort: "due"}
	case QueueRegistered:
		return CaseFilter{FirstResponder: u.Login}
	case QueueReturnVisit:
		return CaseFilter{Status: []Status{StatusClosed}, ReturnVisit: true, Sort: "visit"}
	}
	return CaseFilter{}
}
