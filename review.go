package redress

import (
	"fmt"
	"strings"
	"time"
)

// This file is the review of a decision by the superior institution: a
// complaint's 核查 (CBIRC Order 2020 No.3 Art.20) and a petition's 复查 and
// 复核 (信访工作条例 Arts.35–36). The customer asks within 30 days of the
// decision notice (the policy "review", clock request_window); the unit
// above the one that decided opens a review on the original case and gives
// its opinion within 30 days (clock decision); the reviewer is never the
// original handler nor signer. After 复核 the same matter is not accepted
// again. The rules are pure functions; the store persists the record
// (sqldb/review.go).

// ReviewKind is what kind of review the customer asked for.
type ReviewKind string

// The review kinds.
const (
	ReviewVerification ReviewKind = "verification" // 核查 (complaint, Order 2020 No.3 Art.20)
	ReviewRecheck      ReviewKind = "recheck"      // 复查 (petition, 信访工作条例 Art.35)
	ReviewReexamine    ReviewKind = "reexamine"    // 复核 (petition, 信访工作条例 Art.36)
)

// ReviewKinds lists every review kind.
var ReviewKinds = []ReviewKind{ReviewVerification, ReviewRecheck, ReviewReexamine}

// ReviewResult is the reviewer's decision on the original decision.
type ReviewResult string

// The review results.
const (
	ReviewUpheld  ReviewResult = "upheld"  // 维持原处理决定
	ReviewChanged ReviewResult = "changed" // 变更原处理决定 (a new decision notice)
	ReviewPartly  ReviewResult = "partly"  // 部分变更
)

// ReviewResults lists every review result.
var ReviewResults = []ReviewResult{ReviewUpheld, ReviewChanged, ReviewPartly}

// Review is one review of a case's decision by the superior institution.
type Review struct {
	ID   int64      `json:"-"`
	Kind ReviewKind `json:"kind"`
	// Org is the reviewing unit (the unit above the one that decided, or
	// head office when head office decided); OrgPath its path, for the guard.
	Org     string `json:"org"`
	OrgName string `json:"org_name"`
	OrgPath string `json:"-"`
	// ReceivedAt is when the customer's request reached the bank (any unit),
	// ReceivedBy who recorded it, Text what the customer asked.
	ReceivedAt time.Time `json:"received_at"`
	ReceivedBy string    `json:"received_by"`
	Text       string    `json:"text"`
	// WindowDue is the last day the request could be made; Due the last day
	// of the review's own 30-day clock.
	WindowDue string `json:"window_due"`
	Due       string `json:"due"`
	// OriginalHandler and OriginalSigner may not decide the review.
	OriginalHandler string `json:"original_handler,omitempty"`
	OriginalSigner  string `json:"original_signer,omitempty"`
	// The decision: who, when, the three checks (process, timeliness,
	// result), the result and, when changed, the new decision notice, and
	// the notice of the result to the customer.
	DecidedBy  string        `json:"decided_by,omitempty"`
	DecidedAt  *time.Time    `json:"decided_at,omitempty"`
	Process    string        `json:"process,omitempty"`
	Timeliness string        `json:"timeliness,omitempty"`
	Merits     string        `json:"merits,omitempty"`
	Result     ReviewResult  `json:"result,omitempty"`
	Decision   string        `json:"decision,omitempty"` // the new decision notice, when changed or partly
	Notice     *NoticeRecord `json:"notice,omitempty"`
	Overdue    bool          `json:"overdue"`
}

// Open reports whether the review waits for its opinion.
func (r *Review) Open() bool { return r.DecidedAt == nil }

// LastReview returns the case's latest review, or nil.
func (c *Case) LastReview() *Review {
	if len(c.Reviews) == 0 {
		return nil
	}
	return &c.Reviews[len(c.Reviews)-1]
}

// Reexamined reports whether the case's 复核 opinion has been given: the
// petition's matter is then closed for good, and a new petition on the same
// facts and grounds is not accepted again (信访工作条例 Art.36: 不再受理).
func (c *Case) Reexamined() bool {
	for _, r := range c.Reviews {
		if r.Kind == ReviewReexamine && !r.Open() {
			return true
		}
	}
	return false
}

// OpenReview returns the case's review in progress, or nil.
func (c *Case) OpenReview() *Review {
	if r := c.LastReview(); r != nil && r.Open() {
		return r
	}
	return nil
}

// NextReviewKind says which review a request on the case opens now, or
// why none may be opened: a complaint gets one 核查; a petition a 复查 and,
// after the 复查 opinion, a 复核, and after 复核 nothing more (信访工作条例
// Art.36: 不再受理); another kind of case has no review. A review in
// progress takes no second request; a case not yet decided and notified
// has nothing to review.
func NextReviewKind(c *Case) (ReviewKind, error) {
	if c.Kind != KindComplaint && c.Kind != KindPetition {
		return "", Errorf(ECONFLICT, "a %s has no review: 核查 is for complaints, 复查/复核 for petitions", c.Kind)
	}
	if c.Reply == nil || c.Reply.NoticeAt.IsZero() {
		return "", Errorf(ECONFLICT, "case %s has no decision notice yet: there is nothing to review", c.No)
	}
	last := c.LastReview()
	if last != nil && last.Open() {
		return "", Errorf(ECONFLICT, "case %s is already under %s, due %s", c.No, last.Kind, last.Due)
	}
	switch {
	case c.Kind == KindComplaint && last == nil:
		return ReviewVerification, nil
	case c.Kind == KindComplaint:
		return "", Errorf(ECONFLICT, "case %s was already verified (核查) by %s: CBIRC Order 2020 No.3 Art.20 gives one 核查; the customer may turn to mediation, arbitration or the courts", c.No, last.Org)
	case last == nil:
		return ReviewRecheck, nil
	case last.Kind == ReviewRecheck:
		return ReviewReexamine, nil
	}
	return "", Errorf(ECONFLICT, "case %s was re-examined (复核) by %s: 信访工作条例 Art.36 — the same matter is not accepted again (不再受理)", c.No, last.Org)
}

// ReviewWindowStart is the day the request window opens: the decision
// notice, or for 复核 the notice of the 复查 opinion.
func ReviewWindowStart(c *Case, kind ReviewKind) Date {
	if kind == ReviewReexamine {
		if last := c.LastReview(); last != nil && last.Notice != nil {
			return DateOf(last.Notice.At.In(Beijing))
		}
	}
	return DateOf(c.Reply.NoticeAt.In(Beijing))
}

// MayReceiveReviewRequest reports whether the user may record the
// customer's request for a review of a case outside their units: the
// request may reach any unit of the bank (DOMAIN: "received by any unit";
// CBIRC Order 2020 No.3 Art.20 sends the customer to the superior
// institution, and a customer walks into whichever branch is near), so any
// staff member who may register a complaint records it, except the staff
// member the complaint accuses. Such a receiver learns no more of the case
// than the review they opened (ReviewReceipt).
func MayReceiveReviewRequest(u *User, c *Case) bool {
	return MayRegister(u.Role) && !c.IsRespondent(u)
}

// ReviewReceipt is what the receiver of a review request outside the
// case's units is told: the case's number, kind, status and version, and
// the review opened, with its unit and due date but without the names of
// the original handler and signer.
type ReviewReceipt struct {
	No      string  `json:"no"`
	Kind    Kind    `json:"kind"`
	Status  Status  `json:"status"`
	Version int     `json:"version"`
	Review  *Review `json:"review"`
}

// OnlyReceipt returns the case reduced to what a receiver outside its
// units may know (ReviewReceipt), marked ReceiptOnly.
func (c *Case) OnlyReceipt() *Case {
	out := &Case{No: c.No, Kind: c.Kind, Status: c.Status, Version: c.Version, ReceiptOnly: true}
	if r := c.LastReview(); r != nil {
		receipt := *r
		receipt.OriginalHandler, receipt.OriginalSigner = "", ""
		out.Reviews = []Review{receipt}
		out.Review = &out.Reviews[0]
	}
	return out
}

// Receipt returns the ReviewReceipt of the case.
func (c *Case) Receipt() *ReviewReceipt {
	return &ReviewReceipt{No: c.No, Kind: c.Kind, Status: c.Status, Version: c.Version, Review: c.OnlyReceipt().Review}
}

// ReviewParentPath returns the path of the unit that reviews a decision
// of the unit with the given path: its parent, or itself at the root (head
// office reviews its own decisions).
func ReviewParentPath(path string) string {
	trimmed := strings.TrimSuffix(path, "/")
	i := strings.LastIndex(trimmed, "/")
	if i <= 0 {
		return path
	}
	return trimmed[:i+1]
}

// MayReview says why the user may not decide the case's open review, or ""
// when they may: the reviewing unit in their scope, neither the original
// handler nor the original signer, nor the staff member complained about.
func MayReview(u *User, c *Case, r *Review) string {
	switch {
	case !InSubtree(r.OrgPath, u.OrgPath):
		return "the review belongs to " + r.Org + ", the unit above the one that decided: " + u.Login + " works outside it"
	case r.OriginalHandler != "" && r.OriginalHandler == u.Login:
		return u.Login + " handled the original case and may not review it"
	case r.OriginalSigner != "" && r.OriginalSigner == u.Login:
		return u.Login + " signed the original decision off and may not review it"
	case c.IsRespondent(u):
		return u.Login + " is the staff member complained about"
	}
	return ""
}

// openReview builds the review a request opens on the case, checking the
// request window (late → EINVALID on received_at naming the window).
func openReview(c *Case, in ActionInput) (*Review, error) {
	kind, err := NextReviewKind(c)
	if err != nil {
		return nil, err
	}
	req := in.Request
	window, err := in.Deadlines.Due(PolicyReview, ClockRequestWindow, ReviewWindowStart(c, kind), 0)
	if err != nil {
		return nil, err
	}
	received := DateOf(req.ReceivedAt.In(Beijing))
	if received.After(window.Date) {
		return nil, &Error{Code: EINVALID, Message: "invalid input", Fields: map[string]string{"received_at": "late: " +
			reviewArticle(kind) + " — a request must reach the bank within 30 days of the decision notice of " +
			ReviewWindowStart(c, kind).String() + ", that is by " + window.Date.String()}}
	}
	due, err := in.Deadlines.Due(PolicyReview, ClockDecision, received, 0)
	if err != nil {
		return nil, err
	}
	return &Review{Kind: kind, OrgPath: ReviewParentPath(c.OrgPath),
		ReceivedAt: req.ReceivedAt.UTC().Truncate(time.Microsecond), ReceivedBy: in.Actor.Login, Text: req.Text,
		WindowDue: window.Date.String(), Due: due.Date.String(),
		OriginalHandler: c.Handler, OriginalSigner: c.SignedOffBy}, nil
}

// decideReview records the reviewer's decision on the open review.
func decideReview(c *Case, in ActionInput) (*Review, error) {
	r := c.OpenReview()
	if r == nil {
		return nil, Errorf(ECONFLICT, "case %s has no review in progress", c.No)
	}
	req := in.Request
	now := in.Now
	r.DecidedBy, r.DecidedAt = in.Actor.Login, &now
	r.Process, r.Timeliness, r.Merits = req.ReviewProcess, req.ReviewTimeliness, req.ReviewMerits
	r.Result, r.Decision, r.Notice = req.ReviewResult, req.Text, notice(req)
	return r, nil
}

// reviewArticle is the rule a kind of review follows.
func reviewArticle(k ReviewKind) string {
	switch k {
	case ReviewRecheck:
		return "信访工作条例 Art.35 (复查)"
	case ReviewReexamine:
		return "信访工作条例 Art.36 (复核)"
	}
	return "CBIRC Order 2020 No.3 Art.20 (核查)"
}

// validateReviewRequest checks request_review's own fields.
func (r *ActionRequest) validateReviewRequest(p *Problems, now time.Time) {
	switch {
	case r.ReceivedAt.IsZero():
		p.AddKey("received_at", ProblemRequired)
	case r.ReceivedAt.After(now.Add(5 * time.Minute)):
		p.AddKey("received_at", ProblemFuture)
	}
	checkText(p, "text", r.Text, 2, 5000)
}

// validateReviewDecision checks decide_review's own fields: the three
// checks, the result, the new decision when changed, the notice.
func (r *ActionRequest) validateReviewDecision(p *Problems, now time.Time) {
	checkText(p, "process", r.ReviewProcess, 2, 5000)
	checkText(p, "timeliness", r.ReviewTimeliness, 2, 5000)
	checkText(p, "merits", r.ReviewMerits, 2, 5000)
	if !oneOf(r.ReviewResult, ReviewResults) {
		p.Add("result", "required: upheld, changed or partly")
	}
	minText := 0
	if r.ReviewResult == ReviewChanged || r.ReviewResult == ReviewPartly {
		minText = 2 // the new decision notice
	}
	checkText(p, "text", r.Text, minText, 20000)
	r.Reply.validateNotice(p, now)
}

// markReviewsOverdue marks an open review whose due date has passed (MarkOverdue).
func (c *Case) markReviewsOverdue(now time.Time) {
	today := DateOf(now.In(Beijing))
	for i := range c.Reviews {
		r := &c.Reviews[i]
		due, err := ParseDate(r.Due)
		r.Overdue = r.Open() && err == nil && today.After(due)
	}
}

// reviewNames are the Chinese names of the review kinds, for notices.
var reviewNames = map[ReviewKind]string{ReviewVerification: "核查", ReviewRecheck: "复查", ReviewReexamine: "复核"}

// ReviewRequestNotice is the in-app notice to the managers of the reviewing
// unit that a customer's request for a review came in, wherever it was
// received: the case, the kind of review, who received it and when, and the
// due date of the opinion.
func ReviewRequestNotice(c *Case, r *Review) (subject, body string) {
	name, prefix, who := reviewNames[r.Kind], "【投诉管理】", "客户"
	if c.Kind == KindPetition {
		prefix, who = "【信访管理】", "信访人"
	}
	return fmt.Sprintf("%s案件 %s 收到%s申请", prefix, c.No, name),
		fmt.Sprintf("%s于 %s 提出%s申请（%s 接收），由%s办理，请于 %s 前出具%s意见。", who,
			r.ReceivedAt.In(Beijing).Format("2006-01-02 15:04"), name, r.ReceivedBy, r.OrgName, r.Due, name)
}
