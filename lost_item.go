package redress

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// The lost-property register (失物登记, seed 003): an item found in an outlet
// is registered with where and when it was found, who found it, the CCTV
// reference and where it is kept; the outlet traces the owner (调取监控,
// 联系失主) and hands it back against the receiver's name, ID and signature
// on the printed slip, or hands it to the police (民法典 Art.314: 拾得遗失物，
// 应当返还权利人…或者送交公安等有关部门), or, an item that cannot be kept,
// disposes of it after the retention period, with the reason.

// LostStatus is where a found item stands.
type LostStatus string

// The statuses of a found item.
const (
	LostKept     LostStatus = "kept"     // 保管中
	LostReturned LostStatus = "returned" // 已归还失主
	LostPolice   LostStatus = "police"   // 已送交公安机关
	LostDisposed LostStatus = "disposed" // 已按规定处置
)

// LostStatuses lists every status.
var LostStatuses = []LostStatus{LostKept, LostReturned, LostPolice, LostDisposed}

// LostRetentionDays is how long an item is kept before it may be disposed of.
const LostRetentionDays = 90

// LostItem is one found item in the register.
type LostItem struct {
	ID          int64      `json:"id"`
	Ref         string     `json:"ref"` // SW-000012
	Org         string     `json:"org"` // the outlet
	OrgName     string     `json:"org_name"`
	OrgPath     string     `json:"-"`
	Version     int        `json:"version"`
	Status      LostStatus `json:"status"`
	Description string     `json:"description"`
	FoundAt     time.Time  `json:"found_at"`
	Place       string     `json:"place"`
	FoundBy     string     `json:"found_by"` // the name of who found it (staff or customer)
	CCTVRef     string     `json:"cctv_ref,omitempty"`
	KeptAt      string     `json:"kept_at"` // where it is kept
	// Tracing the owner: how (CCTV, the documents in it, a call).
	Traced string `json:"traced,omitempty"`
	// Closing: who received it (returned), the police station and its
	// receipt (police), or the reason (disposed); the ID number masked.
	ReceiverName     string     `json:"receiver_name,omitempty"`
	ReceiverIDType   IDType     `json:"receiver_id_type,omitempty"`
	ReceiverIDNumber string     `json:"receiver_id_number,omitempty"`
	Signed           bool       `json:"signed,omitempty"` // the receiver signed the printed slip
	ClosedNote       string     `json:"closed_note,omitempty"`
	ClosedAt         *time.Time `json:"closed_at,omitempty"`
	ClosedBy         string     `json:"closed_by,omitempty"`
	RecordedBy       string     `json:"recorded_by"`
	CreatedAt        time.Time  `json:"created_at"`
}

// ExportLost names the lost-property register in an export's audit event.
const ExportLost = "lost"

// LostRef is the reference of a found item: SW-000012.
func LostRef(id int64) string { return fmt.Sprintf("SW-%06d", id) }

// ParseLostRef reads a reference (SW-000012) or a bare number.
func ParseLostRef(s string) (int64, bool) { return parseRef("SW-", s) }

// NewLostItem registers a found item.
type NewLostItem struct {
	Org         string    `json:"org"`
	Description string    `json:"description"`
	FoundAt     time.Time `json:"found_at"`
	Place       string    `json:"place"`
	FoundBy     string    `json:"found_by"`
	CCTVRef     string    `json:"cctv_ref,omitempty"`
	KeptAt      string    `json:"kept_at"`
}

// Validate checks a registration, every problem at once.
func (n *NewLostItem) Validate(now time.Time) error {
	var p Problems
	if strings.TrimSpace(n.Org) == "" {
		p.AddKey("org", ProblemRequired)
	}
	n.Description, n.Place, n.FoundBy = strings.TrimSpace(n.Description), strings.TrimSpace(n.Place), strings.TrimSpace(n.FoundBy)
	n.CCTVRef, n.KeptAt = strings.TrimSpace(n.CCTVRef), strings.TrimSpace(n.KeptAt)
	checkText(&p, "description", n.Description, 2, 1000)
	checkText(&p, "place", n.Place, 1, 200)
	checkText(&p, "found_by", n.FoundBy, 1, 100)
	checkText(&p, "cctv_ref", n.CCTVRef, 0, 200)
	checkText(&p, "kept_at", n.KeptAt, 1, 200)
	switch {
	case n.FoundAt.IsZero():
		p.AddKey("found_at", ProblemRequired)
	case n.FoundAt.After(now.Add(5 * time.Minute)):
		p.AddKey("found_at", ProblemFuture)
	}
	return p.Err()
}

// LostStep is a step of a found item after it is registered.
type LostStep string

// The steps.
const (
	LostStepTrace   LostStep = "trace"   // record how the owner is being traced
	LostStepReturn  LostStep = "return"  // handed back to the owner
	LostStepPolice  LostStep = "police"  // handed to the police
	LostStepDispose LostStep = "dispose" // disposed of after the retention period
)

// LostSteps lists every step.
var LostSteps = []LostStep{LostStepTrace, LostStepReturn, LostStepPolice, LostStepDispose}

// LostRequest is one step at the version the caller saw.
type LostRequest struct {
	Step             LostStep `json:"step"`
	Version          int      `json:"version"`
	Note             string   `json:"note,omitempty"` // trace: how; police: the station and receipt; dispose: the reason
	ReceiverName     string   `json:"receiver_name,omitempty"`
	ReceiverIDType   IDType   `json:"receiver_id_type,omitempty"`
	ReceiverIDNumber string   `json:"receiver_id_number,omitempty"`
	Signed           bool     `json:"signed,omitempty"` // return: the receiver signed the slip
}

// LostRule checks a step against the item and today, every problem of the
// input at once: only a kept item moves; a return names the receiver with
// an ID checked and signed for; the police and a disposal say where or why;
// a disposal waits LostRetentionDays from the day it was found.
func LostRule(item *LostItem, req LostRequest, now time.Time) error {
	if !oneOf(req.Step, LostSteps) {
		var p Problems
		p.AddKey("step", ProblemChoice, valueList(LostSteps))
		return p.Err()
	}
	if item.Status != LostKept {
		return Errorf(ECONFLICT, "%s is %s: only an item in keeping moves", item.Ref, item.Status)
	}
	var p Problems
	note := strings.TrimSpace(req.Note)
	switch req.Step {
	case LostStepTrace, LostStepPolice, LostStepDispose:
		checkText(&p, "note", note, 2, 1000)
	case LostStepReturn:
		checkText(&p, "note", note, 0, 1000)
		checkText(&p, "receiver_name", strings.TrimSpace(req.ReceiverName), 1, 100)
		who := Complainant{Name: req.ReceiverName, IDType: req.ReceiverIDType, IDNumber: req.ReceiverIDNumber}
		var idp Problems
		who.validate(&idp)
		for field, problem := range idp.keyed {
			if field == "complainant.id_type" || field == "complainant.id_number" {
				p.AddKey("receiver_"+strings.TrimPrefix(field, "complainant."), problem.Key, problem.Args...)
			}
		}
		if req.ReceiverIDType == "" {
			p.AddKey("receiver_id_type", ProblemRequired)
		}
		if strings.TrimSpace(req.ReceiverIDNumber) == "" {
			p.AddKey("receiver_id_number", ProblemRequired)
		}
		if !req.Signed {
			p.AddKey("signed", ProblemRequired)
		}
	}
	if req.Step == LostStepDispose && now.Sub(item.FoundAt) < LostRetentionDays*24*time.Hour {
		return Errorf(ECONFLICT, "%s was found on %s: it is kept %d days before it may be disposed of", item.Ref,
			item.FoundAt.In(Beijing).Format(time.DateOnly), LostRetentionDays)
	}
	return p.Err()
}

// LostFilter narrows the register.
type LostFilter struct {
	Org    string     // an outlet or a unit above it; "" the caller's scope
	Status LostStatus // "" every status
	From   string     // found on or after, YYYY-MM-DD
	To     string     // found on or before, YYYY-MM-DD
}

// Validate checks the filter's status and dates, every problem at once.
func (f LostFilter) Validate() error {
	var p Problems
	if f.Status != "" && !oneOf(f.Status, LostStatuses) {
		p.AddKey("status", ProblemChoice, valueList(LostStatuses))
	}
	if _, _, err := DayRange(f.From, f.To); err != nil {
		p.AddKey("from", ProblemDate)
	}
	return p.Err()
}

// LostService keeps the lost-property register. Staff of the outlet (any
// case role in scope) register and move items; every step is audited.
type LostService interface {
	// RegisterLost registers a found item in an outlet in scope.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID.
	RegisterLost(ctx context.Context, n NewLostItem) (*LostItem, error)
	// LostItems lists the register, oldest first (at most 1,000 items).
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID.
	LostItems(ctx context.Context, f LostFilter) ([]*LostItem, error)
	// Lost reads one item.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND.
	Lost(ctx context.Context, id int64) (*LostItem, error)
	// StepLost takes a step at the version seen.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, EINVALID, ECONFLICT.
	StepLost(ctx context.Context, id int64, req LostRequest) (*LostItem, error)
}
