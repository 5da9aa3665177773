package redress

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Training records (培训记录): the bank trains the people who receive
// customers and handle complaints, and assesses them on it (seed 004 §6
// 培训与考核: 应定期开展培训，内容涵盖客户服务技巧、业务知识、沟通能力等;
// seed 001 培训管理: 定期开展投诉处理的专业培训; seed 003: 培训内容应该包括客户服务
// 技巧、纠纷解决技巧和沟通技巧). A session is planned with its roster, then the
// organiser records who attended and each attendee's test result; the
// month's attendance appears beside each person's and unit's figures in the
// staff assessment (考核).

// TrainingTopic is what a session taught.
type TrainingTopic string

// The topics, from the seeds' lists.
const (
	TopicServiceSkills      TrainingTopic = "service_skills"      // 客户服务技巧
	TopicBusiness           TrainingTopic = "business_knowledge"  // 业务知识
	TopicCommunication      TrainingTopic = "communication"       // 沟通能力
	TopicDisputes           TrainingTopic = "dispute_resolution"  // 纠纷解决技巧
	TopicComplaintRules     TrainingTopic = "complaint_rules"     // 投诉处理制度与流程
	TopicConsumerProtection TrainingTopic = "consumer_protection" // 消费者权益保护
	TopicPrivacy            TrainingTopic = "privacy"             // 客户信息保护
	TopicEmergency          TrainingTopic = "emergency"           // 突发事件应急处置
	TopicOther              TrainingTopic = "other"               // 其他
)

// TrainingTopics lists every topic.
var TrainingTopics = []TrainingTopic{TopicServiceSkills, TopicBusiness, TopicCommunication, TopicDisputes, TopicComplaintRules,
	TopicConsumerProtection, TopicPrivacy, TopicEmergency, TopicOther}

// TrainingForm is how a session was given.
type TrainingForm string

// The forms.
const (
	TrainingInPerson TrainingForm = "in_person" // 现场培训
	TrainingOnline   TrainingForm = "online"    // 线上培训
)

// TrainingForms lists every form.
var TrainingForms = []TrainingForm{TrainingInPerson, TrainingOnline}

// TrainingStatus is where a session stands: planned until its attendance
// is recorded, then held.
type TrainingStatus string

// The statuses.
const (
	TrainingPlanned TrainingStatus = "planned" // 计划
	TrainingHeld    TrainingStatus = "held"    // 已举办
)

// TrainingStatuses lists every status.
var TrainingStatuses = []TrainingStatus{TrainingPlanned, TrainingHeld}

// The bounds of a session: its length in hours (in half hours), its roster,
// and the default pass mark of its test.
const (
	TrainingMaxHours     = 24
	TrainingMaxAttendees = 500
	TrainingPassMark     = 60
)

// TrainingSession is one session of the register.
type TrainingSession struct {
	ID        int64           `json:"id"`
	Ref       string          `json:"ref"` // PX-000012
	Org       string          `json:"org"` // the unit that held it
	OrgName   string          `json:"org_name"`
	OrgPath   string          `json:"-"`
	Version   int             `json:"version"`
	Status    TrainingStatus  `json:"status"`
	Title     string          `json:"title"`
	Topics    []TrainingTopic `json:"topics"`
	HeldOn    string          `json:"held_on"` // YYYY-MM-DD
	Hours     float64         `json:"hours"`
	Trainer   string          `json:"trainer"`
	Form      TrainingForm    `json:"form"`
	Notes     string          `json:"notes,omitempty"`
	PassMark  int             `json:"pass_mark"` // the least test score that passes
	Attendees []TrainingSeat  `json:"attendees"`
	// RecordedBy planned it; AttendanceBy recorded who came.
	RecordedBy   string     `json:"recorded_by"`
	AttendanceBy string     `json:"attendance_by,omitempty"`
	AttendanceAt *time.Time `json:"attendance_at,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
}

// TrainingSeat is one person on a session's roster: whether they attended
// and their test score (nil: not tested).
type TrainingSeat struct {
	Login    string `json:"login"`
	Name     string `json:"name"`
	Org      string `json:"org"`
	Attended bool   `json:"attended"`
	Score    *int   `json:"score,omitempty"`
	Passed   bool   `json:"passed"` // attended with a score at least the pass mark
}

// TrainingRef is the reference of a session: PX-000012.
func TrainingRef(id int64) string { return fmt.Sprintf("PX-%06d", id) }

// ParseTrainingRef reads a reference (PX-000012) or a bare number.
func ParseTrainingRef(s string) (int64, bool) { return parseRef("PX-", s) }

// NewTrainingSession plans a session: the unit that holds it, what it
// teaches, when, how long, who trains, and the roster (logins).
type NewTrainingSession struct {
	Org       string          `json:"org"`
	Title     string          `json:"title"`
	Topics    []TrainingTopic `json:"topics"`
	HeldOn    string          `json:"held_on"`
	Hours     float64         `json:"hours"`
	Trainer   string          `json:"trainer"`
	Form      TrainingForm    `json:"form"`
	Notes     string          `json:"notes,omitempty"`
	PassMark  *int            `json:"pass_mark,omitempty"` // default TrainingPassMark
	Attendees []string        `json:"attendees"`
}

// Validate checks a plan, every problem at once, and tidies it: the texts
// trimmed, the topics and the roster without repeats, the pass mark set.
func (n *NewTrainingSession) Validate() error {
	var p Problems
	n.Org, n.Title, n.Trainer, n.Notes = strings.TrimSpace(n.Org), strings.TrimSpace(n.Title), strings.TrimSpace(n.Trainer), strings.TrimSpace(n.Notes)
	if n.Org == "" {
		p.AddKey("org", ProblemRequired)
	}
	checkText(&p, "title", n.Title, 2, 200)
	checkText(&p, "trainer", n.Trainer, 1, 100)
	checkText(&p, "notes", n.Notes, 0, 2000)
	n.Topics = unique(n.Topics)
	switch {
	case len(n.Topics) == 0:
		p.AddKey("topics", ProblemRequired)
	default:
		for _, t := range n.Topics {
			if !oneOf(t, TrainingTopics) {
				p.AddKey("topics", ProblemChoice, valueList(TrainingTopics))
				break
			}
		}
	}
	if _, err := ParseDate(n.HeldOn); err != nil {
		p.AddKey("held_on", ProblemDate)
	}
	if !validHours(n.Hours) {
		p.AddKey("hours", ProblemRange, "0.5", strconv.Itoa(TrainingMaxHours))
	}
	if !oneOf(n.Form, TrainingForms) {
		p.AddKey("form", ProblemChoice, valueList(TrainingForms))
	}
	if n.PassMark == nil {
		mark := TrainingPassMark
		n.PassMark = &mark
	} else if *n.PassMark < 0 || *n.PassMark > 100 {
		p.AddKey("pass_mark", ProblemRange, "0", "100")
	}
	for i := range n.Attendees {
		n.Attendees[i] = strings.TrimSpace(n.Attendees[i])
	}
	n.Attendees = unique(n.Attendees)
	switch {
	case len(n.Attendees) == 0:
		p.AddKey("attendees", ProblemRequired)
	case len(n.Attendees) > TrainingMaxAttendees:
		p.AddKey("attendees", ProblemRange, "1", strconv.Itoa(TrainingMaxAttendees))
	}
	return p.Err()
}

// validHours reports whether h is a session length: half hours from 0.5
// to TrainingMaxHours.
func validHours(h float64) bool {
	return !math.IsNaN(h) && h >= 0.5 && h <= TrainingMaxHours && math.Mod(h*2, 1) == 0
}

// unique keeps the first of each value, in order, without the empty ones.
func unique[T comparable](list []T) []T {
	var zero T
	seen := map[T]bool{}
	out := list[:0]
	for _, v := range list {
		if v != zero && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// TrainingAttendance records who attended a session and their scores, at
// the version seen. Every person on the roster is named once.
type TrainingAttendance struct {
	Version   int                `json:"version"`
	Attendees []AttendanceRecord `json:"attendees"`
}

// AttendanceRecord is one person's attendance.
type AttendanceRecord struct {
	Login    string `json:"login"`
	Attended bool   `json:"attended"`
	Score    *int   `json:"score,omitempty"` // 0–100; only for who attended
}

// TrainingAttendanceRule checks an attendance record against the session
// and today: a session is recorded once it has been held (on or after its
// day), every person on the roster exactly once and nobody else, a score
// 0–100 for who attended (an absentee's score is dropped). It answers the
// records by login.
func TrainingAttendanceRule(s *TrainingSession, a TrainingAttendance, today Date) (map[string]AttendanceRecord, error) {
	held, err := ParseDate(s.HeldOn)
	if err != nil {
		return nil, fmt.Errorf("session %s: held on %q: %w", s.Ref, s.HeldOn, err)
	}
	if today.Before(held) {
		return nil, Errorf(ECONFLICT, "%s is held on %s: its attendance is recorded on that day or after", s.Ref, s.HeldOn)
	}
	var p Problems
	roster := map[string]bool{}
	for _, seat := range s.Attendees {
		roster[seat.Login] = true
	}
	out := map[string]AttendanceRecord{}
	for _, r := range a.Attendees {
		r.Login = strings.TrimSpace(r.Login)
		if !r.Attended {
			r.Score = nil
		}
		_, twice := out[r.Login]
		switch {
		case !roster[r.Login]:
			p.AddKey("attendees", ProblemUnknown, r.Login)
		case twice:
			p.AddKey("attendees", ProblemTaken, r.Login)
		case r.Score != nil && (*r.Score < 0 || *r.Score > 100):
			p.AddKey("attendees."+r.Login+".score", ProblemRange, "0", "100")
		}
		out[r.Login] = r
	}
	for _, seat := range s.Attendees {
		if _, ok := out[seat.Login]; !ok {
			p.AddKey("attendees", ProblemRequired)
			break
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// Passed reports whether an attendee passed: attended, and a score at least
// the pass mark (nobody passes untested).
func (s *TrainingSession) Passed(seat TrainingSeat) bool {
	return seat.Attended && seat.Score != nil && *seat.Score >= s.PassMark
}

// TrainingFilter narrows the register.
type TrainingFilter struct {
	Org    string         // the unit that held it, with its subtree; "" the caller's scope
	Status TrainingStatus // "" every status
	Topic  TrainingTopic  // "" every topic
	From   string         // held on or after, YYYY-MM-DD
	To     string         // held on or before, YYYY-MM-DD
	Login  string         // only sessions with this person on the roster
}

// Validate checks the filter's values, every problem at once.
func (f TrainingFilter) Validate() error {
	var p Problems
	if f.Status != "" && !oneOf(f.Status, TrainingStatuses) {
		p.AddKey("status", ProblemChoice, valueList(TrainingStatuses))
	}
	if f.Topic != "" && !oneOf(f.Topic, TrainingTopics) {
		p.AddKey("topic", ProblemChoice, valueList(TrainingTopics))
	}
	if _, _, err := DayRange(f.From, f.To); err != nil {
		p.AddKey("from", ProblemDate)
	}
	return p.Err()
}

// TrainingFigures are one person's (or one unit's staff's) training in a
// period: the sessions attended, their hours, the sessions missed, and the
// tests passed and failed. They stand beside the assessment's figures and
// do not enter its score.
type TrainingFigures struct {
	Sessions int     `json:"sessions"`
	Hours    float64 `json:"hours"`
	Absent   int     `json:"absent"`
	Passed   int     `json:"passed"`
	Failed   int     `json:"failed"`
}

// AddSeat counts one seat of a held session of the given length.
func (f *TrainingFigures) AddSeat(s *TrainingSession, seat TrainingSeat) {
	if !seat.Attended {
		f.Absent++
		return
	}
	f.Sessions++
	f.Hours += s.Hours
	if seat.Score != nil {
		if s.Passed(seat) {
			f.Passed++
		} else {
			f.Failed++
		}
	}
}

// ExportTraining names the training register in an export's audit event.
const ExportTraining = "training"

// PlansTraining reports whether the role keeps the training register: the
// complaint managers, branch heads and head office who organise training
// (the staff trained read the sessions they are on).
func (r Role) PlansTraining() bool { return r.Assesses() }

// TrainingService keeps the training register. Every change is audited.
type TrainingService interface {
	// PlanTraining plans a session of a unit in scope for people in scope.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID.
	PlanTraining(ctx context.Context, n NewTrainingSession) (*TrainingSession, error)
	// TrainingSessions lists the register, newest first (at most 1,000).
	// Staff see the sessions they are on. Errors: EUNAUTHORIZED, EINVALID.
	TrainingSessions(ctx context.Context, f TrainingFilter) ([]*TrainingSession, error)
	// Training reads one session. Errors: EUNAUTHORIZED, ENOTFOUND.
	Training(ctx context.Context, id int64) (*TrainingSession, error)
	// RecordAttendance records who attended and their scores.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, EINVALID, ECONFLICT.
	RecordAttendance(ctx context.Context, id int64, a TrainingAttendance) (*TrainingSession, error)
}
