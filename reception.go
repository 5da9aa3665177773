package redress

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The reception log (来访接待登记, seed 004 三、客户接待流程): every visit to an
// outlet, a complaint or not, as the lobby manager receives it — 客户到达 (the
// arrival time and who came), 需求确认 (the purpose and the needs confirmed),
// 业务引导 (the guidance given), 资料准备 (the materials checked: complete, or
// what is missing), 业务办理 (the business handled and at which window, and
// how long the visitor waited), 后续跟进 (the follow-up promised) and 客户反馈收集
// (客户离开后，应通过电话或短信等方式进行后续的客户满意度调查: a survey task, kept as
// a return visit is). The visitor's phone and ID number are personal data,
// sealed at rest and masked on every read as a complainant's are. One click
// turns a visit into a case of channel visit carrying what was recorded and
// the visitor registration (来访登记与安全检查, seed 000 4.1; visit.go).

// ReceptionMaterials is what the materials check found (资料准备).
type ReceptionMaterials string

// The results of the materials check.
const (
	MaterialsNotNeeded ReceptionMaterials = "not_needed" // the business needed none
	MaterialsComplete  ReceptionMaterials = "complete"   // 资料齐全
	MaterialsMissing   ReceptionMaterials = "missing"    // 资料缺失: MaterialsMissing says what
)

// ReceptionMaterialsList lists every result of the materials check.
var ReceptionMaterialsList = []ReceptionMaterials{MaterialsNotNeeded, MaterialsComplete, MaterialsMissing}

// ReceptionSurveyDays is how many days after the visit its satisfaction
// survey is due, and ReceptionSurveyAttempts how many unanswered attempts
// end it as unreachable (as the return-visit policy's defaults).
const (
	ReceptionSurveyDays     = 3
	ReceptionSurveyAttempts = 3
)

// MaxWaitMinutes is the longest waiting time a visit records (a working day).
const MaxWaitMinutes = 600

// ReceptionVisitor is who came: the name as told, the phone and the ID
// document. Every read answers the phone and ID number masked.
type ReceptionVisitor struct {
	Name     string `json:"name"`
	Phone    string `json:"phone,omitempty"`
	IDType   IDType `json:"id_type,omitempty"`
	IDNumber string `json:"id_number,omitempty"`
}

// ReceptionVisit is one visit of the reception log.
type ReceptionVisit struct {
	// Incident is, on the answer of logging a visit of 20 or more visitors,
	// the major-complaint incident it opened (incident.go).
	Incident         string             `json:"incident,omitempty"`
	ID               int64              `json:"id"`
	Ref              string             `json:"ref"` // JD-000012
	Org              string             `json:"org"` // the outlet
	OrgName          string             `json:"org_name"`
	OrgPath          string             `json:"-"`
	Version          int                `json:"version"`
	ArrivedAt        time.Time          `json:"arrived_at"`
	Visitor          ReceptionVisitor   `json:"visitor"`
	Purpose          string             `json:"purpose"`            // 来访目的
	Needs            string             `json:"needs,omitempty"`    // 需求确认
	Guidance         string             `json:"guidance,omitempty"` // 业务引导
	Materials        ReceptionMaterials `json:"materials"`
	MaterialsMissing string             `json:"materials_missing,omitempty"`
	Business         string             `json:"business,omitempty"` // the business handled
	Counter          string             `json:"counter,omitempty"`  // where: the counter or window
	WaitMinutes      int                `json:"wait_minutes"`
	FollowUp         string             `json:"follow_up,omitempty"` // 后续跟进: what was promised
	// Visit is the visitor registration (来访登记与安全检查): how many came,
	// their representatives, the ID and security checks, the room.
	Visit *Visit `json:"visit"`
	// Survey is the satisfaction survey task (客户反馈收集), nil for a visitor
	// who left no phone.
	Survey     *ReturnVisit `json:"survey,omitempty"`
	CaseNo     string       `json:"case,omitempty"` // the case it was turned into
	RecordedBy string       `json:"recorded_by"`
	CreatedAt  time.Time    `json:"created_at"`
	UpdatedAt  time.Time    `json:"updated_at"`
}

// ReceptionRef is the reference of a visit: JD-000012.
func ReceptionRef(id int64) string { return fmt.Sprintf("JD-%06d", id) }

// ParseReceptionRef reads a reference (JD-000012) or a bare number.
func ParseReceptionRef(s string) (int64, bool) { return parseRef("JD-", s) }

// NewReceptionVisit is a visit as the lobby manager logs it (and edits it).
type NewReceptionVisit struct {
	Org              string             `json:"org"`
	ArrivedAt        time.Time          `json:"arrived_at"`
	Visitor          ReceptionVisitor   `json:"visitor"`
	Purpose          string             `json:"purpose"`
	Needs            string             `json:"needs,omitempty"`
	Guidance         string             `json:"guidance,omitempty"`
	Materials        ReceptionMaterials `json:"materials,omitempty"` // default not_needed
	MaterialsMissing string             `json:"materials_missing,omitempty"`
	Business         string             `json:"business,omitempty"`
	Counter          string             `json:"counter,omitempty"`
	WaitMinutes      int                `json:"wait_minutes,omitempty"`
	FollowUp         string             `json:"follow_up,omitempty"`
	// Visit is the visitor registration; one visitor, nothing checked, when
	// not given.
	Visit *Visit `json:"visit,omitempty"`
}

// Validate checks a visit, every problem at once, and fills the defaults:
// the outlet and the arrival time (not in the future) are required, a name
// and the purpose; the phone and ID number, when given, are checked as a
// complainant's; missing materials say what is missing; the waiting time is
// 0 to MaxWaitMinutes; the registration is checked as a case's (信访工作条例
// Art.18: five or more choose at most five representatives).
func (n *NewReceptionVisit) Validate(now time.Time) error {
	var p Problems
	if strings.TrimSpace(n.Org) == "" {
		p.AddKey("org", ProblemRequired)
	}
	switch {
	case n.ArrivedAt.IsZero():
		p.AddKey("arrived_at", ProblemRequired)
	case n.ArrivedAt.After(now.Add(5 * time.Minute)):
		p.AddKey("arrived_at", ProblemFuture)
	case n.ArrivedAt.Year() < 2000:
		p.AddKey("arrived_at", ProblemDate)
	}
	who := Complainant{Name: n.Visitor.Name, Phone: n.Visitor.Phone, IDType: n.Visitor.IDType, IDNumber: n.Visitor.IDNumber}
	var wp Problems
	who.validate(&wp)
	for field, problem := range wp.keyed {
		p.AddKey("visitor."+strings.TrimPrefix(field, "complainant."), problem.Key, problem.Args...)
	}
	n.Visitor = ReceptionVisitor{Name: who.Name, Phone: who.Phone, IDType: who.IDType, IDNumber: who.IDNumber}
	n.Purpose, n.Needs, n.Guidance = strings.TrimSpace(n.Purpose), strings.TrimSpace(n.Needs), strings.TrimSpace(n.Guidance)
	n.MaterialsMissing, n.Business, n.Counter = strings.TrimSpace(n.MaterialsMissing), strings.TrimSpace(n.Business), strings.TrimSpace(n.Counter)
	n.FollowUp = strings.TrimSpace(n.FollowUp)
	checkText(&p, "purpose", n.Purpose, 1, 500)
	checkText(&p, "needs", n.Needs, 0, 2000)
	checkText(&p, "guidance", n.Guidance, 0, 2000)
	checkText(&p, "business", n.Business, 0, 200)
	checkText(&p, "counter", n.Counter, 0, 50)
	checkText(&p, "follow_up", n.FollowUp, 0, 2000)
	if n.Materials == "" {
		n.Materials = MaterialsNotNeeded
	}
	switch {
	case !oneOf(n.Materials, ReceptionMaterialsList):
		p.AddKey("materials", ProblemChoice, valueList(ReceptionMaterialsList))
	case n.Materials == MaterialsMissing:
		checkText(&p, "materials_missing", n.MaterialsMissing, 1, 500)
	case n.MaterialsMissing != "":
		p.Add("materials_missing", "only when materials are missing")
	}
	if n.WaitMinutes < 0 || n.WaitMinutes > MaxWaitMinutes {
		p.AddKey("wait_minutes", ProblemRange, "0", strconv.Itoa(MaxWaitMinutes))
	}
	if n.Visit == nil {
		n.Visit = &Visit{Visitors: 1}
	}
	n.Visit.validate(&p)
	return p.Err()
}

// PlanReceptionSurvey is the satisfaction survey task of a visit just
// logged: due ReceptionSurveyDays after the day of the visit, by phone or
// SMS, ending unreachable after ReceptionSurveyAttempts unanswered
// attempts; nil for a visitor who left no phone.
func PlanReceptionSurvey(arrived time.Time, phone string) *ReturnVisit {
	if strings.TrimSpace(phone) == "" {
		return nil
	}
	return &ReturnVisit{Status: VisitOpen, Reasons: []ReturnVisitReason{}, Due: DateOf(arrived).AddDays(ReceptionSurveyDays).String(),
		MaxAttempts: ReceptionSurveyAttempts, Attempts: []ReturnVisitAttempt{}}
}

// ReceptionUpdate is an edit of a visit at the version the caller saw; the
// outlet does not change, and an empty phone or ID number keeps the stored
// one (the answers carry them masked).
type ReceptionUpdate struct {
	Version int `json:"version"`
	NewReceptionVisit
}

// ReceptionEditRule checks an edit of a visit: the outlet stays, and a
// visit turned into a case keeps its registration (the case carries it).
func ReceptionEditRule(v *ReceptionVisit, req *ReceptionUpdate) error {
	if req.Org != "" && req.Org != v.Org {
		var p Problems
		p.Add("org", "a visit stays in its outlet")
		return p.Err()
	}
	req.Org = v.Org
	return nil
}

// ReceptionSurveyRequest records one attempt of a visit's satisfaction
// survey at the version seen, as a return visit's attempt is recorded.
type ReceptionSurveyRequest struct {
	Version      int                `json:"version"`
	VisitMethod  ReturnVisitMethod  `json:"visit_method"`
	VisitOutcome ReturnVisitOutcome `json:"visit_outcome"`
	Satisfaction Satisfaction       `json:"satisfaction,omitempty"`
	Text         string             `json:"text,omitempty"`
}

// ReceptionSurveyRule checks an attempt against the visit and records it
// on the visit's survey (ReturnVisit.Record): the same methods, outcomes
// and satisfactions as a return visit's; a visit with no survey waiting is
// a conflict.
func ReceptionSurveyRule(v *ReceptionVisit, req ReceptionSurveyRequest, by string, at time.Time) error {
	var p Problems
	ar := ActionRequest{Text: req.Text, Satisfaction: req.Satisfaction,
		ReturnVisitRequest: ReturnVisitRequest{VisitMethod: req.VisitMethod, VisitOutcome: req.VisitOutcome}}
	ar.validateAttempt(&p)
	if err := p.Err(); err != nil {
		return err
	}
	if v.Survey == nil || v.Survey.Status != VisitOpen {
		return Errorf(ECONFLICT, "%s has no satisfaction survey waiting", v.Ref)
	}
	_, err := v.Survey.Record(ReturnVisitAttempt{By: by, At: at, Method: req.VisitMethod, Outcome: req.VisitOutcome,
		Satisfaction: req.Satisfaction, Text: strings.TrimSpace(req.Text)})
	return err
}

// ReceptionCaseRequest turns a visit into a case (one click: the kind and a
// subject; the rest is what the visit recorded).
type ReceptionCaseRequest struct {
	Version int  `json:"version"`
	Kind    Kind `json:"kind,omitempty"` // default complaint
	// Subject defaults to the visit's purpose (cut to 200 characters).
	Subject string `json:"subject,omitempty"`
	// Request is what the customer asks for, if they said.
	Request string `json:"request,omitempty"`
}

// ReceptionCase is the registration of the case a visit turns into: channel
// visit, received at the arrival time, in the visit's outlet, the visitor
// (their phone and ID number in clear, as the store opened them) as the
// complainant, the visit's record as the description and its visitor
// registration. A visit already turned into a case is a conflict.
func ReceptionCase(v *ReceptionVisit, visitor ReceptionVisitor, req ReceptionCaseRequest) (NewCase, error) {
	if v.CaseNo != "" {
		return NewCase{}, Errorf(ECONFLICT, "%s was already registered as case %s", v.Ref, v.CaseNo)
	}
	kind := req.Kind
	if kind == "" {
		kind = KindComplaint
	}
	subject := strings.TrimSpace(req.Subject)
	if subject == "" {
		subject = v.Purpose
		if r := []rune(subject); len(r) > 200 {
			subject = string(r[:200])
		}
	}
	reg := Visit{Visitors: 1}
	if v.Visit != nil {
		reg = *v.Visit
	}
	return NewCase{Kind: kind, Channel: ChannelVisit, ReceivedAt: v.ArrivedAt, Org: v.Org,
		Complainant: Complainant{Name: visitor.Name, Phone: visitor.Phone, IDType: visitor.IDType, IDNumber: visitor.IDNumber},
		Subject:     subject, Description: v.Record(), Request: strings.TrimSpace(req.Request), Visit: &reg}, nil
}

// Record is what the visit recorded, as the description of the case it
// turns into: one line per step of the reception, in the seed's words.
func (v *ReceptionVisit) Record() string {
	var b strings.Builder
	line := func(label, text string) {
		if text != "" {
			b.WriteString(label + "：" + text + "\n")
		}
	}
	line("来访接待登记", v.Ref+" "+v.ArrivedAt.In(Beijing).Format("2006-01-02 15:04"))
	line("来访目的", v.Purpose)
	line("需求确认", v.Needs)
	line("业务引导", v.Guidance)
	switch v.Materials {
	case MaterialsComplete:
		line("资料核对", "齐全")
	case MaterialsMissing:
		line("资料核对", "缺失 "+v.MaterialsMissing)
	}
	where := v.Business
	if v.Counter != "" {
		where = strings.TrimSpace(where + "（" + v.Counter + "）")
	}
	line("业务办理", where)
	if v.WaitMinutes > 0 {
		line("等候时间", strconv.Itoa(v.WaitMinutes)+" 分钟")
	}
	line("后续跟进", v.FollowUp)
	return strings.TrimSpace(b.String())
}

// ReceptionFilter narrows the reception log.
type ReceptionFilter struct {
	Org    string            // an outlet or a unit above it; "" the caller's scope
	Day    string            // the day of the visits, YYYY-MM-DD (Beijing); "" every day
	Survey ReturnVisitStatus // "" any; open: the surveys waiting
}

// Validate checks the filter's day and survey status, every problem at once.
func (f ReceptionFilter) Validate() error {
	var p Problems
	if f.Day != "" {
		if _, err := ParseDate(f.Day); err != nil {
			p.AddKey("day", ProblemDate)
		}
	}
	if f.Survey != "" && !oneOf(f.Survey, ReturnVisitStatuses) {
		p.AddKey("survey", ProblemChoice, valueList(ReturnVisitStatuses))
	}
	return p.Err()
}

// ReceptionFigures counts the visits of a unit in a period: how many, how
// many were turned into cases (of them complaints), the average wait over
// the visits that waited, how many were surveyed (answered) and of those
// how many were satisfied or basically satisfied.
type ReceptionFigures struct {
	Org         string  `json:"org"`
	OrgName     string  `json:"org_name"`
	Visits      int     `json:"visits"`
	Cases       int     `json:"cases"`
	Complaints  int     `json:"complaints"`
	WaitMinutes int     `json:"-"` // the sum, for the average
	AverageWait float64 `json:"average_wait_minutes"`
	Surveyed    int     `json:"surveyed"`
	Satisfied   int     `json:"satisfied"`
}

// ReceptionCount is one visit as the summary counts it.
type ReceptionCount struct {
	Kind         Kind // of the case it was turned into; "" none
	WaitMinutes  int
	Survey       ReturnVisitStatus
	Satisfaction Satisfaction
}

// Add counts one visit.
func (f *ReceptionFigures) Add(c ReceptionCount) {
	f.Visits++
	if c.Kind != "" {
		f.Cases++
	}
	if c.Kind == KindComplaint {
		f.Complaints++
	}
	f.WaitMinutes += c.WaitMinutes
	if c.Survey == VisitAnswered {
		f.Surveyed++
		if c.Satisfaction == SatisfactionSatisfied || c.Satisfaction == SatisfactionBasically {
			f.Satisfied++
		}
	}
	f.AverageWait = 0
	if f.Visits > 0 {
		f.AverageWait = float64(int(float64(f.WaitMinutes)/float64(f.Visits)*10+0.5)) / 10
	}
}

// ReceptionSummary is the reception log's summary of a period: the unit
// asked (the caller's when none) and each outlet below it with visits.
type ReceptionSummary struct {
	From  string              `json:"from"`
	To    string              `json:"to"`
	Org   string              `json:"org"`
	Total ReceptionFigures    `json:"total"`
	Units []*ReceptionFigures `json:"units"`
}

// ReceptionService keeps the reception log. Staff of the outlet (any case
// role in scope) log and edit visits, record the surveys and turn visits
// into cases; every change is audited (subject reception).
type ReceptionService interface {
	// LogVisit logs a visit in an outlet in scope.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID.
	LogVisit(ctx context.Context, n NewReceptionVisit) (*ReceptionVisit, error)
	// ReceptionVisits lists the log in arrival order (at most 1,000 visits).
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID.
	ReceptionVisits(ctx context.Context, f ReceptionFilter) ([]*ReceptionVisit, error)
	// ReceptionVisit reads one visit.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND.
	ReceptionVisit(ctx context.Context, id int64) (*ReceptionVisit, error)
	// UpdateVisit edits a visit at the version seen.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, EINVALID, ECONFLICT.
	UpdateVisit(ctx context.Context, id int64, req ReceptionUpdate) (*ReceptionVisit, error)
	// RecordSurvey records an attempt of the visit's satisfaction survey.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, EINVALID, ECONFLICT.
	RecordSurvey(ctx context.Context, id int64, req ReceptionSurveyRequest) (*ReceptionVisit, error)
	// VisitToCase registers the case the visit turns into and links both.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, EINVALID, ECONFLICT.
	VisitToCase(ctx context.Context, id int64, req ReceptionCaseRequest) (*Case, error)
	// VisitOfCase is the visit a case was registered from, nil when none.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND.
	VisitOfCase(ctx context.Context, no string) (*ReceptionVisit, error)
	// ReceptionSummary counts the visits of [from, to] in a unit's subtree
	// (the caller's unit when org is ""), by outlet.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID, ENOTFOUND.
	ReceptionSummary(ctx context.Context, org string, from, to Date) (*ReceptionSummary, error)
}
