package redress

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Kind classifies what the customer brought (DOMAIN.md §2.2).
type Kind string

// The kinds of case.
const (
	KindInquiry    Kind = "inquiry"    // 咨询
	KindSuggestion Kind = "suggestion" // 建议
	KindComplaint  Kind = "complaint"  // 投诉
	KindPetition   Kind = "petition"   // 信访
	KindOther      Kind = "other"      // 其他
)

// Kinds lists every kind.
var Kinds = []Kind{KindInquiry, KindSuggestion, KindComplaint, KindPetition, KindOther}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return oneOf(k, Kinds) }

// trackingPrefix is the two letters that start a tracking number of this kind.
func (k Kind) trackingPrefix() string {
	switch k {
	case KindInquiry:
		return "ZX"
	case KindSuggestion:
		return "JY"
	case KindComplaint:
		return "TS"
	case KindPetition:
		return "XF"
	default:
		return "QT"
	}
}

// Channel is how the case reached the bank (DOMAIN.md §2.1).
type Channel string

// The channels.
const (
	ChannelCounter       Channel = "counter"        // 现场口头
	ChannelVisit         Channel = "visit"          // 来访
	ChannelOpinionBook   Channel = "opinion_book"   // 客户意见簿
	ChannelLetter        Channel = "letter"         // 信函
	ChannelPhone         Channel = "phone"          // 电话
	ChannelHotline       Channel = "hotline"        // 客服热线转办
	ChannelOnlineBanking Channel = "online_banking" // 网上银行
	ChannelMobileApp     Channel = "mobile_app"     // 手机银行
	ChannelSelfService   Channel = "self_service"   // 自助机具
	ChannelEmail         Channel = "email"          // 电子邮件
	ChannelWeChat        Channel = "wechat"         // 微信
	ChannelRegulator     Channel = "regulator"      // 监管转办
	ChannelOnlinePost    Channel = "online_post"    // 网络舆情
)

// Channels lists every channel.
var Channels = []Channel{ChannelCounter, ChannelVisit, ChannelOpinionBook, ChannelLetter, ChannelPhone,
	ChannelHotline, ChannelOnlineBanking, ChannelMobileApp, ChannelSelfService, ChannelEmail, ChannelWeChat,
	ChannelRegulator, ChannelOnlinePost}

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool { return oneOf(c, Channels) }

// IDType is the kind of identity document of a complainant.
type IDType string

// The identity document types.
const (
	IDResident  IDType = "resident_id"       // 居民身份证
	IDPassport  IDType = "passport"          // 护照
	IDHKMacao   IDType = "hk_macao_permit"   // 港澳居民来往内地通行证
	IDTaiwan    IDType = "taiwan_permit"     // 台湾居民来往大陆通行证
	IDForeigner IDType = "foreign_permanent" // 外国人永久居留身份证
	IDOther     IDType = "other"             // 其他
)

// IDTypes lists every identity document type.
var IDTypes = []IDType{IDResident, IDPassport, IDHKMacao, IDTaiwan, IDForeigner, IDOther}

// Valid reports whether t is a known type.
func (t IDType) Valid() bool { return oneOf(t, IDTypes) }

// RiskLevel is the initial risk assessment (impact on the bank, its image, the relationship).
type RiskLevel string

// The risk levels.
const (
	RiskLow    RiskLevel = "low"
	RiskMedium RiskLevel = "medium"
	RiskHigh   RiskLevel = "high"
)

// RiskLevels lists every risk level.
var RiskLevels = []RiskLevel{RiskLow, RiskMedium, RiskHigh}

// Priority orders the work from urgency and impact.
type Priority string

// The priorities.
const (
	PriorityLow    Priority = "low"
	PriorityNormal Priority = "normal"
	PriorityHigh   Priority = "high"
	PriorityUrgent Priority = "urgent"
)

// Priorities lists every priority.
var Priorities = []Priority{PriorityLow, PriorityNormal, PriorityHigh, PriorityUrgent}

// Complainant is the person or organisation who complains. In every answer of
// the services the ID number, phone and account are masked (DOMAIN.md §6).
type Complainant struct {
	Name       string `json:"name"`
	IDType     IDType `json:"id_type,omitempty"`
	IDNumber   string `json:"id_number,omitempty"`
	Phone      string `json:"phone,omitempty"`
	Account    string `json:"account,omitempty"`     // account or card number
	OrgName    string `json:"org_name,omitempty"`    // an organisation complaining
	CreditCode string `json:"credit_code,omitempty"` // 统一社会信用代码
	LegalRep   string `json:"legal_rep,omitempty"`   // 法定代表人
	// Address (通讯地址) and Email are where a letter or an e-mail reaches
	// the customer: personal data, sealed at rest like the numbers above and
	// masked in every answer (MaskAddress, MaskEmail).
	Address string `json:"address,omitempty"`
	Email   string `json:"email,omitempty"`
	// NoticeBy is how the customer wants to be told (sms, email, letter,
	// phone, in_person; "" not asked): the notices' default method, which
	// needs the matching contact (a phone, the e-mail, the address).
	NoticeBy NoticeMethod `json:"notice_by,omitempty"`
}

// Respondent is who the complaint is about: a unit and possibly a staff member.
type Respondent struct {
	Org   string `json:"org,omitempty"`   // unit code
	Staff string `json:"staff,omitempty"` // login of the staff member complained about
}

// Determination is the finding on responsibility (责任认定).
type Determination struct {
	Liability        Liability `json:"liability"`
	ResponsibleParty string    `json:"responsible_party,omitempty"`
	// RootCauseCode is the root cause from the code list R (业务流程, 系统缺陷
	// …), RootCause the analysis in words; reports count the code.
	RootCauseCode string `json:"root_cause_code,omitempty"`
	RootCause     string `json:"root_cause"`
	// AccountabilityMeasure is the measure taken (问责: 批评教育, 通报 …,
	// accountability.go) against AccountableStaff (a login), Accountability
	// its details in words.
	AccountabilityMeasure AccountabilityMeasure `json:"accountability_measure,omitempty"`
	AccountableStaff      string                `json:"accountable_staff,omitempty"`
	Accountability        string                `json:"accountability,omitempty"`
}

// Liability says whether the bank was at fault.
type Liability string

// The liabilities.
const (
	LiabilityBankFault Liability = "bank_fault"
	LiabilityNoFault   Liability = "no_fault"
	LiabilityPartial   Liability = "partial"
)

// Liabilities lists every liability.
var Liabilities = []Liability{LiabilityBankFault, LiabilityNoFault, LiabilityPartial}

// Outcome is the decision on the customer's request.
type Outcome string

// The outcomes.
const (
	OutcomeUpheld       Outcome = "upheld"
	OutcomePartlyUpheld Outcome = "partly_upheld"
	OutcomeNotUpheld    Outcome = "not_upheld"
)

// Outcomes lists every outcome.
var Outcomes = []Outcome{OutcomeUpheld, OutcomePartlyUpheld, OutcomeNotUpheld}

// Remedy is a way the customer may pursue the matter further.
type Remedy string

// The remedies a decision notice may offer.
const (
	RemedyReview      Remedy = "review"      // 申请核查
	RemedyMediation   Remedy = "mediation"   // 调解
	RemedyArbitration Remedy = "arbitration" // 仲裁
	RemedyLitigation  Remedy = "litigation"  // 诉讼
)

// Remedies lists every remedy.
var Remedies = []Remedy{RemedyReview, RemedyMediation, RemedyArbitration, RemedyLitigation}

// NoticeMethod is how a notice reached the customer.
type NoticeMethod string

// The notice methods.
const (
	NoticeInPerson NoticeMethod = "in_person"
	NoticePhone    NoticeMethod = "phone"
	NoticeSMS      NoticeMethod = "sms"
	NoticeLetter   NoticeMethod = "letter"
	NoticeEmail    NoticeMethod = "email"
	NoticeApp      NoticeMethod = "app"
)

// NoticeMethods lists every notice method.
var NoticeMethods = []NoticeMethod{NoticeInPerson, NoticePhone, NoticeSMS, NoticeLetter, NoticeEmail, NoticeApp}

// Reply is the decision notice to the customer (答复).
type Reply struct {
	Facts        string       `json:"facts"`
	Basis        string       `json:"basis"`
	Outcome      Outcome      `json:"outcome"`
	Redress      string       `json:"redress,omitempty"`
	RedressPaid  string       `json:"redress_amount,omitempty"` // yuan, "120.00"
	Remedies     []Remedy     `json:"remedies"`
	NoticeMethod NoticeMethod `json:"notice_method"`
	NoticeAt     time.Time    `json:"notice_at"`
	NoticeProof  string       `json:"notice_proof"`
}

// Satisfaction is the customer's answer when asked whether they are satisfied.
type Satisfaction string

// The satisfaction answers.
const (
	SatisfactionSatisfied   Satisfaction = "satisfied"
	SatisfactionBasically   Satisfaction = "basically_satisfied"
	SatisfactionDissatisfed Satisfaction = "dissatisfied"
	SatisfactionUnreachable Satisfaction = "unreachable"
)

// Satisfactions lists every satisfaction answer.
var Satisfactions = []Satisfaction{SatisfactionSatisfied, SatisfactionBasically, SatisfactionDissatisfed, SatisfactionUnreachable}

// Entry is one investigation finding or internal note on a case.
type Entry struct {
	Author string    `json:"author"`
	At     time.Time `json:"at"`
	Text   string    `json:"text"`
}

// Case is one complaint, petition, inquiry or suggestion, from registration to archive.
type Case struct {
	ID          int64       `json:"-"`
	No          string      `json:"no"`
	Kind        Kind        `json:"kind"`
	Channel     Channel     `json:"channel"`
	ReceivedAt  time.Time   `json:"received_at"`
	Complainant Complainant `json:"complainant"`
	Respondent  Respondent  `json:"respondent"`
	Accusation  bool        `json:"accusation"` // a report or accusation (检举控告): hidden from the person accused
	// KeyCustomer marks a key customer's case (重点客户, seed 000 4.4), set at
	// registration: the return-visit policy may visit every one.
	KeyCustomer bool      `json:"key_customer"`
	Subject     string    `json:"subject"`
	Description string    `json:"description"`
	Request     string    `json:"request"`
	Amount      string    `json:"amount,omitempty"`
	CodeA       string    `json:"code_a,omitempty"`
	CodeB       string    `json:"code_b,omitempty"`
	CodeC       string    `json:"code_c,omitempty"`
	Risk        RiskLevel `json:"risk"`
	Priority    Priority  `json:"priority"`
	Org         string    `json:"org"`        // unit now responsible
	OriginOrg   string    `json:"origin_org"` // unit that registered it
	// OrgPath and OriginOrgPath are the materialised paths of those units
	// (OrgUnit.Path): what scope and approval rules compare with a user's.
	OrgPath        string `json:"-"`
	OriginOrgPath  string `json:"-"`
	FirstResponder string `json:"first_responder"`
	Handler        string `json:"handler,omitempty"`
	Level          int    `json:"level"`
	Status         Status `json:"status"`
	Version        int    `json:"version"`
	ReplyDue       string `json:"reply_due"`
	DecisionDue    string `json:"decision_due"`
	ReplyOverdue   bool   `json:"reply_overdue"`
	Overdue        bool   `json:"overdue"`
	// The deadline engine's state: the policy and decision clock in force,
	// the day the clocks started (receipt, or new facts), a pause in progress
	// and the days paused so far, a regulator's own due date, and a warning
	// when a due date could not be checked against the holiday calendar.
	DeadlinePolicy  string           `json:"deadline_policy"`
	DecisionClock   string           `json:"decision_clock"`
	ClockStart      string           `json:"clock_start"`
	PausedSince     string           `json:"paused_since,omitempty"`
	PausedDays      int              `json:"paused_days"`
	RegulatorRef    string           `json:"regulator_ref,omitempty"`
	RegulatorDue    string           `json:"regulator_due,omitempty"`
	DueWarning      string           `json:"due_warning,omitempty"`
	Visit           *Visit           `json:"visit,omitempty"` // the visit registration, for a visit in person
	DeadlineHistory []DeadlineChange `json:"deadline_history"`
	Determination   *Determination   `json:"determination,omitempty"`
	Reply           *Reply           `json:"reply,omitempty"`
	RepliedAt       *time.Time       `json:"replied_at,omitempty"`
	SignedOffBy     string           `json:"signed_off_by,omitempty"`
	SignedOffAt     *time.Time       `json:"signed_off_at,omitempty"`
	Satisfaction    Satisfaction     `json:"satisfaction,omitempty"`
	ClosedAt        *time.Time       `json:"closed_at,omitempty"`
	EndReason       string           `json:"end_reason,omitempty"` // why withdrawn or rejected
	// The reply clock (reply_due: the branch reply, a petition's acceptance
	// notice) is satisfied by the first answer to the customer: the first
	// contact, an extension notice, an acceptance notice, or the final reply.
	// ReplySatisfiedAt is when the customer was told (the notice's time),
	// ReplySatisfiedBy the action that told them. A satisfied clock is never
	// overdue.
	ReplySatisfiedAt *time.Time `json:"reply_satisfied_at,omitempty"`
	ReplySatisfiedBy Action     `json:"reply_satisfied_by,omitempty"`
	// Contact is the first contact with the customer (contact), and
	// AgreedReplyDue the reply date agreed then (约定回复时限), a clock of its own.
	Contact            *Contact `json:"contact,omitempty"`
	AgreedReplyDue     string   `json:"agreed_reply_due,omitempty"`
	AgreedReplyOverdue bool     `json:"agreed_reply_overdue"`
	// AgreedReplyLate is set when the agreed date falls after the decision
	// deadline, which the agreement does not move (contact.go).
	AgreedReplyLate bool `json:"agreed_reply_after_deadline"`
	// DecisionStart is the day the decision clock counts from when it is not
	// ClockStart: a petition's handling counts from its acceptance
	// (信访工作条例 Art.34). AcceptDecision is a petition's written acceptance
	// decision (受理 / 不予受理 / 转送).
	DecisionStart  string         `json:"decision_start,omitempty"`
	AcceptDecision AcceptDecision `json:"accept_decision,omitempty"`
	Findings       []Entry        `json:"findings"`
	Notes          []Entry        `json:"notes"`
	Conflicts      []Entry        `json:"conflicts"` // declared conflicts of interest: author and reason
	CreatedAt      time.Time      `json:"created_at"`
	UpdatedAt      time.Time      `json:"updated_at"`

	// AnonymisedAt is when retention or an erasure anonymised the case
	// (retention.go AnonymiseCase), nil while its personal data is kept.
	AnonymisedAt *time.Time `json:"anonymised_at,omitempty"`

	// ReturnVisit is the return visit of the closed case (回访,
	// return_visit.go), nil when the policy gave it none.
	ReturnVisit *ReturnVisit `json:"return_visit,omitempty"`

	// Reviews are the reviews of the decision (核查, 复查, 复核), oldest
	// first; Review is the latest, with its due date (review.go).
	Reviews []Review `json:"reviews,omitempty"`
	Review  *Review  `json:"review,omitempty"`
	// ReceiptOnly marks a case reduced to a review request's receipt for a
	// receiver outside its units (OnlyReceipt); answers show Receipt().
	ReceiptOnly bool `json:"-"`

	// The regulator's channel, the date it forwarded the case, and its later
	// finding (valid / invalid, the date and its reference): regulator.go.
	RegulatorSource      RegulatorSource  `json:"regulator_source,omitempty"`
	RegulatorForwardedOn string           `json:"regulator_forwarded_on,omitempty"`
	RegulatorFinding     RegulatorFinding `json:"regulator_finding,omitempty"`
	RegulatorFindingOn   string           `json:"regulator_finding_on,omitempty"`
	RegulatorFindingRef  string           `json:"regulator_finding_ref,omitempty"`

	// MajorCause is the cause of a major complaint the registration named
	// (incident.go); MajorComplaint is set when the case is one (by its
	// visitors or its cause, CBIRC Order 2020 No.3 Art.29), and Incident, on
	// the registration's answer, is the emergency incident it opened.
	MajorCause     MajorCause `json:"major_cause,omitempty"`
	MajorComplaint bool       `json:"major_complaint"`
	Incident       string     `json:"incident,omitempty"`
	// Repeat complaints (repeat.go): the surviving case this one is merged
	// into and when, and the survivor's decision due date its clocks follow
	// meanwhile; the cases merged into this one; the earlier cases it was
	// linked to as a repeat and the later ones linked to it.
	MergedInto string     `json:"merged_into,omitempty"`
	MergedAt   *time.Time `json:"merged_at,omitempty"`
	MergedDue  string     `json:"merged_due,omitempty"`
	Merged     []string   `json:"merged,omitempty"`
	RepeatOf   []string   `json:"repeat_of,omitempty"`
	RepeatedBy []string   `json:"repeated_by,omitempty"`
	// ArchivedAt is when the case's file was archived (归档: closed,
	// withdrawn or rejected); nil while it is open (archive.go).
	ArchivedAt *time.Time `json:"archived_at,omitempty"`
	// ExternalNo is the bank's own number of an imported case (unique), and
	// ImportRun the import run that brought it in; both empty for a case
	// registered in Redress (import.go).
	ExternalNo string `json:"external_no,omitempty"`
	ImportRun  int64  `json:"import_run,omitempty"`
}

// Imported reports whether the case came in by the history import.
func (c *Case) Imported() bool { return c.ImportRun != 0 }

// Contact is the first contact with the customer: who recorded it and
// when, what was said, the notice (method, time, proof) and the reply date
// agreed with the customer, if any (seed 002 Art.8(三)).
type Contact struct {
	By              string       `json:"by"`
	At              time.Time    `json:"at"`
	Text            string       `json:"text"`
	Notice          NoticeRecord `json:"notice"`
	AgreedReplyDate string       `json:"agreed_reply_date,omitempty"`
}

// AcceptDecision is a petition's written acceptance decision (信访工作条例
// Art.23): accepted (受理), not accepted (不予受理, the case is rejected) or
// forwarded to the competent body (转送, the case is closed for this bank).
type AcceptDecision string

// The acceptance decisions.
const (
	DecisionAccepted    AcceptDecision = "accepted"
	DecisionNotAccepted AcceptDecision = "not_accepted"
	DecisionForwarded   AcceptDecision = "forwarded"
)

// AcceptDecisions lists the acceptance decisions.
var AcceptDecisions = []AcceptDecision{DecisionAccepted, DecisionNotAccepted, DecisionForwarded}

// NewCase is the input to register a case.
type NewCase struct {
	Kind        Kind        `json:"kind"`
	Channel     Channel     `json:"channel"`
	ReceivedAt  time.Time   `json:"received_at"`
	Complainant Complainant `json:"complainant"`
	Respondent  Respondent  `json:"respondent"`
	Accusation  bool        `json:"accusation"`
	KeyCustomer bool        `json:"key_customer,omitempty"` // 重点客户 (return_visit.go)
	Subject     string      `json:"subject"`
	Description string      `json:"description"`
	Request     string      `json:"request"`
	Amount      string      `json:"amount"`
	CodeA       string      `json:"code_a"`
	CodeB       string      `json:"code_b"`
	CodeC       string      `json:"code_c"`
	Risk        RiskLevel   `json:"risk"`
	Priority    Priority    `json:"priority"`
	Org         string      `json:"org"` // defaults to the registering user's unit
	// A case forwarded by a regulator (12378, 12363, 信访) carries the
	// regulator's reference and keeps the regulator's own due date.
	RegulatorRef string `json:"regulator_ref"`
	RegulatorDue string `json:"regulator_due"` // YYYY-MM-DD
	// RegulatorSource is the regulator's channel (12378, platform, 12363,
	// petition_transfer), required for the regulator channel, and
	// RegulatorForwardedOn the date it forwarded the case (YYYY-MM-DD; the
	// date of receipt when not given).
	RegulatorSource      RegulatorSource `json:"regulator_source,omitempty"`
	RegulatorForwardedOn string          `json:"regulator_forwarded_on,omitempty"`
	// Visit registers a visit in person (channel visit or counter).
	Visit *Visit `json:"visit,omitempty"`
	// MajorCause names what makes the case a major complaint beside its
	// number of visitors: disaster_accident, public_health,
	// regulator_declared (CBIRC Order 2020 No.3 Art.29); "" none.
	MajorCause MajorCause `json:"major_cause,omitempty"`
}

// Validate checks everything about a new case that needs no database, given
// the current time (a receipt in the future is refused). It fills defaults
// for risk and priority.
func (n *NewCase) Validate(now time.Time) error {
	var p Problems
	if !n.Kind.Valid() {
		p.Add("kind", "must be one of inquiry, suggestion, complaint, petition, other")
	}
	if !n.Channel.Valid() {
		p.Add("channel", "unknown channel")
	}
	switch {
	case n.ReceivedAt.IsZero():
		p.AddKey("received_at", ProblemRequired)
	case n.ReceivedAt.After(now.Add(5 * time.Minute)):
		p.AddKey("received_at", ProblemFuture)
	case n.ReceivedAt.Year() < 2000:
		p.Add("received_at", "is before 2000")
	}
	n.Complainant.validate(&p)
	checkText(&p, "subject", n.Subject, 1, 200)
	checkText(&p, "description", n.Description, 1, 20000)
	checkText(&p, "request", n.Request, 0, 5000)
	if n.Amount != "" {
		if _, err := ParseAmount(n.Amount); err != nil {
			p.Add("amount", err.Error())
		}
	}
	if n.Risk == "" {
		n.Risk = RiskLow
	} else if !oneOf(n.Risk, RiskLevels) {
		p.Add("risk", "must be one of low, medium, high")
	}
	if n.Priority == "" {
		n.Priority = PriorityNormal
	} else if !oneOf(n.Priority, Priorities) {
		p.Add("priority", "must be one of low, normal, high, urgent")
	}
	checkText(&p, "respondent.staff", n.Respondent.Staff, 0, 32)
	n.validateRegulator(&p) // regulator.go
	if n.Accusation && n.Respondent.Staff == "" {
		p.Add("respondent.staff", "required for a report or accusation: the staff member it accuses")
	}
	if n.Visit != nil {
		if n.Channel != ChannelVisit && n.Channel != ChannelCounter {
			p.AddKey("visit", ProblemVisitChannel)
		} else {
			n.Visit.validate(&p)
		}
	}
	n.validateMajorCause(&p) // incident.go
	return p.Err()
}

var (
	residentIDPattern = regexp.MustCompile(`^[1-9][0-9]{5}(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9X]$`)
	otherIDPattern    = regexp.MustCompile(`^[A-Za-z0-9()（）-]{5,30}$`)
	phonePattern      = regexp.MustCompile(`^(\+?86)?(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}|400-?[0-9]{3}-?[0-9]{4}|95[0-9]{3})$`)
	accountPattern    = regexp.MustCompile(`^[0-9]{10,30}$`)
	creditCodePattern = regexp.MustCompile(`^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$`)
)

func (c *Complainant) validate(p *Problems) {
	c.Name = strings.TrimSpace(c.Name)
	c.IDNumber = strings.ToUpper(strings.TrimSpace(c.IDNumber))
	c.Phone = strings.ReplaceAll(strings.TrimSpace(c.Phone), " ", "")
	c.Account = strings.ReplaceAll(strings.TrimSpace(c.Account), " ", "")
	checkText(p, "complainant.name", c.Name, 1, 100)
	if c.IDNumber != "" || c.IDType != "" {
		switch {
		case !c.IDType.Valid():
			p.AddKey("complainant.id_type", ProblemChoice, valueList(IDTypes))
		case c.IDType == IDResident && !residentIDPattern.MatchString(c.IDNumber):
			p.AddKey("complainant.id_number", ProblemResidentID)
		case c.IDType != IDResident && !otherIDPattern.MatchString(c.IDNumber):
			p.AddKey("complainant.id_number", ProblemOtherID)
		}
	}
	if c.Phone != "" && !phonePattern.MatchString(c.Phone) {
		p.AddKey("complainant.phone", ProblemPhone)
	}
	if c.Account != "" && !accountPattern.MatchString(c.Account) {
		p.AddKey("complainant.account", ProblemAccount)
	}
	checkText(p, "complainant.org_name", c.OrgName, 0, 200)
	if c.CreditCode != "" && !creditCodePattern.MatchString(strings.ToUpper(c.CreditCode)) {
		p.AddKey("complainant.credit_code", ProblemCreditCode)
	}
	c.CreditCode = strings.ToUpper(c.CreditCode)
	checkText(p, "complainant.legal_rep", c.LegalRep, 0, 100)
	c.Address = strings.TrimSpace(c.Address)
	checkText(p, "complainant.address", c.Address, 0, 200)
	c.Email = NormalizeEmail(c.Email)
	if c.Email != "" && (len(c.Email) > 254 || !emailPattern.MatchString(c.Email)) {
		p.AddKey("complainant.email", ProblemEmail)
	}
	c.validateNoticeBy(p)
}

// validateNoticeBy checks the customer's chosen notice method: one a
// notice can be sent by, with the contact it needs.
func (c *Complainant) validateNoticeBy(p *Problems) {
	switch c.NoticeBy {
	case "", NoticeLetter, NoticePhone, NoticeInPerson, NoticeSMS, NoticeEmail:
	default:
		p.AddKey("complainant.notice_by", ProblemChoice, valueList(CustomerNoticeMethods))
		return
	}
	switch {
	case c.NoticeBy == NoticeSMS && c.Phone == "", c.NoticeBy == NoticePhone && c.Phone == "":
		p.AddKey("complainant.phone", ProblemRequired)
	case c.NoticeBy == NoticeEmail && c.Email == "":
		p.AddKey("complainant.email", ProblemRequired)
	case c.NoticeBy == NoticeLetter && c.Address == "":
		p.AddKey("complainant.address", ProblemRequired)
	}
}

// TrackingNumber builds the tracking number printed for the customer: two
// letters for the kind, the date of receipt in Beijing time, and the day's
// sequence number, e.g. TS20261120-00042.
func TrackingNumber(kind Kind, receivedAt time.Time, seq int64) string {
	return kind.trackingPrefix() + BankDay(receivedAt) + "-" + leftPad(strconv.FormatInt(seq, 10), 5)
}

// BankDay is the part of a tracking number that counts per day: the receipt
// date as YYYYMMDD in Beijing time.
func BankDay(t time.Time) string {
	return t.In(Beijing).Format("20060102")
}

var trackingPattern = regexp.MustCompile(`^(ZX|JY|TS|XF|QT)[0-9]{8}-[0-9]{5,}$`)

// ValidTrackingNumber reports whether s has the shape of a tracking number.
func ValidTrackingNumber(s string) bool { return trackingPattern.MatchString(s) }

// ParseAmount parses a yuan amount with at most two decimals into fen (cents).
func ParseAmount(s string) (int64, error) {
	if !amountPattern.MatchString(s) {
		return 0, Errorf(EINVALID, "must be a non-negative yuan amount with at most two decimals, e.g. 5000.00")
	}
	whole, frac, _ := strings.Cut(s, ".")
	for len(frac) < 2 {
		frac += "0"
	}
	v, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return 0, Errorf(EINVALID, "amount too large")
	}
	return v, nil
}

var amountPattern = regexp.MustCompile(`^[0-9]{1,13}(\.[0-9]{1,2})?$`)

// FormatAmount prints fen as yuan with two decimals.
func FormatAmount(fen int64) string {
	s := leftPad(strconv.FormatInt(fen, 10), 3)
	return s[:len(s)-2] + "." + s[len(s)-2:]
}

// CaseFilter narrows a case list. Zero fields do not filter.
type CaseFilter struct {
	Status  []Status
	Kind    Kind
	Channel Channel
	Org     string // unit code; the unit's whole subtree
	// OriginOrg is the unit that received the cases (exactly that unit),
	// wherever they are handled now: an outlet's register.
	OriginOrg string
	Handler   string // login
	// FirstResponder is the login of who registered the cases; NotHandler
	// leaves out the cases this login handles (a sign-off queue: the
	// handler never signs their own case).
	FirstResponder string
	NotHandler     string
	Level          int
	Overdue        *bool
	ReceivedFrom   string // YYYY-MM-DD, Beijing time, inclusive
	ReceivedTo     string // YYYY-MM-DD, Beijing time, inclusive
	Code           string // a JR/T 0169 code in any of the three dimensions, or any code below it
	DueBy          string // YYYY-MM-DD: open cases whose decision is due by then (overdue included)
	Sort           string // a CaseSort (due_asc, received_desc, level_desc, …; ParseCaseSort); Normalize writes it in full
	// ReturnVisit keeps only the cases whose return visit waits (待回访, return_visit.go).
	ReturnVisit bool
	Cursor      string // from a previous page's NextCursor
	Limit       int    // 1-200, default 50

	// Exact-match lookups on protected personal data, through the blind index.
	Phone    string
	IDNumber string
	Account  string
}

// Lookup is the input of an exact-match search by personal data. It travels
// in a request body, never in a URL, so the numbers stay out of access logs.
type Lookup struct {
	Phone    string `json:"phone,omitempty"`
	IDNumber string `json:"id_number,omitempty"`
	Account  string `json:"account,omitempty"`
	Cursor   string `json:"cursor,omitempty"`
	Limit    int    `json:"limit,omitempty"`
}

// Validate checks that a lookup names at least one number to look up.
func (l Lookup) Validate() error {
	if l.Phone == "" && l.IDNumber == "" && l.Account == "" {
		var p Problems
		p.AddKey("phone", ProblemRequired)
		return p.Err()
	}
	return nil
}

// PIIField names a protected personal-data field of a case.
type PIIField string

// The protected fields.
const (
	PIIIDNumber PIIField = "id_number"
	PIIPhone    PIIField = "phone"
	PIIAccount  PIIField = "account"
	PIIAddress  PIIField = "address"
	PIIEmail    PIIField = "email"
)

// PIIFields lists the protected fields.
var PIIFields = []PIIField{PIIIDNumber, PIIPhone, PIIAccount, PIIAddress, PIIEmail}

// RevealRequest asks to see one protected field in full, with the reason
// that the audit trail records.
type RevealRequest struct {
	Field  PIIField `json:"field"`
	Reason string   `json:"reason"`
}

// Validate checks the request.
func (r RevealRequest) Validate() error {
	var p Problems
	if !oneOf(r.Field, PIIFields) {
		p.AddKey("field", ProblemChoice, valueList(PIIFields))
	}
	checkText(&p, "reason", r.Reason, 2, 500)
	return p.Err()
}

// Revealed is the answer to a reveal: the full value of one field.
type Revealed struct {
	Field PIIField `json:"field"`
	Value string   `json:"value"`
}

// CasePage is one page of a case list, newest first.
type CasePage struct {
	Cases      []*Case `json:"cases"`
	NextCursor string  `json:"next_cursor,omitempty"`
}

// CaseService registers cases and moves them through their lifecycle.
// Every method checks the acting user's role and org-unit scope; a case
// outside the scope is reported as not found.
type CaseService interface {
	// CreateCase registers a case; the caller is its first responder.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID.
	CreateCase(ctx context.Context, n NewCase) (*Case, error)
	// Case returns one case by tracking number.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND.
	Case(ctx context.Context, no string) (*Case, error)
	// ListCases returns a page of cases in scope, newest receipt first.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID.
	ListCases(ctx context.Context, f CaseFilter) (*CasePage, error)
	// Act performs one lifecycle action on a case at the given version.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, EINVALID, ECONFLICT
	// (stale version, or the action is not allowed in the case's status).
	Act(ctx context.Context, no string, req ActionRequest) (*Case, error)
	// CountCases counts the cases in scope that match the filter, by status;
	// the filter's cursor, limit and sort are ignored.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID.
	CountCases(ctx context.Context, f CaseFilter) (map[Status]int, error)
	// CaseEvents returns the audit events of one case, oldest first.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND.
	CaseEvents(ctx context.Context, no string) ([]*Event, error)
	// Reveal returns one protected field in full and records who, when and
	// why in the audit trail. Roles with PermCaseReveal only.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, EINVALID.
	Reveal(ctx context.Context, no string, req RevealRequest) (*Revealed, error)
}

// checkText records a problem when s is shorter or longer (in characters)
// than allowed, or holds control characters other than newline and tab.
func checkText(p *Problems, field, s string, minChars, maxChars int) {
	n := utf8.RuneCountInString(strings.TrimSpace(s))
	switch {
	case !utf8.ValidString(s):
		p.AddKey(field, ProblemNotUTF8)
	case minChars > 0 && n == 0:
		p.AddKey(field, ProblemRequired)
	case n < minChars:
		p.AddKey(field, ProblemTooShort, strconv.Itoa(minChars))
	case n > maxChars:
		p.AddKey(field, ProblemTooLong, strconv.Itoa(maxChars))
	case strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\t' && r != '\r' }):
		p.AddKey(field, ProblemControlChars)
	}
}

func oneOf[T comparable](v T, list []T) bool {
	for _, known := range list {
		if v == known {
			return true
		}
	}
	return false
}

func leftPad(s string, width int) string {
	for len(s) < width {
		s = "0" + s
	}
	return s
}
