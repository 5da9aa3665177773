package redress

import (
	"context"
	"strings"
	"time"
)

// Notices to the customer (告知), each with its own proof: the acceptance
// notice, the first contact and the agreed reply date, an extension (its
// reason and new date), a pause and its resumption, the decision (with the
// remedies) and a review's result. The text comes from a template (admin
// data, zh and en) that names the bank, its complaint hotline and address
// (seed 002 Art.5: 客户投诉电话 on every document); it is previewed before it
// is sent. An SMS goes through the outbox and its delivery result is its
// proof; a letter is printed and its posting recorded; a phone call or a
// talk in person is recorded by the staff member with their proof. No
// external message carries the complaint's own text.

// CustomerNoticeKind is what a notice tells the customer.
type CustomerNoticeKind string

// The notice kinds.
const (
	NoticeAcceptance   CustomerNoticeKind = "acceptance"    // 受理告知
	NoticeContact      CustomerNoticeKind = "contact"       // 首次联系，约定答复时间
	NoticeExtension    CustomerNoticeKind = "extension"     // 延期告知（原因、新期限）
	NoticePause        CustomerNoticeKind = "pause"         // 中止告知
	NoticeResume       CustomerNoticeKind = "resume"        // 恢复告知
	NoticeDecision     CustomerNoticeKind = "decision"      // 处理决定（救济途径）
	NoticeReviewResult CustomerNoticeKind = "review_result" // 核查/复查/复核结果
	NoticeMerged       CustomerNoticeKind = "merged"        // 合并处理告知 (Order 2020 No.3 Art.18, repeat.go)
)

// CustomerNoticeKinds lists every kind.
var CustomerNoticeKinds = []CustomerNoticeKind{NoticeAcceptance, NoticeContact, NoticeExtension, NoticePause, NoticeResume,
	NoticeDecision, NoticeReviewResult, NoticeMerged}

// The kinds of template that are no notice a staff member sends: the
// footer of the printed documents (the receipt 受理回执, the decision letter
// 处理决定书: seed 002 Art.5, 客户投诉电话 on every document) and the SMS
// survey link of a return visit (回访短信), queued when the visit is planned.
const (
	NoticeFooter CustomerNoticeKind = "footer" // 文书页脚
	NoticeSurvey CustomerNoticeKind = "survey" // 回访满意度调查短信
)

// NoticeTemplateKinds lists every kind of template: the notices, the
// documents' footer and the survey link.
var NoticeTemplateKinds = append(append([]CustomerNoticeKind{}, CustomerNoticeKinds...), NoticeFooter, NoticeSurvey)

// NoticeLangs are the languages of the templates.
var NoticeLangs = []string{"zh-CN", "en"}

// CustomerNoticeMethods are the methods a notice is sent by: SMS or e-mail
// through the outbox, a printed letter, a phone call or a talk in person
// recorded by the staff member.
var CustomerNoticeMethods = []NoticeMethod{NoticeSMS, NoticeEmail, NoticeLetter, NoticePhone, NoticeInPerson}

// ExternalNotice reports whether a notice by method leaves the bank as a
// message (SMS, e-mail), which carries no text typed about the case.
func ExternalNotice(method NoticeMethod) bool { return method == NoticeSMS || method == NoticeEmail }

// NoticeTemplate is the text of one kind of notice in one language, with
// placeholders: {bank}, {hotline}, {address} (the bank's profile), {no}
// (the tracking number), {date} (the date the notice is about), {reason}
// (an extension's or a pause's reason: on a letter or a call only, never in
// an SMS), {remedies} (the decision's remedies, by name) and, in the survey
// SMS alone, {link} (the survey link, filled when the SMS is sent).
type NoticeTemplate struct {
	Kind CustomerNoticeKind `json:"kind"`
	Lang string             `json:"lang"`
	Body string             `json:"body"`
}

// noticePlaceholders are the placeholders a template may use.
var noticePlaceholders = []string{"{bank}", "{hotline}", "{address}", "{no}", "{date}", "{reason}", "{remedies}", "{link}"}

// ValidateNoticeTemplates checks a set of templates: one per known kind
// and language at most, a text of 10–1000 characters that names the
// hotline (seed 002 Art.5), no unknown placeholder; the survey SMS, and it
// alone, carries the link.
func ValidateNoticeTemplates(ts []NoticeTemplate) error {
	var p Problems
	seen := map[string]bool{}
	for _, t := range ts {
		key := string(t.Kind) + "." + t.Lang
		field := "templates." + key
		if !oneOf(t.Kind, NoticeTemplateKinds) || !oneOf(t.Lang, NoticeLangs) || seen[key] {
			p.AddKey(field, ProblemUnknown, key)
			continue
		}
		seen[key] = true
		checkText(&p, field, t.Body, 10, 1000)
		if !strings.Contains(t.Body, "{hotline}") {
			p.Add(field, "must name the complaint hotline ({hotline})")
		}
		if (t.Kind == NoticeSurvey) != strings.Contains(t.Body, "{link}") {
			p.Add(field, "{link} belongs in the survey SMS, which must carry it")
		}
		rest := t.Body
		for _, ph := range noticePlaceholders {
			rest = strings.ReplaceAll(rest, ph, "")
		}
		if i := strings.Index(rest, "{"); i >= 0 && strings.Contains(rest[i:], "}") {
			p.Add(field, "an unknown placeholder; use "+strings.Join(noticePlaceholders, " "))
		}
	}
	return p.Err()
}

// DefaultNoticeTemplates are the templates until an admin sets their own.
func DefaultNoticeTemplates() []NoticeTemplate {
	zh := map[CustomerNoticeKind]string{
		NoticeAcceptance:   "【{bank}】您的投诉（编号 {no}）已受理，我行将于 {date} 前答复。查询进度或有疑问请致电客户投诉电话 {hotline}。",
		NoticeContact:      "【{bank}】关于您的投诉（编号 {no}），我行已与您联系，约定于 {date} 前答复。客户投诉电话 {hotline}。",
		NoticeExtension:    "【{bank}】您的投诉（编号 {no}）情况复杂，处理期限延长至 {date}。{reason}客户投诉电话 {hotline}。",
		NoticePause:        "【{bank}】您的投诉（编号 {no}）自 {date} 起因鉴定或调解中止计算处理期限。{reason}客户投诉电话 {hotline}。",
		NoticeResume:       "【{bank}】您的投诉（编号 {no}）已恢复处理，处理期限至 {date}。客户投诉电话 {hotline}。",
		NoticeDecision:     "【{bank}】您的投诉（编号 {no}）已于 {date} 作出处理决定。如不满意，您可{remedies}。客户投诉电话 {hotline}，地址 {address}。",
		NoticeReviewResult: "【{bank}】您就投诉（编号 {no}）申请的复核已于 {date} 作出结果，详见书面告知。客户投诉电话 {hotline}。",
		NoticeMerged:       "【{bank}】您的投诉（编号 {no}）与您此前就同一事项的投诉合并处理，处理期限至 {date}。客户投诉电话 {hotline}。",
		NoticeFooter:       "请凭编号 {no} 查询处理进度。{bank}客户投诉电话 {hotline}。{address}",
		NoticeSurvey:       "【{bank}】您的投诉（编号 {no}）已办结，请在 {link} 评价我行的处理（链接限用一次）。客户投诉电话 {hotline}。",
	}
	en := map[CustomerNoticeKind]string{
		NoticeAcceptance:   "{bank}: your complaint {no} has been accepted; we will answer by {date}. Complaint hotline {hotline}.",
		NoticeContact:      "{bank}: about your complaint {no}, as agreed with you we will answer by {date}. Complaint hotline {hotline}.",
		NoticeExtension:    "{bank}: your complaint {no} needs more time; we will answer by {date}. {reason}Complaint hotline {hotline}.",
		NoticePause:        "{bank}: the time to handle your complaint {no} stands still from {date} for an appraisal or mediation. {reason}Complaint hotline {hotline}.",
		NoticeResume:       "{bank}: handling of your complaint {no} has resumed; we will answer by {date}. Complaint hotline {hotline}.",
		NoticeDecision:     "{bank}: a decision on your complaint {no} was made on {date}. If you are not satisfied you may {remedies}. Complaint hotline {hotline}, {address}.",
		NoticeReviewResult: "{bank}: the review you asked for on complaint {no} was decided on {date}; see the written notice. Complaint hotline {hotline}.",
		NoticeMerged:       "{bank}: your complaint {no} is handled together with your earlier complaint on the same matter; we will answer by {date}. Complaint hotline {hotline}.",
		NoticeFooter:       "Quote the number {no} to follow your case. {bank} complaint hotline {hotline}. {address}",
		NoticeSurvey:       "{bank}: your complaint {no} is closed; please rate how we handled it at {link} (the link works once). Complaint hotline {hotline}.",
	}
	var out []NoticeTemplate
	for _, k := range NoticeTemplateKinds {
		out = append(out, NoticeTemplate{Kind: k, Lang: "zh-CN", Body: zh[k]}, NoticeTemplate{Kind: k, Lang: "en", Body: en[k]})
	}
	return out
}

// NoticeFacts are what a notice may say about a case, and nothing else:
// no field carries the complaint's own text.
type NoticeFacts struct {
	No       string
	Date     string // YYYY-MM-DD
	Reason   string // an extension's or pause's reason, for letters and calls
	Remedies []Remedy
}

// NoticeFactsOf gathers the facts of a kind of notice from the case: the
// reply due date (acceptance), the agreed date (contact), the new decision
// date and its reason (extension, from the last deadline change), the day
// paused and its reason (pause), the decision date after resuming
// (resume), the decision notice's date and remedies (decision), the latest
// review's decision date (review result), the reply due date (the
// documents' footer), the return visit's due date (the survey SMS). ok is false when the case has
// nothing to tell of that kind yet.
func NoticeFactsOf(c *Case, kind CustomerNoticeKind) (NoticeFacts, bool) {
	f := NoticeFacts{No: c.No}
	last := func(action Action) *DeadlineChange {
		for i := len(c.DeadlineHistory) - 1; i >= 0; i-- {
			if c.DeadlineHistory[i].Action == string(action) {
				return &c.DeadlineHistory[i]
			}
		}
		return nil
	}
	switch kind {
	case NoticeAcceptance:
		f.Date = c.DecisionDue
		return f, c.Status != StatusRegistered && c.DecisionDue != ""
	case NoticeContact:
		f.Date = c.AgreedReplyDue
		return f, c.Contact != nil && c.AgreedReplyDue != ""
	case NoticeExtension, NoticePause, NoticeResume:
		ch := last(map[CustomerNoticeKind]Action{NoticeExtension: ActionExtend, NoticePause: ActionPause, NoticeResume: ActionResume}[kind])
		if ch == nil {
			return f, false
		}
		f.Date, f.Reason = ch.After, ch.Reason
		if kind == NoticePause {
			f.Date = DateOf(ch.At).String()
		}
		return f, true
	case NoticeDecision:
		if c.Reply == nil {
			return f, false
		}
		f.Date, f.Remedies = DateOf(c.Reply.NoticeAt).String(), c.Reply.Remedies
		return f, true
	case NoticeReviewResult:
		r := c.LastReview()
		if r == nil || r.DecidedAt == nil {
			return f, false
		}
		f.Date = DateOf(*r.DecidedAt).String()
		return f, true
	case NoticeMerged: // repeat.go: the survivor's due date, which the merged case's clocks follow
		f.Date = c.MergedDue
		return f, c.MergedInto != "" && c.MergedDue != ""
	case NoticeFooter:
		f.Date = c.ReplyDue
		return f, true
	case NoticeSurvey:
		if c.ReturnVisit == nil {
			return f, false
		}
		f.Date = c.ReturnVisit.Due
		return f, true
	}
	return f, false
}

// remedyNames name the remedies in a notice, per language.
var remedyNames = map[string]map[Remedy]string{
	"zh-CN": {RemedyReview: "申请核查", RemedyMediation: "申请调解", RemedyArbitration: "申请仲裁", RemedyLitigation: "提起诉讼"},
	"en": {RemedyReview: "ask for a review", RemedyMediation: "ask for mediation", RemedyArbitration: "go to arbitration",
		RemedyLitigation: "go to court"},
}

// RenderNotice fills a template with the bank's profile and the facts. An
// external message (SMS, e-mail) leaves the reason out: only the
// tracking number, dates, remedies by name and the bank's own details go
// out, never text typed about the case.
func RenderNotice(t NoticeTemplate, f NoticeFacts, bank BankProfile, external bool) string {
	sep, end := "、", "。"
	if t.Lang == "en" {
		sep, end = ", ", ". "
	}
	var names []string
	for _, r := range f.Remedies {
		names = append(names, remedyNames[t.Lang][r])
	}
	reason := ""
	if !external && strings.TrimSpace(f.Reason) != "" {
		reason = strings.TrimSpace(f.Reason) + end
	}
	return strings.NewReplacer("{bank}", bank.Name, "{hotline}", bank.Hotline, "{address}", bank.Address, "{no}", f.No,
		"{date}", f.Date, "{reason}", reason, "{remedies}", strings.Join(names, sep)).Replace(t.Body)
}

// CustomerNoticeStatus is where a notice stands.
type CustomerNoticeStatus string

// The statuses: an SMS is pending until the outbox hands it over (sent) or
// gives up (failed, dead); a letter is printed, then posted; a call or a
// talk is recorded.
const (
	CustomerNoticePending  CustomerNoticeStatus = "pending"
	CustomerNoticeSent     CustomerNoticeStatus = "sent"
	CustomerNoticeFailed   CustomerNoticeStatus = "failed"
	CustomerNoticeDead     CustomerNoticeStatus = "dead"
	CustomerNoticePrinted  CustomerNoticeStatus = "printed"
	CustomerNoticePosted   CustomerNoticeStatus = "posted"
	CustomerNoticeRecorded CustomerNoticeStatus = "recorded"
)

// CustomerNoticeStatuses lists every status.
var CustomerNoticeStatuses = []CustomerNoticeStatus{CustomerNoticePending, CustomerNoticeSent, CustomerNoticeFailed,
	CustomerNoticeDead, CustomerNoticePrinted, CustomerNoticePosted, CustomerNoticeRecorded}

// CustomerNotice is one notice to the customer and its proof: the
// delivery result of an SMS, the posting of a letter, the staff member's
// record of a call.
type CustomerNotice struct {
	ID     int64                `json:"id"`
	Case   string               `json:"case"`
	Kind   CustomerNoticeKind   `json:"kind"`
	Method NoticeMethod         `json:"method"`
	Lang   string               `json:"lang"`
	Body   string               `json:"body"`
	Status CustomerNoticeStatus `json:"status"`
	Proof  string               `json:"proof,omitempty"`
	By     string               `json:"by"`
	At     time.Time            `json:"at"`
	SentAt *time.Time           `json:"sent_at,omitempty"`
}

// NoticeRequest asks for a notice: its kind, method, language and, for a
// call or a talk, the staff member's proof (录音编号 …).
type NoticeRequest struct {
	Kind   CustomerNoticeKind `json:"kind"`
	Method NoticeMethod       `json:"method"`
	Lang   string             `json:"lang,omitempty"` // "" is zh-CN
	Proof  string             `json:"proof,omitempty"`
}

// Validate checks a request; preview true needs no proof yet.
func (r *NoticeRequest) Validate(preview bool) error {
	var p Problems
	if r.Lang == "" {
		r.Lang = "zh-CN"
	}
	if !oneOf(r.Kind, CustomerNoticeKinds) {
		p.AddKey("kind", ProblemUnknown, string(r.Kind))
	}
	if !oneOf(r.Method, CustomerNoticeMethods) {
		p.AddKey("method", ProblemOneOf, "sms, letter, phone, in_person")
	}
	if !oneOf(r.Lang, NoticeLangs) {
		p.AddKey("lang", ProblemOneOf, "zh-CN, en")
	}
	if !preview && (r.Method == NoticePhone || r.Method == NoticeInPerson) {
		checkText(&p, "proof", r.Proof, 2, 500)
	} else {
		checkText(&p, "proof", r.Proof, 0, 500)
	}
	return p.Err()
}

// ValidatePostingProof checks the proof of a letter's posting (挂号信号, 邮寄凭证).
func ValidatePostingProof(proof string) error {
	var p Problems
	checkText(&p, "proof", proof, 2, 500)
	return p.Err()
}

// CustomerNoticeService sends notices to customers and keeps their proof.
type CustomerNoticeService interface {
	// NoticeTemplates returns the templates in force. Errors: EUNAUTHORIZED.
	NoticeTemplates(ctx context.Context) ([]NoticeTemplate, error)
	// SetNoticeTemplates replaces them (admin only), audited.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID.
	SetNoticeTemplates(ctx context.Context, ts []NoticeTemplate) ([]NoticeTemplate, error)
	// PreviewNotice renders a notice of the case without sending it.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, EINVALID, ECONFLICT (nothing to tell yet).
	PreviewNotice(ctx context.Context, no string, r NoticeRequest) (*CustomerNotice, error)
	// SendNotice renders and records a notice: an SMS is queued for the
	// outbox, a letter is printed, a call is recorded with its proof.
	// Errors: as PreviewNotice.
	SendNotice(ctx context.Context, no string, r NoticeRequest) (*CustomerNotice, error)
	// RecordPosting records that a printed letter was posted, with its proof.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, EINVALID, ECONFLICT.
	RecordPosting(ctx context.Context, no string, id int64, proof string) (*CustomerNotice, error)
	// ListNotices lists the case's notices, oldest first.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND.
	ListNotices(ctx context.Context, no string) ([]*CustomerNotice, error)
}

// SampleNoticeFacts are the facts the admin page previews a template with:
// a tracking number, a date, a reason and the remedies, none of a real case.
var SampleNoticeFacts = NoticeFacts{No: "TS20261120-00042", Date: "2026-12-20", Reason: "需调取外部证据（示例）",
	Remedies: []Remedy{RemedyReview, RemedyMediation}}

// PreviewNoticeTemplate renders a template as a letter of the sample
// facts with the bank's profile, the survey link as a sample link: what
// the admin sees before saving.
func PreviewNoticeTemplate(t NoticeTemplate, bank BankProfile) string {
	return FillSurveyLink(RenderNotice(t, SampleNoticeFacts, bank, false), bank.PortalURL, "0123456789abcdef…")
}
