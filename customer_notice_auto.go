package redress

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The notices a lifecycle action gives by itself (issue 14 item 2): the
// acceptance notice when a case is accepted, the first contact and each
// agreed reply date, an extension, a pause and a resumption, the decision
// and a review's result, each produced in the action's own transaction by
// the customer's chosen method (Complainant.NoticeBy). A staff member may
// still send one by hand; the occasion a notice is about keeps the same
// notice from going twice by the same method.

// LifecycleNotice names the notice to the customer that action a gives on
// case c as the action left it; ok is false when it gives none: a
// petition not accepted or forwarded (its written decision is the notice,
// 信访工作条例 Art.23), a contact that agreed no reply date, an action
// with nothing to tell.
func LifecycleNotice(a Action, c *Case) (CustomerNoticeKind, bool) {
	switch a {
	case ActionAccept:
		return NoticeAcceptance, c.AcceptDecision == "" || c.AcceptDecision == DecisionAccepted
	case ActionContact:
		return NoticeContact, c.AgreedReplyDue != ""
	case ActionExtend:
		return NoticeExtension, true
	case ActionPause:
		return NoticePause, true
	case ActionResume:
		return NoticeResume, true
	case ActionReply:
		return NoticeDecision, true
	case ActionDecideReview:
		return NoticeReviewResult, true
	}
	return "", false
}

// AutoNoticeMethod is the method the notices a case gives by themselves go
// by: the customer's chosen one, when it is a notice method and the case
// has the contact it needs; ok is false when the customer was not asked
// (the staff member then chooses by hand, as before).
func AutoNoticeMethod(cm Complainant) (NoticeMethod, bool) {
	switch cm.NoticeBy {
	case NoticeSMS, NoticePhone:
		return cm.NoticeBy, cm.Phone != ""
	case NoticeEmail:
		return cm.NoticeBy, cm.Email != ""
	case NoticeLetter:
		return cm.NoticeBy, cm.Address != ""
	case NoticeInPerson:
		return cm.NoticeBy, true
	}
	return "", false
}

// SurveyBySMS reports whether a planned return visit's survey link goes
// to the customer by SMS on its own: the customer chose SMS, or was not
// asked and left a phone number.
func SurveyBySMS(cm Complainant) bool {
	return cm.Phone != "" && (cm.NoticeBy == NoticeSMS || cm.NoticeBy == "")
}

// NoticeOccasion names what a notice of kind tells about case c, so that
// the same occasion is told once by each method however it is asked for
// (by the action, by hand): the acceptance (once a case), the agreed reply
// date, the n-th extension, pause or resumption, the decision of the day
// it was made, the n-th review's result, the return visit due on its day.
func NoticeOccasion(c *Case, kind CustomerNoticeKind) string {
	count := func(a Action) string {
		n := 0
		for _, ch := range c.DeadlineHistory {
			if ch.Action == string(a) {
				n++
			}
		}
		return string(a) + "#" + strconv.Itoa(n)
	}
	switch kind {
	case NoticeAcceptance:
		return "accept"
	case NoticeContact:
		return "agreed@" + c.AgreedReplyDue
	case NoticeExtension:
		return count(ActionExtend)
	case NoticePause:
		return count(ActionPause)
	case NoticeResume:
		return count(ActionResume)
	case NoticeDecision:
		if c.RepliedAt == nil {
			return "reply"
		}
		return "reply@" + c.RepliedAt.UTC().Format(time.RFC3339)
	case NoticeReviewResult:
		return "review#" + strconv.Itoa(len(c.Reviews))
	case NoticeMerged: // repeat.go: each merge is its own news (a case unmerged and merged again is told again)
		return "merged@v" + strconv.Itoa(c.Version)
	case NoticeSurvey:
		if c.ReturnVisit != nil {
			return "visit@" + c.ReturnVisit.Due
		}
	}
	return string(kind)
}

// NoticeTask reports whether a notice waits for a staff member (the case
// page shows it as a task until it is done): a letter to print and post,
// a call or a talk to make and record.
func NoticeTask(n *CustomerNotice) bool {
	switch n.Method {
	case NoticeLetter:
		return n.Status == CustomerNoticePending || n.Status == CustomerNoticePrinted
	case NoticePhone, NoticeInPerson:
		return n.Status == CustomerNoticePending
	}
	return false
}

// SurveySendAt is when a planned visit's survey SMS goes out: at 09:00
// Beijing on the visit's due day, or now when that has passed.
func SurveySendAt(v *ReturnVisit, now time.Time) time.Time {
	due, err := ParseDate(v.Due)
	if err != nil {
		return now
	}
	at := time.Date(due.Year(), due.Month(), due.Day(), 9, 0, 0, 0, Beijing)
	if at.Before(now) {
		return now
	}
	return at
}

// FillSurveyLink puts the survey link of token on the portal's address
// base (BankProfile.PortalURL) into a survey SMS's {link}.
func FillSurveyLink(body, base, token string) string {
	return strings.ReplaceAll(body, "{link}", strings.TrimSuffix(base, "/")+"/survey/"+token)
}

// portalNoticeKinds name the notice kinds as the portal lists them (the
// actions of the deadline history).
var portalNoticeKinds = map[CustomerNoticeKind]string{NoticeAcceptance: "accept", NoticeContact: "contact", NoticeExtension: "extend",
	NoticePause: "pause", NoticeResume: "resume", NoticeDecision: "decision", NoticeReviewResult: "review_result"}

// WithSentNotices adds to the notices a case records (PortalNotices) the
// ones the bank sent through the system and delivered (an SMS or e-mail
// the gateway accepted, a letter posted, a call or a talk recorded), with
// the text the customer received, oldest first; one the case already
// records of the same kind and method is not listed twice. The survey SMS
// is no notice of the case.
func WithSentNotices(recorded []PortalNotice, sent []*CustomerNotice) []PortalNotice {
	out := append([]PortalNotice{}, recorded...)
	for _, n := range sent {
		kind, ok := portalNoticeKinds[n.Kind]
		delivered := n.Status == CustomerNoticeSent || n.Status == CustomerNoticePosted || n.Status == CustomerNoticeRecorded
		if !ok || !delivered || n.SentAt == nil || slices.ContainsFunc(recorded, func(p PortalNotice) bool {
			return p.Kind == kind && p.Method == n.Method
		}) {
			continue
		}
		out = append(out, PortalNotice{Kind: kind, At: *n.SentAt, Method: n.Method, Text: n.Body})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}
