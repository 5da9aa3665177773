package redress

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// An emergency incident (突发事件) is what the branch's emergency plan for
// customer quarrels and major complaints handles (seed 003: 客户争吵应急预案;
// CBIRC Order 2020 No.3 Art.29: a major complaint, 重大消费投诉, goes to the
// emergency plan). It names its kind, place, time and the people involved
// (a count and a description without personal data), links the cases it
// concerns, and runs the plan's report chain: the staff on the spot report
// to the emergency team (应急处理小组), the team to the leadership group
// (领导小组), the group to the superior unit and, for a major complaint, to
// the regulator by the plan's deadline. Each step is notified and
// acknowledged by its recipients; an acknowledgement overdue escalates. A
// timeline records what was done on the spot (现场处置), progress reports go
// up (信息发布), and a closing report (cause, actions, outcome, follow-up)
// prints.

// IncidentKind is the kind of an incident.
type IncidentKind string

// The kinds of incident. Every kind but the quarrel is a major complaint
// (Order 3 Art.29).
const (
	IncidentQuarrel      IncidentKind = "quarrel"            // 客户争吵 (seed 003)
	IncidentMajor        IncidentKind = "major_complaint"    // 20 or more people complaining in person
	IncidentDisaster     IncidentKind = "disaster_accident"  // caused by a natural disaster or an accident
	IncidentPublicHealth IncidentKind = "public_health"      // caused by a public-health event
	IncidentRegulator    IncidentKind = "regulator_declared" // so declared by the regulator
)

// IncidentKinds lists every kind.
var IncidentKinds = []IncidentKind{IncidentQuarrel, IncidentMajor, IncidentDisaster, IncidentPublicHealth, IncidentRegulator}

// Major reports whether an incident of kind k is a major complaint: it then
// reports to the regulator by the plan's deadline.
func (k IncidentKind) Major() bool { return k != IncidentQuarrel && oneOf(k, IncidentKinds) }

// MajorCause is what a case's registration says made it a major complaint
// beside its number of visitors: a disaster or accident, a public-health
// event, or the regulator's declaration. "" is none.
type MajorCause string

// MajorCauses lists the causes a registration may name.
var MajorCauses = []MajorCause{MajorCause(IncidentDisaster), MajorCause(IncidentPublicHealth), MajorCause(IncidentRegulator)}

// MajorComplaintVisitors is the number of people complaining together in
// person from which a complaint is major (Order 3 Art.29).
const MajorComplaintVisitors = 20

// MajorComplaintLevel is the escalation level a major complaint starts at:
// the branch head's (level 3), who leads the emergency plan's leadership
// group (seed 003: 领导小组由行长担任组长).
const MajorComplaintLevel = 3

// MajorComplaint says whether a complaint is a major complaint (重大消费投诉,
// CBIRC Order 2020 No.3 Art.29, as DOMAIN.md §3 states it: 20 or more people
// complaining in person, or caused by a disaster, accident or public-health
// event, or so declared by the regulator), and the kind of incident it
// opens: the cause's own kind when one is named, else IncidentMajor.
func MajorComplaint(visitors int, cause MajorCause) (IncidentKind, bool) {
	if cause != "" && oneOf(cause, MajorCauses) {
		return IncidentKind(cause), true
	}
	if visitors >= MajorComplaintVisitors {
		return IncidentMajor, true
	}
	return "", false
}

// MajorComplaintOf says whether a new case is a major complaint: by its
// visit's number of visitors or the cause it names.
func (n *NewCase) MajorComplaintOf() (IncidentKind, bool) {
	visitors := 0
	if n.Visit != nil {
		visitors = n.Visit.Visitors
	}
	return MajorComplaint(visitors, n.MajorCause)
}

// validateMajorCause checks the cause a registration names.
func (n *NewCase) validateMajorCause(p *Problems) {
	if n.MajorCause != "" && !oneOf(n.MajorCause, MajorCauses) {
		p.AddKey("major_cause", ProblemChoice, valueList(MajorCauses))
	}
}

// MarkMajorComplaint raises a case registered as a major complaint to the
// branch head's level (MajorComplaintLevel), urgent and of high risk: the
// emergency plan runs under the branch head, and no major complaint stays
// at the first responder's level unseen.
func MarkMajorComplaint(c *Case) {
	c.MajorComplaint = true
	c.Level = max(c.Level, MajorComplaintLevel)
	c.Priority, c.Risk = PriorityUrgent, RiskHigh
}

// PlanDept is the department a member of the emergency team comes from.
type PlanDept string

// The departments of the emergency team (seed 003: 由客服部、安保部、运营部等
// 部门负责人及业务骨干组成).
const (
	DeptCustomerService PlanDept = "customer_service" // 客服部
	DeptSecurity        PlanDept = "security"         // 安保部
	DeptOperations      PlanDept = "operations"       // 运营部
)

// PlanDepts lists every department; the team has a member from each.
var PlanDepts = []PlanDept{DeptCustomerService, DeptSecurity, DeptOperations}

// PlanMember is one member of the emergency team: a user, and the
// department they come from.
type PlanMember struct {
	Login string   `json:"login"`
	Dept  PlanDept `json:"dept"`
}

// The plan's time limits, as policy values: the regulation says a major
// complaint is reported to the regulator but gives no number of hours, and
// the seed says 立即 (at once) for each report up the chain, so both are the
// plan's own settings with these defaults.
const (
	DefaultAckMinutes       = 30 // a step of the chain is acknowledged within this many minutes
	MaxAckMinutes           = 24 * 60
	DefaultRegulatorHours   = 24 // a major complaint is reported to the regulator within this many hours of opening
	MaxRegulatorHours       = 72
	MaxPlanMembers          = 30
	MaxIncidentCases        = 50
	IncidentPlaceMaxChars   = 200
	IncidentPeopleMaxChars  = 1000
	IncidentTextMaxChars    = 4000
	IncidentClosingMaxChars = 4000
)

// EmergencyPlan is one version of a unit's emergency plan (应急预案): the
// leadership group led by the branch head (领导小组, 组长 行长, 各部门负责人为
// 成员) and the emergency team (应急处理小组: 组长, 副组长, members from
// customer service, security and operations), each a user; and the time
// limits of the report chain. Each edit is a new version; an incident
// records the version it ran under.
type EmergencyPlan struct {
	Org            string       `json:"org"`
	OrgName        string       `json:"org_name"`
	OrgPath        string       `json:"-"`
	Version        int          `json:"version"`
	Leader         string       `json:"leader"`     // 领导小组组长: a branch head
	Leadership     []string     `json:"leadership"` // 领导小组成员
	TeamLeader     string       `json:"team_leader"`
	TeamDeputy     string       `json:"team_deputy"`
	TeamMembers    []PlanMember `json:"team_members"`
	AckMinutes     int          `json:"ack_minutes"`
	RegulatorHours int          `json:"regulator_hours"`
	CreatedBy      string       `json:"created_by"`
	CreatedAt      time.Time    `json:"created_at"`
}

// NewEmergencyPlan is a plan as it is saved (a new version of the unit's).
type NewEmergencyPlan struct {
	Org            string       `json:"org"`
	Leader         string       `json:"leader"`
	Leadership     []string     `json:"leadership,omitempty"`
	TeamLeader     string       `json:"team_leader"`
	TeamDeputy     string       `json:"team_deputy"`
	TeamMembers    []PlanMember `json:"team_members"`
	AckMinutes     int          `json:"ack_minutes,omitempty"`     // 0: DefaultAckMinutes
	RegulatorHours int          `json:"regulator_hours,omitempty"` // 0: DefaultRegulatorHours
}

// Validate checks a plan as typed, every problem at once, and sets the
// default time limits: a leader, a team leader and deputy (two people), a
// team member from each department. It may be called again (the store's
// CheckPlan does).
func (n *NewEmergencyPlan) Validate() error {
	var p Problems
	n.validate(&p)
	return p.Err()
}

func (n *NewEmergencyPlan) validate(p *Problems) {
	n.Org, n.Leader, n.TeamLeader, n.TeamDeputy = strings.TrimSpace(n.Org), strings.TrimSpace(n.Leader), strings.TrimSpace(n.TeamLeader), strings.TrimSpace(n.TeamDeputy)
	for field, v := range map[string]string{"org": n.Org, "leader": n.Leader, "team_leader": n.TeamLeader, "team_deputy": n.TeamDeputy} {
		if v == "" {
			p.AddKey(field, ProblemRequired)
		}
	}
	if n.TeamLeader != "" && n.TeamLeader == n.TeamDeputy {
		p.AddKey("team_deputy", ProblemTaken)
	}
	n.Leadership = trimLogins(n.Leadership)
	if len(n.Leadership) > MaxPlanMembers || len(n.TeamMembers) > MaxPlanMembers {
		p.AddKey("team_members", ProblemRange, "1", strconv.Itoa(MaxPlanMembers))
	}
	depts := map[PlanDept]bool{}
	members := n.TeamMembers[:0:0]
	for _, m := range n.TeamMembers {
		m.Login = strings.TrimSpace(m.Login)
		if m.Login == "" {
			continue
		}
		if !oneOf(m.Dept, PlanDepts) {
			p.AddKey("team_members", ProblemChoice, valueList(PlanDepts))
			continue
		}
		depts[m.Dept] = true
		members = append(members, m)
	}
	n.TeamMembers = members
	for _, d := range PlanDepts {
		if !depts[d] {
			p.AddKey("team_members", ProblemRequired)
			break
		}
	}
	if n.AckMinutes == 0 {
		n.AckMinutes = DefaultAckMinutes
	}
	if n.AckMinutes < 1 || n.AckMinutes > MaxAckMinutes {
		p.AddKey("ack_minutes", ProblemRange, "1", strconv.Itoa(MaxAckMinutes))
	}
	if n.RegulatorHours == 0 {
		n.RegulatorHours = DefaultRegulatorHours
	}
	if n.RegulatorHours < 1 || n.RegulatorHours > MaxRegulatorHours {
		p.AddKey("regulator_hours", ProblemRange, "1", strconv.Itoa(MaxRegulatorHours))
	}
}

func trimLogins(list []string) []string {
	out := list[:0:0]
	for _, l := range list {
		if l = strings.TrimSpace(l); l != "" && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

// CheckPlan checks a plan as Validate does and the people it names against
// the users they are (by login; nil when unknown) and the unit's path, every
// problem at once: every one active and
// of the unit, a unit below it or above it; the leader a branch head (行长
// 担任组长); the team leader a branch head or manager (行长或指定副行长); the
// deputy a manager (客服部经理).
func CheckPlan(n *NewEmergencyPlan, orgPath string, users map[string]*User) error {
	var p Problems
	n.validate(&p)
	of := func(login string) *User {
		u := users[login]
		if u == nil || u.Disabled || !(InSubtree(u.OrgPath, orgPath) || InSubtree(orgPath, u.OrgPath)) {
			return nil
		}
		return u
	}
	check := func(field, login string, roles ...Role) {
		if login == "" {
			return
		}
		if u := of(login); u == nil || (len(roles) > 0 && !slices.Contains(roles, u.Role)) {
			p.AddKey(field, ProblemNoSuchUser, login)
		}
	}
	check("leader", n.Leader, RoleBranchHead)
	check("team_leader", n.TeamLeader, RoleBranchHead, RoleManager)
	check("team_deputy", n.TeamDeputy, RoleManager, RoleBranchHead)
	for _, l := range n.Leadership {
		check("leadership", l)
	}
	for _, m := range n.TeamMembers {
		check("team_members", m.Login)
	}
	return p.Err()
}

// MayEditPlan reports whether a role edits the emergency plans of its
// scope: the administrators, the unit heads and the complaint managers.
func MayEditPlan(r Role) bool { return r == RoleAdmin || r == RoleBranchHead || r == RoleManager }

// Team lists the emergency team's logins: leader, deputy, members.
func (p *EmergencyPlan) Team() []string {
	out := []string{p.TeamLeader, p.TeamDeputy}
	for _, m := range p.TeamMembers {
		out = append(out, m.Login)
	}
	return trimLogins(out)
}

// Group lists the leadership group's logins: the leader, then members.
func (p *EmergencyPlan) Group() []string {
	return trimLogins(append([]string{p.Leader}, p.Leadership...))
}

// ChainStep is one step of an incident's report chain (信息报告).
type ChainStep string

// The steps, in order: the staff on the spot report to the emergency team,
// the team to the leadership group, the group to the superior unit; a major
// complaint is also reported to the regulator by the plan's deadline.
const (
	StepTeam       ChainStep = "team"       // 现场工作人员 → 应急处理小组
	StepLeadership ChainStep = "leadership" // 应急处理小组 → 领导小组
	StepSuperior   ChainStep = "superior"   // 领导小组 → 上级机构
	StepRegulator  ChainStep = "regulator"  // 向监管机构报告 (major complaints)
)

// ChainFor lists the steps of an incident of kind k, in order.
func ChainFor(k IncidentKind) []ChainStep {
	steps := []ChainStep{StepTeam, StepLeadership, StepSuperior}
	if k.Major() {
		steps = append(steps, StepRegulator)
	}
	return steps
}

// StepsOnOpen are the steps notified when an incident opens: the team at
// once (立即报告) and, for a major complaint, the regulator's deadline to
// the leadership group, which runs from the opening whatever the chain does.
func StepsOnOpen(k IncidentKind) []ChainStep {
	if k.Major() {
		return []ChainStep{StepTeam, StepRegulator}
	}
	return []ChainStep{StepTeam}
}

// NextStep is the step notified when step is acknowledged, or "" (the
// team's acknowledgement reports to the leadership group, the group's to the
// superior unit).
func NextStep(step ChainStep) ChainStep {
	switch step {
	case StepTeam:
		return StepLeadership
	case StepLeadership:
		return StepSuperior
	}
	return ""
}

// StepDue is when a step notified at notified must be acknowledged: the
// regulator's report RegulatorHours after the incident opened, every other
// step AckMinutes after it was notified.
func StepDue(step ChainStep, opened, notified time.Time, ackMinutes, regulatorHours int) time.Time {
	if step == StepRegulator {
		return opened.Add(time.Duration(regulatorHours) * time.Hour)
	}
	return notified.Add(time.Duration(ackMinutes) * time.Minute)
}

// IncidentStep is one step of an incident's chain as it stands.
type IncidentStep struct {
	Step       ChainStep  `json:"step"`
	To         []string   `json:"to"` // the recipients' logins
	NotifiedAt *time.Time `json:"notified_at,omitempty"`
	DueAt      *time.Time `json:"due_at,omitempty"`
	AckBy      string     `json:"ack_by,omitempty"`
	AckAt      *time.Time `json:"ack_at,omitempty"`
	Note       string     `json:"note,omitempty"` // the regulator's reference, or what was said
	// EscalatedAt is when its overdue acknowledgement was escalated (once).
	EscalatedAt *time.Time `json:"escalated_at,omitempty"`
	Overdue     bool       `json:"overdue"`
}

// IncidentStatus is where an incident stands.
type IncidentStatus string

// The statuses of an incident.
const (
	IncidentOpen   IncidentStatus = "open"   // 处置中
	IncidentClosed IncidentStatus = "closed" // 已结束: with its closing report
)

// IncidentStatuses lists every status.
var IncidentStatuses = []IncidentStatus{IncidentOpen, IncidentClosed}

// IncidentMeasure is an action on the spot recorded on the timeline.
type IncidentMeasure string

// The actions of the plan's 现场处置 (seed 003).
const (
	MeasureSoothe   IncidentMeasure = "soothe"     // 安抚客户情绪
	MeasureSecurity IncidentMeasure = "security"   // 安保人员维持现场秩序
	MeasureQuiet    IncidentMeasure = "quiet_room" // 将客户带至安静区域
	MeasureMediate  IncidentMeasure = "mediate"    // 工作人员进行调解
	MeasureVerify   IncidentMeasure = "verify"     // 通知相关部门进行业务核实
	MeasureOther    IncidentMeasure = "other"      // 其他
)

// IncidentMeasures lists every action.
var IncidentMeasures = []IncidentMeasure{MeasureSoothe, MeasureSecurity, MeasureQuiet, MeasureMediate, MeasureVerify, MeasureOther}

// IncidentEntry is one action on the timeline: what, who, when.
type IncidentEntry struct {
	Measure IncidentMeasure `json:"measure"`
	Text    string          `json:"text"`
	By      string          `json:"by"`
	At      time.Time       `json:"at"`
}

// IncidentClosing is the closing report (处置报告).
type IncidentClosing struct {
	Cause    string    `json:"cause"`
	Actions  string    `json:"actions"`
	Outcome  string    `json:"outcome"`
	FollowUp string    `json:"follow_up"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
}

// Incident is one emergency incident as stored and answered.
type Incident struct {
	ID         int64          `json:"id"`
	Ref        string         `json:"ref"` // TF-000012
	Kind       IncidentKind   `json:"kind"`
	Status     IncidentStatus `json:"status"`
	Version    int            `json:"version"`
	Org        string         `json:"org"`
	OrgName    string         `json:"org_name"`
	OrgPath    string         `json:"-"`
	Place      string         `json:"place"`
	OccurredAt time.Time      `json:"occurred_at"`
	People     int            `json:"people"`
	PeopleNote string         `json:"people_note,omitempty"`
	Cases      []string       `json:"cases"`
	// PlanVersion is the version of the plan it ran under (of PlanOrg, the
	// unit or the nearest above with a plan); 0 when no unit had one: the
	// chain then goes to the managers and the branch heads by role.
	PlanOrg     string           `json:"plan_org,omitempty"`
	PlanVersion int              `json:"plan_version"`
	Chain       []IncidentStep   `json:"chain"`
	Timeline    []IncidentEntry  `json:"timeline"`
	Reports     []Entry          `json:"reports"` // 信息发布: progress reported up
	Closing     *IncidentClosing `json:"closing,omitempty"`
	CreatedBy   string           `json:"created_by"`
	CreatedAt   time.Time        `json:"created_at"`
	UpdatedAt   time.Time        `json:"updated_at"`
	Major       bool             `json:"major_complaint"`
}

// ExportIncidents names the incident register in an export's audit event.
const ExportIncidents = "incidents"

// IncidentRef is the reference people quote: TF-000012 (突发).
func IncidentRef(id int64) string { return fmt.Sprintf("TF-%06d", id) }

// ParseIncidentRef reads a reference (TF-000012) or a bare number.
func ParseIncidentRef(s string) (int64, bool) { return parseRef("TF-", s) }

// StepOf returns the incident's step, or nil.
func (i *Incident) StepOf(step ChainStep) *IncidentStep {
	for k := range i.Chain {
		if i.Chain[k].Step == step {
			return &i.Chain[k]
		}
	}
	return nil
}

// MarkOverdue sets each step's Overdue as of now: notified, not
// acknowledged, past its due time, the incident open.
func (i *Incident) MarkOverdue(now time.Time) {
	i.Major = i.Kind.Major()
	for k := range i.Chain {
		s := &i.Chain[k]
		s.Overdue = i.Status == IncidentOpen && s.AckAt == nil && s.DueAt != nil && s.DueAt.Before(now)
	}
}

// MaySeeIncident reports whether u sees an incident: its unit in their
// scope, or a recipient of one of its steps.
func MaySeeIncident(i *Incident, u *User) bool {
	if u == nil {
		return false
	}
	if InSubtree(i.OrgPath, u.OrgPath) {
		return true
	}
	for _, s := range i.Chain {
		if slices.Contains(s.To, u.Login) {
			return true
		}
	}
	return false
}

// MayOpenIncident reports whether a role registers incidents: whoever
// registers cases (the staff on the spot report it).
func MayOpenIncident(r Role) bool { return MayRegister(r) }

// personalData finds what looks like a resident ID or a mobile number in
// free text: an incident's people are described without them.
var personalData = regexp.MustCompile(`[1-9][0-9]{5}(19|20)[0-9]{2}[0-9]{7}[0-9Xx]|1[3-9][0-9]{9}`)

// NewIncident is an incident as it is registered.
type NewIncident struct {
	Kind       IncidentKind `json:"kind"`
	Org        string       `json:"org,omitempty"` // default: the caller's unit
	Place      string       `json:"place"`
	OccurredAt time.Time    `json:"occurred_at"`
	People     int          `json:"people"`
	PeopleNote string       `json:"people_note,omitempty"`
	Cases      []string     `json:"cases,omitempty"`
}

// Validate checks an incident as registered, every problem at once, given
// the current time; it trims the texts and the case numbers.
func (n *NewIncident) Validate(now time.Time) error {
	var p Problems
	if !oneOf(n.Kind, IncidentKinds) {
		p.AddKey("kind", ProblemChoice, valueList(IncidentKinds))
	}
	n.Place, n.PeopleNote = strings.TrimSpace(n.Place), strings.TrimSpace(n.PeopleNote)
	checkText(&p, "place", n.Place, 1, IncidentPlaceMaxChars)
	checkText(&p, "people_note", n.PeopleNote, 0, IncidentPeopleMaxChars)
	if personalData.MatchString(n.PeopleNote) {
		p.AddKey("people_note", ProblemPersonalData)
	}
	switch {
	case n.OccurredAt.IsZero():
		p.AddKey("occurred_at", ProblemRequired)
	case n.OccurredAt.After(now.Add(5 * time.Minute)):
		p.AddKey("occurred_at", ProblemFuture)
	case n.OccurredAt.Year() < 2000:
		p.AddKey("occurred_at", ProblemRange, "2000-01-01", "now")
	}
	if n.People < 1 || n.People > MaxVisitors {
		p.AddKey("people", ProblemRange, "1", strconv.Itoa(MaxVisitors))
	}
	if len(n.Cases) > MaxIncidentCases {
		p.AddKey("cases", ProblemRange, "0", strconv.Itoa(MaxIncidentCases))
	}
	cases := n.Cases[:0:0]
	for _, no := range n.Cases {
		if no = strings.TrimSpace(no); no == "" || slices.Contains(cases, no) {
			continue
		}
		if !ValidTrackingNumber(no) {
			p.AddKey("cases", ProblemNoSuchCase, no)
			continue
		}
		cases = append(cases, no)
	}
	n.Cases = cases
	return p.Err()
}

// IncidentCommand is what is done to an open incident.
type IncidentCommand string

// The commands.
const (
	CmdAcknowledge IncidentCommand = "acknowledge" // a recipient acknowledges a step (the regulator's: reported, with its reference)
	CmdRecord      IncidentCommand = "record"      // an action on the timeline
	CmdReport      IncidentCommand = "report"      // a progress report up (信息发布)
	CmdClose       IncidentCommand = "close"       // the closing report
)

// IncidentCommands lists every command.
var IncidentCommands = []IncidentCommand{CmdAcknowledge, CmdRecord, CmdReport, CmdClose}

// IncidentRequest is one command, at the version the caller saw.
type IncidentRequest struct {
	Command  IncidentCommand `json:"command"`
	Version  int             `json:"version"`
	Step     ChainStep       `json:"step,omitempty"`    // acknowledge
	Measure  IncidentMeasure `json:"measure,omitempty"` // record
	Text     string          `json:"text,omitempty"`    // record, report; acknowledge's note
	Cause    string          `json:"cause,omitempty"`   // close
	Actions  string          `json:"actions,omitempty"`
	Outcome  string          `json:"outcome,omitempty"`
	FollowUp string          `json:"follow_up,omitempty"`
}

// mayLead reports whether u directs the incident: a recipient of the team
// or leadership step, or a manager, unit head or head office in scope.
func (i *Incident) mayLead(u *User) bool {
	for _, step := range []ChainStep{StepTeam, StepLeadership} {
		if s := i.StepOf(step); s != nil && slices.Contains(s.To, u.Login) {
			return true
		}
	}
	return InSubtree(i.OrgPath, u.OrgPath) && (u.Role == RoleManager || u.Role == RoleBranchHead || u.Role == RoleHQService)
}

// IncidentRule checks a command against the incident and the acting user,
// every problem of the caller's input at once. It is the one guard: the
// store calls it inside the transaction, the pages through
// IncidentCommandsFor.
func IncidentRule(i *Incident, u *User, req IncidentRequest) error {
	if u == nil {
		return Errorf(EUNAUTHORIZED, "sign in first")
	}
	if !MaySeeIncident(i, u) {
		return Errorf(ENOTFOUND, "incident %s not found", i.Ref)
	}
	if !oneOf(req.Command, IncidentCommands) {
		var p Problems
		p.AddKey("command", ProblemChoice, valueList(IncidentCommands))
		return p.Err()
	}
	if i.Status != IncidentOpen {
		return Errorf(ECONFLICT, "incident %s is closed", i.Ref)
	}
	var p Problems
	switch req.Command {
	case CmdAcknowledge:
		s := i.StepOf(req.Step)
		switch {
		case s == nil:
			p.AddKey("step", ProblemChoice, valueList(ChainFor(i.Kind)))
		case s.NotifiedAt == nil:
			return Errorf(ECONFLICT, "step %s of %s has not been reported yet", req.Step, i.Ref)
		case !slices.Contains(s.To, u.Login):
			return Errorf(EFORBIDDEN, "step %s of %s is acknowledged by its recipients", req.Step, i.Ref)
		case s.AckAt != nil:
			return Errorf(ECONFLICT, "step %s of %s was acknowledged by %s", req.Step, i.Ref, s.AckBy)
		}
		checkText(&p, "text", req.Text, 0, IncidentTextMaxChars)
		if req.Step == StepRegulator && strings.TrimSpace(req.Text) == "" {
			p.AddKey("text", ProblemRequired) // how and to whom it was reported
		}
	case CmdRecord:
		if !oneOf(req.Measure, IncidentMeasures) {
			p.AddKey("measure", ProblemChoice, valueList(IncidentMeasures))
		}
		checkText(&p, "text", req.Text, 0, IncidentTextMaxChars)
		if req.Measure == MeasureOther && strings.TrimSpace(req.Text) == "" {
			p.AddKey("text", ProblemRequired)
		}
	case CmdReport:
		checkText(&p, "text", req.Text, 2, IncidentTextMaxChars)
	case CmdClose:
		if !i.mayLead(u) {
			return Errorf(EFORBIDDEN, "the emergency team, the leadership group or a manager closes %s", i.Ref)
		}
		for field, v := range map[string]string{"cause": req.Cause, "actions": req.Actions, "outcome": req.Outcome, "follow_up": req.FollowUp} {
			checkText(&p, field, v, 2, IncidentClosingMaxChars)
		}
	}
	return p.Err()
}

// IncidentCommandsFor lists the commands u may give now, as IncidentRule
// allows them (the texts aside); an acknowledgement for each step u may
// acknowledge is answered by AckSteps.
func IncidentCommandsFor(i *Incident, u *User) []IncidentCommand {
	var out []IncidentCommand
	for _, c := range []IncidentCommand{CmdRecord, CmdReport, CmdClose} {
		req := IncidentRequest{Command: c, Measure: MeasureSoothe, Text: "xx", Cause: "xx", Actions: "xx", Outcome: "xx", FollowUp: "xx"}
		if IncidentRule(i, u, req) == nil {
			out = append(out, c)
		}
	}
	return out
}

// AckSteps lists the steps u may acknowledge now.
func AckSteps(i *Incident, u *User) []ChainStep {
	var out []ChainStep
	for _, s := range i.Chain {
		if IncidentRule(i, u, IncidentRequest{Command: CmdAcknowledge, Step: s.Step, Text: "xx"}) == nil {
			out = append(out, s.Step)
		}
	}
	return out
}

// IncidentFilter narrows a list of incidents.
type IncidentFilter struct {
	Status IncidentStatus // "" any
	Limit  int            // 1–200, default 50
	Before int64          // cursor: incidents with a smaller id
}

// Validate checks a list's filter and sets the default limit.
func (f *IncidentFilter) Validate() error {
	var p Problems
	if f.Status != "" && !oneOf(f.Status, IncidentStatuses) {
		p.AddKey("status", ProblemChoice, valueList(IncidentStatuses))
	}
	if f.Limit == 0 {
		f.Limit = 50
	}
	if f.Limit < 1 || f.Limit > 200 {
		p.AddKey("limit", ProblemRange, "1", "200")
	}
	return p.Err()
}

// IncidentPage is a page of incidents, newest first.
type IncidentPage struct {
	Incidents  []*Incident `json:"incidents"`
	NextBefore int64       `json:"next_before,omitempty"`
}

// The notices of incidents, in-app.
const (
	NotifyIncidentStep      NotifyKind = "incident_step"      // a step's recipients: acknowledge the report
	NotifyIncidentReport    NotifyKind = "incident_report"    // a progress report, to the group and the superior
	NotifyIncidentEscalated NotifyKind = "incident_escalated" // an acknowledgement overdue, to the recipients and the superior's managers
)

// IncidentService keeps the incidents and the emergency plans. Every method
// checks the acting user's role and scope; an incident outside the scope is
// not found.
type IncidentService interface {
	// OpenIncident registers an incident and starts its chain; audited as
	// incident.open.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID.
	OpenIncident(ctx context.Context, n NewIncident) (*Incident, error)
	// Incident reads one incident.
	// Errors: EUNAUTHORIZED, ENOTFOUND.
	Incident(ctx context.Context, id int64) (*Incident, error)
	// ListIncidents lists incidents in scope, newest first.
	// Errors: EUNAUTHORIZED, EINVALID.
	ListIncidents(ctx context.Context, f IncidentFilter) (*IncidentPage, error)
	// ActIncident gives one command at the version the caller saw (a stale
	// version is ECONFLICT), audited as incident.<command>.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, EINVALID, ECONFLICT.
	ActIncident(ctx context.Context, id int64, req IncidentRequest) (*Incident, error)
	// IncidentsOfCase lists the incidents that link a case, those the
	// caller may see.
	// Errors: EUNAUTHORIZED.
	IncidentsOfCase(ctx context.Context, no string) ([]*Incident, error)
	// Plan reads the plan in force for a unit (its own, else the nearest
	// above); nil when none; version 0 the latest.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND.
	Plan(ctx context.Context, org string, version int) (*EmergencyPlan, error)
	// SavePlan saves a new version of a unit's plan; audited as plan.save.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID.
	SavePlan(ctx context.Context, n NewEmergencyPlan) (*EmergencyPlan, error)
}
