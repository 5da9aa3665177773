package redress

import (
	"strings"
	"testing"
	"time"
)

func receptionNow() time.Time { return time.Date(2026, 11, 20, 10, 0, 0, 0, Beijing) }

func goodReception() NewReceptionVisit {
	return NewReceptionVisit{Org: "BJ-01", ArrivedAt: receptionNow().Add(-time.Hour),
		Visitor: ReceptionVisitor{Name: " 赵敏 ", Phone: "138 1234 5678", IDType: IDResident, IDNumber: "110101199003071234"},
		Purpose: "咨询理财赎回", Materials: MaterialsComplete, Business: "理财赎回", Counter: "3 号窗口", WaitMinutes: 12}
}

// TestReceptionVisitValidate_Seed004: seed 004 三、客户接待流程 — 客户到达 (when,
// who), 需求确认 (the purpose), 资料准备 (如发现资料缺失，及时告知客户补充材料: what is
// missing), 业务办理 (the window, the wait); the visitor's phone and ID are
// checked as a complainant's; the registration as a case's (信访工作条例 Art.18).
func TestReceptionVisitValidate_Seed004(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		edit    func(n *NewReceptionVisit)
		field   string // "" when valid
		problem string
	}{
		{"a whole visit", func(*NewReceptionVisit) {}, "", ""},
		{"客户到达: the outlet", func(n *NewReceptionVisit) { n.Org = " " }, "org", ProblemRequired},
		{"客户到达: the arrival time", func(n *NewReceptionVisit) { n.ArrivedAt = time.Time{} }, "arrived_at", ProblemRequired},
		{"客户到达: not in the future", func(n *NewReceptionVisit) { n.ArrivedAt = receptionNow().Add(time.Hour) }, "arrived_at", ProblemFuture},
		{"who came: a name", func(n *NewReceptionVisit) { n.Visitor.Name = "" }, "visitor.name", ProblemRequired},
		{"who came: a phone checked as a complainant's", func(n *NewReceptionVisit) { n.Visitor.Phone = "12" }, "visitor.phone", ProblemPhone},
		{"who came: an ID checked as a complainant's", func(n *NewReceptionVisit) { n.Visitor.IDNumber = "123" }, "visitor.id_number", ProblemResidentID},
		{"需求确认: the purpose", func(n *NewReceptionVisit) { n.Purpose = "  " }, "purpose", ProblemRequired},
		{"资料准备: missing says what", func(n *NewReceptionVisit) { n.Materials = MaterialsMissing }, "materials_missing", ProblemRequired},
		{"资料准备: a known result", func(n *NewReceptionVisit) { n.Materials = "some" }, "materials", ProblemChoice},
		{"业务办理: the wait is not negative", func(n *NewReceptionVisit) { n.WaitMinutes = -1 }, "wait_minutes", ProblemRange},
		{"业务办理: the wait is at most a day's", func(n *NewReceptionVisit) { n.WaitMinutes = MaxWaitMinutes + 1 }, "wait_minutes", ProblemRange},
		{"业务办理: the window at most 50 characters", func(n *NewReceptionVisit) { n.Counter = strings.Repeat("窗", 51) }, "counter", ProblemTooLong},
		{"后续跟进: no control characters", func(n *NewReceptionVisit) { n.FollowUp = "明天\x00致电" }, "follow_up", ProblemControlChars},
		{"Art.18: a group of five chooses representatives", func(n *NewReceptionVisit) { n.Visit = &Visit{Visitors: 5} }, "visit.representatives", ProblemRepresentatives},
		{"seed 000 4.1: a security check names who did it", func(n *NewReceptionVisit) { n.Visit = &Visit{Visitors: 1, SecurityChecked: true} }, "visit.security_checked_by", ProblemRequired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n := goodReception()
			tt.edit(&n)
			err := n.Validate(receptionNow())
			if tt.field == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				if n.Visitor.Name != "赵敏" || n.Visitor.Phone != "13812345678" || n.Visit == nil || n.Visit.Visitors != 1 {
					t.Fatalf("not normalised: %+v %+v", n.Visitor, n.Visit)
				}
				return
			}
			if got := ErrorProblems(err)[tt.field]; got.Key != tt.problem {
				t.Fatalf("want %s on %s, got %v (%+v)", tt.problem, tt.field, err, ErrorProblems(err))
			}
		})
	}
}

// TestReceptionSurvey_Seed004_客户反馈收集: 客户离开后，应通过电话或短信等方式进行
// 后续的客户满意度调查 — a visitor who left a phone gets a survey task due
// ReceptionSurveyDays later; attempts are recorded as a return visit's: an
// answer ends it with the satisfaction, the third unanswered attempt ends it
// unreachable, a visitor without a phone gets none.
func TestReceptionSurvey_Seed004_客户反馈收集(t *testing.T) {
	t.Parallel()
	if s := PlanReceptionSurvey(receptionNow(), ""); s != nil {
		t.Fatalf("a visitor without a phone: %+v", s)
	}
	v := &ReceptionVisit{Ref: "JD-000001", Survey: PlanReceptionSurvey(receptionNow(), "13812345678")}
	if v.Survey.Due != "2026-11-23" || v.Survey.Status != VisitOpen {
		t.Fatalf("the task: %+v", v.Survey)
	}
	tests := []struct {
		name    string
		req     ReceptionSurveyRequest
		field   string // the problem's field, or "" when recorded
		status  ReturnVisitStatus
		attempt int
	}{
		{"a method", ReceptionSurveyRequest{VisitMethod: "mail", VisitOutcome: VisitNoAnswer}, "visit_method", VisitOpen, 0},
		{"an answer needs a satisfaction", ReceptionSurveyRequest{VisitMethod: VisitByPhone, VisitOutcome: VisitReached}, "satisfaction", VisitOpen, 0},
		{"no satisfaction without an answer", ReceptionSurveyRequest{VisitMethod: VisitByPhone, VisitOutcome: VisitNoAnswer, Satisfaction: SatisfactionSatisfied}, "satisfaction", VisitOpen, 0},
		{"first unanswered call", ReceptionSurveyRequest{VisitMethod: VisitByPhone, VisitOutcome: VisitNoAnswer}, "", VisitOpen, 1},
		{"an SMS unanswered", ReceptionSurveyRequest{VisitMethod: VisitBySMS, VisitOutcome: VisitNoAnswer}, "", VisitOpen, 2},
		{"the third ends it unreachable", ReceptionSurveyRequest{VisitMethod: VisitByPhone, VisitOutcome: VisitNoAnswer}, "", VisitNotReached, 3},
	}
	for _, tt := range tests {
		err := ReceptionSurveyRule(v, tt.req, "staff", receptionNow())
		if tt.field != "" {
			if ErrorFields(err)[tt.field] == "" {
				t.Errorf("%s: want a problem on %s, got %v", tt.name, tt.field, err)
			}
		} else if err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
		if v.Survey.Status != tt.status || len(v.Survey.Attempts) != tt.attempt {
			t.Errorf("%s: %s after %d attempts", tt.name, v.Survey.Status, len(v.Survey.Attempts))
		}
	}
	if err := ReceptionSurveyRule(v, ReceptionSurveyRequest{VisitMethod: VisitByPhone, VisitOutcome: VisitNoAnswer}, "staff", receptionNow()); ErrorCode(err) != ECONFLICT {
		t.Fatalf("an ended survey: %v", err)
	}
	answered := &ReceptionVisit{Survey: PlanReceptionSurvey(receptionNow(), "13812345678")}
	if err := ReceptionSurveyRule(answered, ReceptionSurveyRequest{VisitMethod: VisitBySMS, VisitOutcome: VisitReached, Satisfaction: SatisfactionBasically},
		"staff", receptionNow()); err != nil || answered.Survey.Status != VisitAnswered || answered.Survey.Satisfaction != SatisfactionBasically {
		t.Fatalf("answered: %+v %v", answered.Survey, err)
	}
}

// TestReceptionCase_Seed004_OneClick: the case a visit turns into is of
// channel visit, received at the arrival, in the visit's outlet, the visitor
// as complainant, the record as description, the visitor registration
// carried (seed 000 4.1), and it passes the case's own validation; a visit
// already turned into a case is a conflict.
func TestReceptionCase_Seed004_OneClick(t *testing.T) {
	t.Parallel()
	n := goodReception()
	n.Materials, n.MaterialsMissing, n.FollowUp = MaterialsMissing, "身份证复印件", "三日内回电"
	n.Visit = &Visit{Visitors: 6, Representatives: 2, IDChecked: true, IDType: IDResident, IDCheckedBy: "王芳", Room: "一号接待室"}
	if err := n.Validate(receptionNow()); err != nil {
		t.Fatal(err)
	}
	v := &ReceptionVisit{Ref: "JD-000007", Org: n.Org, ArrivedAt: n.ArrivedAt, Visitor: ReceptionVisitor{Name: n.Visitor.Name, Phone: "138****5678"},
		Purpose: n.Purpose, Materials: n.Materials, MaterialsMissing: n.MaterialsMissing, Business: n.Business, Counter: n.Counter,
		WaitMinutes: n.WaitMinutes, FollowUp: n.FollowUp, Visit: n.Visit}
	c, err := ReceptionCase(v, n.Visitor, ReceptionCaseRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Kind != KindComplaint || c.Channel != ChannelVisit || !c.ReceivedAt.Equal(n.ArrivedAt) || c.Org != "BJ-01" || c.Subject != n.Purpose ||
		c.Complainant.Phone != "13812345678" || c.Complainant.IDNumber != "110101199003071234" || c.Visit.Visitors != 6 || c.Visit.Room != "一号接待室" {
		t.Fatalf("the case: %+v", c)
	}
	for _, want := range []string{"JD-000007", "来访目的：咨询理财赎回", "资料核对：缺失 身份证复印件", "业务办理：理财赎回（3 号窗口）", "等候时间：12 分钟", "后续跟进：三日内回电"} {
		if !strings.Contains(c.Description, want) {
			t.Errorf("the description lacks %q: %s", want, c.Description)
		}
	}
	if err := c.Validate(receptionNow()); err != nil {
		t.Fatalf("the case does not validate: %v", err)
	}
	long := &ReceptionVisit{Purpose: strings.Repeat("长", 300), Visitor: v.Visitor}
	if c, _ := ReceptionCase(long, n.Visitor, ReceptionCaseRequest{Kind: KindPetition}); len([]rune(c.Subject)) != 200 || c.Kind != KindPetition {
		t.Fatalf("a long purpose as subject: %d runes, %s", len([]rune(c.Subject)), c.Kind)
	}
	v.CaseNo = "TS20261120-00001"
	if _, err := ReceptionCase(v, n.Visitor, ReceptionCaseRequest{}); ErrorCode(err) != ECONFLICT {
		t.Fatalf("converted twice: %v", err)
	}
}

// TestReceptionFigures: the summary's arithmetic — the average wait over
// every visit, rounded to a tenth; surveyed are the answered surveys, and
// satisfied the satisfied and basically satisfied of them.
func TestReceptionFigures(t *testing.T) {
	t.Parallel()
	var f ReceptionFigures
	for _, c := range []ReceptionCount{
		{Kind: KindComplaint, WaitMinutes: 10, Survey: VisitAnswered, Satisfaction: SatisfactionSatisfied},
		{Kind: KindInquiry, WaitMinutes: 5, Survey: VisitAnswered, Satisfaction: SatisfactionDissatisfed},
		{WaitMinutes: 0, Survey: VisitNotReached, Satisfaction: SatisfactionUnreachable},
		{WaitMinutes: 1, Survey: VisitAnswered, Satisfaction: SatisfactionBasically},
	} {
		f.Add(c)
	}
	if f.Visits != 4 || f.Cases != 2 || f.Complaints != 1 || f.AverageWait != 4 || f.Surveyed != 3 || f.Satisfied != 2 {
		t.Fatalf("%+v", f)
	}
	f.Add(ReceptionCount{WaitMinutes: 1})
	if f.AverageWait != 3.4 {
		t.Fatalf("average %v, want 3.4", f.AverageWait)
	}
}

// TestReceptionFilter: the day is a date, the survey status a known one.
func TestReceptionFilter(t *testing.T) {
	t.Parallel()
	if err := (ReceptionFilter{Day: "2026-11-20", Survey: VisitOpen}).Validate(); err != nil {
		t.Fatal(err)
	}
	p := ErrorProblems(ReceptionFilter{Day: "2026-13-01", Survey: "later"}.Validate())
	if p["day"].Key != ProblemDate || p["survey"].Key != ProblemChoice {
		t.Fatalf("%+v", p)
	}
}

// TestEvidenceKind_Seed000_4_2: 对于重要问题，应及时进行笔录或录音录像 — a file is a
// transcript, an audio or a video recording, or other (the default).
func TestEvidenceKind_Seed000_4_2(t *testing.T) {
	t.Parallel()
	for in, want := range map[EvidenceKind]EvidenceKind{"": EvidenceOther, EvidenceTranscript: EvidenceTranscript, EvidenceAudio: EvidenceAudio, EvidenceVideo: EvidenceVideo} {
		if got, err := CheckEvidenceKind(in); err != nil || got != want {
			t.Errorf("%q: %q %v", in, got, err)
		}
	}
	if _, err := CheckEvidenceKind("photo"); ErrorProblems(err)["kind"].Key != ProblemChoice {
		t.Fatalf("an unknown kind: %v", err)
	}
}
