package redress

import (
	"context"
	"crypto/rand"
	"errors"
	"math/big"
	"net/http"
	"sort"
	"strings"
	"time"
)

// The customer portal (网上投诉/信访): what a customer may submit and do
// without an account, and the rules of the one-time codes that open a case
// to them. PBOC asks for a progress query for customers; 信访工作条例 Art.21
// for an online way to submit and follow a petition.

// PortalChannel is the channel of a case submitted on the portal: the bank's
// own internet channel, which the seeds call 网上银行 among the complaint
// channels (seed 001: 电话、网上银行、自助服务、现场柜台), counted under JR/T
// 0169 A0301 (ChannelCode). 网络公众平台 (A0304) is WeChat and other public
// platforms, and 网络舆情 a post about the bank, not a submission to it.
const PortalChannel = ChannelOnlineBanking

// PortalLogin is the login of the system user that registers the portal's
// cases and takes the customer's actions on them (the first responder of an
// online case). It cannot be a login anyone creates (it does not match the
// login pattern) and the store keeps it disabled, without a password.
const PortalLogin = "portal:online"

// PortalConsentVersion names the text of the personal-data consent the
// portal shows (web/i18n: portal.consent.text); the case records it with
// the time the customer agreed. Change it whenever the text changes.
const PortalConsentVersion = "pi-consent-2026-12"

// The one-time codes and the customer's session.
const (
	// PortalCodeDigits is the length of a one-time code.
	PortalCodeDigits = 6
	// PortalCodeTTL is how long a code may be used after it is sent.
	PortalCodeTTL = 10 * time.Minute
	// PortalCodeTries is how many wrong codes kill a code.
	PortalCodeTries = 5
	// PortalSessionTTL is how long a customer's session lasts after the
	// code (absolute; a new code opens a new one).
	PortalSessionTTL = 20 * time.Minute
	// PortalMaxFileBytes is the largest file a customer may upload.
	PortalMaxFileBytes = 10 << 20
	// PortalMaxFiles is how many files one submission or addition carries.
	PortalMaxFiles = 5
)

// PortalLimits are the portal's rate limits (token buckets, redress.Limit).
type PortalLimits struct {
	SubmitPerAddress Limit // case submissions per client address
	SubmitPerPhone   Limit // case submissions per mobile number
	CodePerAddress   Limit // code requests per client address
	CodePerPhone     Limit // code requests per mobile number
	CodePerCase      Limit // code requests per tracking number (known or not)
	TrackPerAddress  Limit // code checks (track) per client address
	TrackPerCase     Limit // code checks (track) per tracking number (known or not)
	ActPerSession    Limit // follow-up actions per customer session
}

// DefaultPortalLimits are the limits used when none are configured: a few
// submissions an hour from one address or phone, three codes per phone and
// per case in ten minutes (a code lives ten minutes), and enough tries per
// address for a family behind one NAT.
func DefaultPortalLimits() PortalLimits {
	return PortalLimits{
		SubmitPerAddress: Limit{Burst: 5, Per: time.Hour},
		SubmitPerPhone:   Limit{Burst: 3, Per: time.Hour},
		CodePerAddress:   Limit{Burst: 10, Per: 10 * time.Minute},
		CodePerPhone:     Limit{Burst: 3, Per: 10 * time.Minute},
		CodePerCase:      Limit{Burst: 3, Per: 10 * time.Minute},
		TrackPerAddress:  Limit{Burst: 20, Per: 10 * time.Minute},
		TrackPerCase:     Limit{Burst: 10, Per: 10 * time.Minute},
		ActPerSession:    Limit{Burst: 30, Per: 10 * time.Minute},
	}
}

// PortalKinds are the kinds a customer may submit on the portal.
var PortalKinds = []Kind{KindComplaint, KindPetition}

// PortalSubmission is what a customer submits on the portal: the staff
// intake's fields a customer can know, and their consent to the handling
// of their personal data (required).
type PortalSubmission struct {
	Kind        Kind        `json:"kind"`
	Org         string      `json:"org"` // the unit concerned, chosen from the tree
	Subject     string      `json:"subject"`
	Description string      `json:"description"`
	Request     string      `json:"request"`
	Amount      string      `json:"amount"`
	Complainant Complainant `json:"complainant"` // name, id_type, id_number, phone (a mobile, required)
	Consent     bool        `json:"consent"`     // must be true: PortalConsentVersion was shown and agreed
}

// ValidMobile reports whether s is a mainland mobile number, which an SMS
// code can reach.
func ValidMobile(s string) bool { return mobilePattern.MatchString(s) }

// NewCase checks the submission and returns the case it registers, received
// now on PortalChannel. Every problem is reported at once, those of the
// staff intake's validation included.
func (s PortalSubmission) NewCase(now time.Time) (NewCase, error) {
	var p Problems
	if !oneOf(s.Kind, PortalKinds) {
		p.AddKey("kind", ProblemChoice, valueList(PortalKinds))
	}
	if strings.TrimSpace(s.Org) == "" {
		p.AddKey("org", ProblemRequired)
	}
	if !s.Complainant.IDType.Valid() || strings.TrimSpace(s.Complainant.IDNumber) == "" {
		// The portal asks who the customer is (ID type and number): an
		// online case has no counter where an ID is shown.
		if !s.Complainant.IDType.Valid() {
			p.AddKey("complainant.id_type", ProblemChoice, valueList(IDTypes))
		} else {
			p.AddKey("complainant.id_number", ProblemRequired)
		}
	}
	if !s.Consent {
		p.AddKey("consent", ProblemRequired)
	}
	phone := NormalizeMobile(s.Complainant.Phone)
	switch {
	case phone == "":
		p.AddKey("complainant.phone", ProblemRequired)
	case !ValidMobile(phone):
		p.AddKey("complainant.phone", ProblemMobile)
	}
	// A customer speaks for themselves: the fields of an organisation and an
	// account are for the staff intake.
	// The portal's customer gave a mobile number and no other contact: the
	// bank's notices go to it by SMS.
	who := Complainant{Name: s.Complainant.Name, IDType: s.Complainant.IDType, IDNumber: s.Complainant.IDNumber, Phone: phone, NoticeBy: NoticeSMS}
	n := NewCase{Kind: s.Kind, Channel: PortalChannel, ReceivedAt: now, Complainant: who, Subject: s.Subject,
		Description: s.Description, Request: s.Request, Amount: s.Amount, Org: strings.TrimSpace(s.Org)}
	if err := n.Validate(now); err != nil {
		var e *Error
		if !errors.As(err, &e) {
			return NewCase{}, err
		}
		p.merge(e)
	}
	if err := p.Err(); err != nil {
		return NewCase{}, err
	}
	return n, nil
}

// merge adds the problems of an EINVALID error; a field's first problem wins.
func (p *Problems) merge(e *Error) {
	for field, text := range e.Fields {
		if pr, ok := e.Problems[field]; ok {
			p.AddKey(field, pr.Key, pr.Args...)
		} else {
			p.Add(field, text)
		}
	}
}

// PortalReceipt is the answer to a submission: the tracking number and what
// happens next (the unit it went to and the day the bank answers by).
type PortalReceipt struct {
	No          string    `json:"no"`
	Kind        Kind      `json:"kind"`
	ReceivedAt  time.Time `json:"received_at"`
	Org         string    `json:"org"`
	OrgName     string    `json:"org_name"`
	ReplyDue    string    `json:"reply_due"`    // the bank's first answer is due by then
	DecisionDue string    `json:"decision_due"` // the decision is due by then
}

// NewPortalCode returns a random one-time code of PortalCodeDigits digits.
func NewPortalCode() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		panic("redress: no randomness: " + err.Error()) // crypto/rand never fails on a supported system
	}
	s := n.String()
	return strings.Repeat("0", PortalCodeDigits-len(s)) + s
}

// PortalCodeState is what is known of a one-time code when one is tried.
type PortalCodeState struct {
	SentAt time.Time
	Tries  int  // wrong codes tried so far
	Used   bool // it opened a session already
}

// Usable reports whether the code may still be tried at now: unused, within
// PortalCodeTTL of being sent and with tries left.
func (s PortalCodeState) Usable(now time.Time) bool {
	return !s.Used && now.Before(s.SentAt.Add(PortalCodeTTL)) && s.Tries < PortalCodeTries
}

// NotifyPortalCode is the kind of the SMS that carries a one-time code.
const NotifyPortalCode NotifyKind = "portal_code"

// PortalCodeText is the SMS that carries a code: the code, what it is for,
// and how long it lasts; never the case's subject or any personal data.
func PortalCodeText(no, code string) string {
	return "您查询" + no + "处理进度的验证码为" + code + "，10分钟内有效。请勿告诉他人。"
}

// PortalCustomer is a customer signed in to the portal: one case, opened by
// a one-time code, until Expires. CSRF is the token the portal's forms carry.
type PortalCustomer struct {
	Session string // the session's id (the digest of its cookie)
	CaseNo  string
	CSRF    string
	Expires time.Time
}

type customerKey struct{}
type clientKey struct{}

// WithCustomer returns a context carrying the portal customer.
func WithCustomer(ctx context.Context, c *PortalCustomer) context.Context {
	return context.WithValue(ctx, customerKey{}, c)
}

// CustomerFrom returns the portal customer of ctx, or nil.
func CustomerFrom(ctx context.Context) *PortalCustomer {
	c, _ := ctx.Value(customerKey{}).(*PortalCustomer)
	return c
}

// WithClientAddress returns a context carrying the client address a portal
// request came from, which the audit event of the action records.
func WithClientAddress(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, clientKey{}, addr)
}

// ClientAddressFrom returns the client address of ctx, or "".
func ClientAddressFrom(ctx context.Context) string {
	a, _ := ctx.Value(clientKey{}).(string)
	return a
}

// PortalStage is a case's status in the customer's words.
type PortalStage string

// The stages a customer sees.
const (
	StageReceived  PortalStage = "received"  // 已收到，待受理
	StageHandling  PortalStage = "handling"  // 处理中
	StageAnswered  PortalStage = "answered"  // 已答复
	StageClosed    PortalStage = "closed"    // 已办结
	StageWithdrawn PortalStage = "withdrawn" // 已撤回
	StageRejected  PortalStage = "rejected"  // 不予受理
)

// PortalStages lists every stage.
var PortalStages = []PortalStage{StageReceived, StageHandling, StageAnswered, StageClosed, StageWithdrawn, StageRejected}

// PortalStageOf says where the case is, in the customer's words.
func PortalStageOf(s Status) PortalStage {
	switch s {
	case StatusRegistered:
		return StageReceived
	case StatusAccepted, StatusInvestigating:
		return StageHandling
	case StatusReplied, StatusSignedOff:
		return StageAnswered
	case StatusWithdrawn:
		return StageWithdrawn
	case StatusRejected:
		return StageRejected
	}
	return StageClosed
}

// PortalNotice is a notice the bank gave the customer, as the case records
// it: what (its kind), when, how, and what it said when the case keeps it.
type PortalNotice struct {
	Kind   string       `json:"kind"` // contact, accept, extend, pause, resume, decision, review_result
	At     time.Time    `json:"at"`
	Method NoticeMethod `json:"method"`
	Text   string       `json:"text,omitempty"`
	Date   string       `json:"date,omitempty"` // the date it named: the agreed reply date, the new decision date
}

// PortalNotices lists the notices a case records as given to the customer,
// oldest first: the first contact (with the agreed reply date), the notices
// of the deadline history (acceptance, extension with its new date, pause,
// resume), the decision notice, and each review's result. It reads what the
// case records today; notices the bank sends through the system will be
// added here.
func PortalNotices(c *Case) []PortalNotice {
	var out []PortalNotice
	if c.Contact != nil && !c.Contact.Notice.At.IsZero() {
		out = append(out, PortalNotice{Kind: "contact", At: c.Contact.Notice.At, Method: c.Contact.Notice.Method,
			Date: c.Contact.AgreedReplyDate})
	}
	for _, d := range c.DeadlineHistory {
		if d.Notice == nil || d.Notice.At.IsZero() {
			continue
		}
		if d.Action == string(ActionContact) && c.Contact != nil && d.Notice.At.Equal(c.Contact.Notice.At) {
			continue // the first contact, listed above
		}
		n := PortalNotice{Kind: d.Action, At: d.Notice.At, Method: d.Notice.Method}
		switch d.Action {
		case string(ActionExtend):
			n.Text, n.Date = d.Reason, d.After
		case string(ActionContact): // a later contact that agreed a new reply date
			n.Date = d.After
		}
		out = append(out, n)
	}
	if c.Reply != nil && !c.Reply.NoticeAt.IsZero() {
		out = append(out, PortalNotice{Kind: "decision", At: c.Reply.NoticeAt, Method: c.Reply.NoticeMethod,
			Text: strings.TrimSpace(c.Reply.Facts + "\n" + c.Reply.Basis + "\n" + c.Reply.Redress)})
	}
	for _, r := range c.Reviews {
		if r.Notice != nil && !r.Notice.At.IsZero() {
			out = append(out, PortalNotice{Kind: "review_result", At: r.Notice.At, Method: r.Notice.Method,
				Text: strings.TrimSpace(string(r.Result) + " " + r.Decision)})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

// PortalOffer is what a customer may do on their case now.
type PortalOffer struct {
	AddMaterial   bool   `json:"add_material"`
	Withdraw      bool   `json:"withdraw"`
	RequestReview bool   `json:"request_review"`
	ReviewKind    string `json:"review_kind,omitempty"` // the review a request would open
	ReviewBy      string `json:"review_by,omitempty"`   // the last day of the request window
	Rate          bool   `json:"rate"`
}

// PortalOffers says what the customer may do on the case today, by the
// same rules the store applies: material until the file is archived;
// withdrawal while the case is open (Lifecycle); a review request when
// NextReviewKind opens one and today is within its window, whose last day
// is reviewBy (the store computes it from the review policy); a rating once
// the decision was notified, when not rated yet.
func PortalOffers(c *Case, reviewBy string, rated bool, today Date) PortalOffer {
	o := PortalOffer{AddMaterial: !c.Status.Archived()}
	_, err := Transition(ActionWithdraw, c.Status, RoleStaff, false)
	o.Withdraw = err == nil
	if kind, err := NextReviewKind(c); err == nil && reviewBy != "" {
		_, err := Transition(ActionRequestReview, c.Status, RoleStaff, false)
		if last, perr := ParseDate(reviewBy); err == nil && perr == nil && !today.After(last) {
			o.RequestReview, o.ReviewKind, o.ReviewBy = true, string(kind), reviewBy
		}
	}
	o.Rate = c.Reply != nil && !c.Reply.NoticeAt.IsZero() && !rated
	return o
}

// PortalAsk is something the bank asks of the customer, or waits for.
type PortalAsk struct {
	Key  string `json:"key"`            // paused, review_window, rate, material
	Date string `json:"date,omitempty"` // the date it names
}

// PortalAsks lists what the bank asks of the customer now: when the clock
// stands still for an appraisal or mediation, to wait for the bank to come
// back; when the decision was notified, that a review may be requested by
// its last day and that the handling may be rated; while the case is being
// handled, that material may be added.
func PortalAsks(c *Case, o PortalOffer) []PortalAsk {
	var out []PortalAsk
	if c.PausedSince != "" {
		out = append(out, PortalAsk{Key: "paused", Date: c.PausedSince})
	}
	if o.AddMaterial && c.Status.Open() {
		out = append(out, PortalAsk{Key: "material"})
	}
	if o.RequestReview {
		out = append(out, PortalAsk{Key: "review_window", Date: o.ReviewBy})
	}
	if o.Rate {
		out = append(out, PortalAsk{Key: "rate"})
	}
	return out
}

// PortalRating is the customer's own rating of the handling of their case,
// given on the portal (apart from the satisfaction staff record at closing).
type PortalRating struct {
	Satisfaction Satisfaction `json:"satisfaction"`
	Comment      string       `json:"comment,omitempty"`
	At           time.Time    `json:"at"`
}

// PortalRatings are the answers a customer may give: unreachable is staff's word.
var PortalRatings = []Satisfaction{SatisfactionSatisfied, SatisfactionBasically, SatisfactionDissatisfed}

// Validate checks a rating.
func (r *PortalRating) Validate() error {
	var p Problems
	if !oneOf(r.Satisfaction, PortalRatings) {
		p.AddKey("satisfaction", ProblemChoice, valueList(PortalRatings))
	}
	checkText(&p, "comment", r.Comment, 0, 1000)
	return p.Err()
}

// PortalFile is a file the customer added, as they see it.
type PortalFile struct {
	Name string    `json:"name"`
	Size int64     `json:"size"`
	At   time.Time `json:"at"`
}

// PortalReview is a review of the decision as the customer sees it.
type PortalReview struct {
	Kind       ReviewKind   `json:"kind"`
	ReceivedAt time.Time    `json:"received_at"`
	Due        string       `json:"due"`
	Result     ReviewResult `json:"result,omitempty"`
}

// PortalView is the case as its customer may see it on the portal: no staff
// names, no internal notes, findings or determination; the status in plain
// words (StatusText, in the language of the request), the deadlines, the
// notices given, what the bank asks, and what the customer may do.
type PortalView struct {
	No          string         `json:"no"`
	Kind        Kind           `json:"kind"`
	Stage       PortalStage    `json:"stage"`
	StatusText  string         `json:"status_text"`
	ReceivedAt  time.Time      `json:"received_at"`
	Org         string         `json:"org"`
	OrgName     string         `json:"org_name"`
	Subject     string         `json:"subject"`
	ReplyDue    string         `json:"reply_due"`
	DecisionDue string         `json:"decision_due"`
	AgreedReply string         `json:"agreed_reply_due,omitempty"`
	PausedSince string         `json:"paused_since,omitempty"`
	Notices     []PortalNotice `json:"notices"`
	Asks        []PortalAsk    `json:"asks"`
	Reviews     []PortalReview `json:"reviews"`
	Files       []PortalFile   `json:"files"`
	Rating      *PortalRating  `json:"rating,omitempty"`
	Offer       PortalOffer    `json:"offer"`
}

// NewPortalView builds the customer's view of a case.
func NewPortalView(c *Case, orgName string, files []PortalFile, rating *PortalRating, reviewBy string, today Date) *PortalView {
	offer := PortalOffers(c, reviewBy, rating != nil, today)
	v := &PortalView{No: c.No, Kind: c.Kind, Stage: PortalStageOf(c.Status), ReceivedAt: c.ReceivedAt, Org: c.Org, OrgName: orgName,
		Subject: c.Subject, ReplyDue: c.ReplyDue, DecisionDue: c.DecisionDue, AgreedReply: c.AgreedReplyDue,
		PausedSince: c.PausedSince, Notices: PortalNotices(c), Asks: PortalAsks(c, offer), Files: files, Rating: rating,
		Offer: offer, Reviews: []PortalReview{}}
	if v.Notices == nil {
		v.Notices = []PortalNotice{}
	}
	if v.Asks == nil {
		v.Asks = []PortalAsk{}
	}
	if v.Files == nil {
		v.Files = []PortalFile{}
	}
	for _, r := range c.Reviews {
		v.Reviews = append(v.Reviews, PortalReview{Kind: r.Kind, ReceivedAt: r.ReceivedAt, Due: r.Due, Result: r.Result})
	}
	return v
}

// PortalCodeRequest asks for a one-time code: the tracking number and the
// mobile number on the case. The answer never says whether either is known.
type PortalCodeRequest struct {
	No    string `json:"no"`
	Phone string `json:"phone"`
}

// PortalTrackRequest opens a case with its code.
type PortalTrackRequest struct {
	No    string `json:"no"`
	Phone string `json:"phone"`
	Code  string `json:"code"`
}

// PortalWithdrawal withdraws the customer's case, with their reason.
type PortalWithdrawal struct {
	Reason string `json:"reason"`
}

// PortalReviewRequest asks for the review of the decision (核查, 复查, 复核).
type PortalReviewRequest struct {
	Text string `json:"text"`
}

// PortalService is the customer portal's store. The customer is named by
// the context (WithCustomer) for the methods after Track; the client
// address (WithClientAddress) goes into every audit event.
type PortalService interface {
	// SubmitCase registers a customer's case in the chosen unit's queue.
	// Errors: EINVALID.
	SubmitCase(ctx context.Context, s PortalSubmission) (*PortalReceipt, error)
	// RequestCode makes a one-time code for the case when the number and
	// phone match one, and returns it with the number to send it to; when
	// they do not, it returns "" and does comparable work. Errors: none a
	// caller may show apart (the answer is always the same).
	RequestCode(ctx context.Context, r PortalCodeRequest) (code, to string, err error)
	// Track checks a code and opens a session of the case: its cookie token.
	// Errors: EFORBIDDEN (the same for every failure).
	Track(ctx context.Context, r PortalTrackRequest) (token string, c *PortalCustomer, err error)
	// PortalSession returns the customer of a session cookie's token.
	// Errors: EUNAUTHORIZED.
	PortalSession(ctx context.Context, token string) (*PortalCustomer, error)
	// PortalCase returns the customer's case as they may see it.
	PortalCase(ctx context.Context) (*PortalView, error)
	// AddMaterial adds a file to the customer's case. Errors: EINVALID, ECONFLICT.
	AddMaterial(ctx context.Context, n NewEvidence) (*PortalFile, error)
	// Withdraw withdraws the customer's case. Errors: EINVALID, ECONFLICT.
	Withdraw(ctx context.Context, w PortalWithdrawal) error
	// RequestReview requests the review of the decision. Errors: EINVALID, ECONFLICT.
	RequestReview(ctx context.Context, r PortalReviewRequest) error
	// Rate records the customer's rating of the handling. Errors: EINVALID, ECONFLICT.
	Rate(ctx context.Context, r PortalRating) error
	// PortalUnits lists the units a customer may choose: code, name, kind, parent.
	PortalUnits(ctx context.Context) ([]*OrgUnit, error)
}

// portalFileTypes are the types a customer may upload, as
// http.DetectContentType names them from the content: documents, pictures
// and recordings. The type a client declares is never trusted.
var portalFileTypes = map[string]string{
	"application/pdf": "application/pdf", "image/jpeg": "image/jpeg", "image/png": "image/png",
	"image/gif": "image/gif", "image/webp": "image/webp", "audio/mpeg": "audio/mpeg", "audio/wave": "audio/wav",
	"video/mp4": "video/mp4", "text/plain; charset=utf-8": "text/plain",
}

// PortalFileType checks a customer's file by its content (the sniffing
// algorithm of the WHATWG MIME Sniffing standard, net/http's
// DetectContentType): not empty, at most PortalMaxFileBytes, and of a type
// the portal takes. It returns the type to store the file as. Problems are
// on field.
func PortalFileType(field string, content []byte) (string, error) {
	var p Problems
	kind, ok := portalFileTypes[http.DetectContentType(content)]
	switch {
	case len(content) == 0:
		p.AddKey(field, ProblemRequired)
	case len(content) > PortalMaxFileBytes:
		p.AddKey(field, ProblemTooLarge, "10 MiB")
	case !ok:
		p.AddKey(field, ProblemFileType)
	}
	return kind, p.Err()
}
