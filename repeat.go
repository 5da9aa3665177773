package redress

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Repeat complaints (重复投诉). At intake the receiver is shown the earlier
// cases the new one may repeat: the same complainant (the blind index on
// the ID number, the phone or the account), a similar text (the search
// index's terms) or the same respondent unit, received within the window
// an admin sets, best first, each with why it matched. The receiver then
// links the new case to one of them, or merges it into a surviving case:
// CBIRC Order 2020 No.3 Art.18 allows a repeat complaint received within the
// handling period to be merged (处理期限内重复投诉的可合并处理). A merged case
// keeps its own registration and events; its clocks follow the survivor's
// (its own are neither watched nor overdue while merged) and it closes with
// the survivor. A petition whose 复核 opinion was given is no candidate for
// either: the same matter is not accepted again (信访工作条例 Art.36).

// RepeatPolicy is the admin setting of repeat detection: how far back (in
// days before the new case's receipt) earlier cases are candidates.
type RepeatPolicy struct {
	WindowDays int `json:"window_days"`
}

// DefaultRepeatWindowDays is the window until an admin sets one.
const DefaultRepeatWindowDays = 180

// MaxRepeatWindowDays bounds the window (three years: the retention floor).
const MaxRepeatWindowDays = 1095

// MaxRepeatCandidates is how many candidates an answer holds at most.
const MaxRepeatCandidates = 10

// DefaultRepeatPolicy is the policy in force until an admin sets one.
func DefaultRepeatPolicy() RepeatPolicy { return RepeatPolicy{WindowDays: DefaultRepeatWindowDays} }

// Validate checks the policy: a window of 1 to MaxRepeatWindowDays days.
func (p *RepeatPolicy) Validate() error {
	var pr Problems
	if p.WindowDays < 1 || p.WindowDays > MaxRepeatWindowDays {
		pr.AddKey("window_days", ProblemRange, "1", fmt.Sprint(MaxRepeatWindowDays))
	}
	return pr.Err()
}

// Since is the earliest receipt a candidate of a case received at may have.
func (p RepeatPolicy) Since(receivedAt time.Time) time.Time {
	return receivedAt.AddDate(0, 0, -p.WindowDays)
}

// RepeatReason is why an earlier case was found as a possible repeat.
type RepeatReason string

// The reasons, strongest first.
const (
	RepeatSameID         RepeatReason = "same_id"         // the same ID number (blind index)
	RepeatSameAccount    RepeatReason = "same_account"    // the same account number (blind index)
	RepeatSamePhone      RepeatReason = "same_phone"      // the same phone number (blind index)
	RepeatSimilarText    RepeatReason = "similar_text"    // subject and description share terms
	RepeatSameRespondent RepeatReason = "same_respondent" // the same respondent unit (or staff member)
)

// RepeatReasons lists every reason.
var RepeatReasons = []RepeatReason{RepeatSameID, RepeatSameAccount, RepeatSamePhone, RepeatSimilarText, RepeatSameRespondent}

// repeatWeights are the points of each reason; a similar text earns up to
// its weight, in proportion to the similarity.
var repeatWeights = map[RepeatReason]int{RepeatSameID: 40, RepeatSameAccount: 30, RepeatSamePhone: 25,
	RepeatSimilarText: 30, RepeatSameRespondent: 10}

// MinTextSimilarity is the least TextSimilarity that counts as similar.
const MinTextSimilarity = 0.2

// RepeatMatch is one reason a candidate matched, with what matched: the
// similarity of the texts (two places), or the respondent's unit.
type RepeatMatch struct {
	Reason RepeatReason `json:"reason"`
	Detail string       `json:"detail,omitempty"`
}

// RepeatDraft is what the candidates of a case are sought for: a draft not
// yet registered (the registration's fields, personal data in clear, which
// the store only blind-indexes), or a registered case (Exclude its own
// number).
type RepeatDraft struct {
	Kind        Kind        `json:"kind"`
	ReceivedAt  time.Time   `json:"received_at"`
	Complainant Complainant `json:"complainant"`
	Respondent  Respondent  `json:"respondent"`
	Subject     string      `json:"subject"`
	Description string      `json:"description"`
	// Exclude is the case's own number (a registered case).
	Exclude string `json:"-"`
}

// RepeatDraftOf is the draft of a registration.
func RepeatDraftOf(n NewCase) RepeatDraft {
	return RepeatDraft{Kind: n.Kind, ReceivedAt: n.ReceivedAt, Complainant: n.Complainant, Respondent: n.Respondent,
		Subject: n.Subject, Description: n.Description}
}

// Validate checks a draft: something to match on, texts of a bounded size;
// a zero receipt means now.
func (d *RepeatDraft) Validate(now time.Time) error {
	var p Problems
	if d.ReceivedAt.IsZero() {
		d.ReceivedAt = now
	}
	if d.ReceivedAt.After(now.Add(time.Hour)) {
		p.AddKey("received_at", ProblemFuture)
	}
	if d.Kind != "" && !d.Kind.Valid() {
		p.AddKey("kind", ProblemUnknown, string(d.Kind))
	}
	checkText(&p, "subject", d.Subject, 0, 200)
	checkText(&p, "description", d.Description, 0, 5000)
	checkText(&p, "complainant.id_number", d.Complainant.IDNumber, 0, 40)
	checkText(&p, "complainant.phone", d.Complainant.Phone, 0, 40)
	checkText(&p, "complainant.account", d.Complainant.Account, 0, 40)
	checkText(&p, "respondent.org", d.Respondent.Org, 0, 64)
	checkText(&p, "respondent.staff", d.Respondent.Staff, 0, 64)
	c := d.Complainant
	if c.IDNumber == "" && c.Phone == "" && c.Account == "" && d.Respondent.Org == "" &&
		len(d.TextTerms()) == 0 {
		p.AddKey("complainant", ProblemRequired)
	}
	return p.Err()
}

// TextTerms are the distinct search terms of the draft's subject and
// description (SearchTerms), at most 32: what a similar text is sought by.
func (d *RepeatDraft) TextTerms() []string {
	return distinctTerms(d.Subject+" "+d.Description, 32)
}

func distinctTerms(text string, limit int) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range SearchTerms(text) {
		if len([]rune(t)) < 2 || seen[t] {
			continue
		}
		seen[t] = true
		out = append(out, t)
		if len(out) == limit {
			break
		}
	}
	return out
}

// TextSimilarity is the Dice coefficient of the two texts' distinct search
// terms (Han bigrams and words): 1 for the same terms, 0 for none shared.
func TextSimilarity(a, b string) float64 {
	ta, tb := distinctTerms(a, 1000), distinctTerms(b, 1000)
	if len(ta) == 0 || len(tb) == 0 {
		return 0
	}
	set := map[string]bool{}
	for _, t := range ta {
		set[t] = true
	}
	shared := 0
	for _, t := range tb {
		if set[t] {
			shared++
		}
	}
	return 2 * float64(shared) / float64(len(ta)+len(tb))
}

// RepeatFacts are what the store found about one candidate: which blind
// indexes it shares with the draft, whether its respondent unit or staff
// member is the draft's.
type RepeatFacts struct {
	SameID, SameAccount, SamePhone bool
	SameRespondent, SameStaff      bool
}

// RepeatCandidate is an earlier case that the draft may repeat: the case
// (as the services answer it, masked), its score, why it matched, and
// whether the draft may be merged into it.
type RepeatCandidate struct {
	Case    *Case         `json:"case"`
	Score   int           `json:"score"`
	Reasons []RepeatMatch `json:"reasons"`
	// Mergeable says whether a repeat may be merged into this case now
	// (MergeRule); MergeRefusal says why not.
	Mergeable    bool   `json:"mergeable"`
	MergeRefusal string `json:"merge_refusal,omitempty"`
	// Refusal is set when the matter may not be accepted again at all: a
	// petition re-examined (复核) is not accepted again (信访工作条例 Art.36).
	Refusal string `json:"refusal,omitempty"`
}

// RepeatCandidates is the answer: the window in force and the candidates,
// best first; Refusal repeats the first candidate's refusal.
type RepeatCandidates struct {
	WindowDays int               `json:"window_days"`
	Since      string            `json:"since"` // YYYY-MM-DD in Beijing
	Candidates []RepeatCandidate `json:"candidates"`
	Refusal    string            `json:"refusal,omitempty"`
}

// SameComplainant reports whether a candidate shares the draft's
// complainant (ID, account or phone): the registration page stops for the
// receiver to confirm only then, as it did before the other reasons.
func (r *RepeatCandidates) SameComplainant() bool {
	for _, c := range r.Candidates {
		for _, m := range c.Reasons {
			if m.Reason == RepeatSameID || m.Reason == RepeatSameAccount || m.Reason == RepeatSamePhone {
				return true
			}
		}
	}
	return false
}

// ScoreRepeat scores a candidate: the points of each reason that holds
// (a similar text in proportion to the similarity, when it reaches
// MinTextSimilarity). A candidate without any reason scores 0 and is no
// candidate.
func ScoreRepeat(d *RepeatDraft, c *Case, f RepeatFacts) (int, []RepeatMatch) {
	var score float64
	var why []RepeatMatch
	add := func(r RepeatReason, detail string, part float64) {
		score += float64(repeatWeights[r]) * part
		why = append(why, RepeatMatch{Reason: r, Detail: detail})
	}
	if f.SameID {
		add(RepeatSameID, "", 1)
	}
	if f.SameAccount {
		add(RepeatSameAccount, "", 1)
	}
	if f.SamePhone {
		add(RepeatSamePhone, "", 1)
	}
	if sim := TextSimilarity(d.Subject+" "+d.Description, c.Subject+" "+c.Description); sim >= MinTextSimilarity {
		add(RepeatSimilarText, fmt.Sprintf("%.2f", sim), sim)
	}
	if f.SameRespondent || f.SameStaff {
		detail := c.Respondent.Org
		if f.SameStaff {
			detail = strings.TrimSpace(c.Respondent.Org + " " + c.Respondent.Staff)
		}
		add(RepeatSameRespondent, detail, 1)
	}
	return int(math.Round(score)), why
}

// RankRepeats orders candidates best first (score, then the later
// receipt) and keeps MaxRepeatCandidates; each says whether a merge into
// it is allowed now and whether the matter is refused (Art.36).
func RankRepeats(cs []RepeatCandidate, draft *RepeatDraft, now time.Time) []RepeatCandidate {
	cs = slices.DeleteFunc(cs, func(c RepeatCandidate) bool { return c.Score <= 0 || len(c.Reasons) == 0 })
	slices.SortStableFunc(cs, func(a, b RepeatCandidate) int {
		if a.Score != b.Score {
			return b.Score - a.Score
		}
		return b.Case.ReceivedAt.Compare(a.Case.ReceivedAt)
	})
	if len(cs) > MaxRepeatCandidates {
		cs = cs[:MaxRepeatCandidates]
	}
	for i := range cs {
		c := &cs[i]
		c.Refusal = RepeatRefusal(c.Case)
		if err := mergeInto(draft.Kind, c.Case, now); err != nil {
			c.MergeRefusal = ErrorMessage(err)
		} else {
			c.Mergeable = true
		}
	}
	return cs
}

// RepeatRefusal is why the matter of case c may not be accepted again, ""
// when it may: a petition whose 复核 opinion was given (信访工作条例 Art.36:
// 不再受理).
func RepeatRefusal(c *Case) string {
	if c.Kind == KindPetition && c.Reexamined() {
		return fmt.Sprintf("信访事项 %s 已经复核（%s）：信访工作条例第三十六条，同一事项不再受理 (Art.36: the same matter is not accepted again)", c.No, c.LastReview().Org)
	}
	return ""
}

// MergeRequest asks to merge a case into a surviving one, with the notice
// telling the complainant (a customer notice of kind merged).
type MergeRequest struct {
	Into    string       `json:"into"`
	Version int          `json:"version"`
	Reason  string       `json:"reason"`
	Notice  NoticeMethod `json:"notice_method"`
	Proof   string       `json:"notice_proof,omitempty"`
}

// Validate checks a merge request's own fields.
func (r *MergeRequest) Validate() error {
	var p Problems
	if !ValidTrackingNumber(r.Into) {
		p.AddKey("into", ProblemRequired)
	}
	if r.Version < 1 {
		p.AddKey("version", ProblemRequired)
	}
	checkText(&p, "reason", r.Reason, 2, 500)
	nr := NoticeRequest{Kind: NoticeMerged, Method: r.Notice, Proof: r.Proof}
	if err := nr.Validate(false); err != nil {
		for field, problem := range ErrorFields(err) {
			p.Add("notice_"+strings.TrimPrefix(field, "notice_"), problem)
		}
	}
	return p.Err()
}

// UnmergeRequest asks to end a merge: the case's own clocks run again.
type UnmergeRequest struct {
	Version int    `json:"version"`
	Reason  string `json:"reason"`
}

// Validate checks an unmerge request.
func (r *UnmergeRequest) Validate() error {
	var p Problems
	if r.Version < 1 {
		p.AddKey("version", ProblemRequired)
	}
	checkText(&p, "reason", r.Reason, 2, 500)
	return p.Err()
}

// LinkRequest records that a case repeats another without merging them.
type LinkRequest struct {
	To     string `json:"to"`
	Reason string `json:"reason,omitempty"`
}

// Validate checks a link request.
func (r *LinkRequest) Validate() error {
	var p Problems
	if !ValidTrackingNumber(r.To) {
		p.AddKey("to", ProblemRequired)
	}
	checkText(&p, "reason", r.Reason, 0, 500)
	return p.Err()
}

// MergeRule says whether repeat may be merged into survivor now (CBIRC
// Order 2020 No.3 Art.18: a repeat complaint within the handling period
// may be merged): both open, of one kind, neither merged already, the
// repeat with nothing merged into it, the survivor's handling period not
// ended, and no petition re-examined (信访工作条例 Art.36).
func MergeRule(repeat, survivor *Case, now time.Time) error {
	if repeat.No == survivor.No {
		return Errorf(EINVALID, "a case is not merged into itself")
	}
	if repeat.MergedInto != "" {
		return Errorf(ECONFLICT, "case %s is already merged into %s", repeat.No, repeat.MergedInto)
	}
	if len(repeat.Merged) > 0 {
		return Errorf(ECONFLICT, "cases are merged into %s (%s): it stays the surviving case", repeat.No, strings.Join(repeat.Merged, ", "))
	}
	if !repeat.Status.Open() {
		return Errorf(ECONFLICT, "case %s is %s: only an open case is merged", repeat.No, repeat.Status)
	}
	if refusal := RepeatRefusal(survivor); refusal != "" {
		return Errorf(ECONFLICT, "%s", refusal)
	}
	return mergeInto(repeat.Kind, survivor, now)
}

// mergeInto says whether a case of the kind may be merged into survivor.
func mergeInto(kind Kind, survivor *Case, now time.Time) error {
	if refusal := RepeatRefusal(survivor); refusal != "" {
		return Errorf(ECONFLICT, "%s", refusal)
	}
	if survivor.MergedInto != "" {
		return Errorf(ECONFLICT, "case %s is itself merged into %s: merge into that case", survivor.No, survivor.MergedInto)
	}
	if kind != "" && survivor.Kind != kind {
		return Errorf(ECONFLICT, "case %s is a %s: a case is merged only into one of its own kind", survivor.No, survivor.Kind)
	}
	if !survivor.Status.Open() {
		return Errorf(ECONFLICT, "case %s is %s: Order 2020 No.3 Art.18 merges a repeat only within the handling period", survivor.No, survivor.Status)
	}
	if survivor.DecisionDue != "" && Today(now) > survivor.DecisionDue {
		return Errorf(ECONFLICT, "the handling period of case %s ended on %s: Order 2020 No.3 Art.18 merges a repeat only within it", survivor.No, survivor.DecisionDue)
	}
	return nil
}

// UnmergeRule says whether a merged case may be taken out of its merge:
// only while it is merged and still open (a case closed with its survivor
// is reopened first).
func UnmergeRule(c *Case) error {
	if c.MergedInto == "" {
		return Errorf(ECONFLICT, "case %s is not merged", c.No)
	}
	if !c.Status.Open() {
		return Errorf(ECONFLICT, "case %s is %s with %s: reopen it first", c.No, c.Status, c.MergedInto)
	}
	return nil
}

// LinkRule says whether case c may be recorded as a repeat of earlier:
// not itself, and not a re-examined petition (Art.36: the new case is
// rejected instead, 不予受理, with that reason).
func LinkRule(c, earlier *Case) error {
	if c.No == earlier.No {
		return Errorf(EINVALID, "a case is not linked to itself")
	}
	if refusal := RepeatRefusal(earlier); refusal != "" {
		return Errorf(ECONFLICT, "%s", refusal)
	}
	return nil
}

// mergedActions are what a merged case still takes: it is handled on its
// survivor, so only a note, a declared conflict, the customer's withdrawal
// and the regulator's finding.
var mergedActions = []Action{ActionNote, ActionDeclareConflict, ActionWithdraw, ActionRecordRegulatorFinding}

// mergeCaseRule refuses an action on a merged case that is handled on its
// survivor, and a withdrawal or rejection of a survivor with cases merged
// into it (unmerge them first: they would not end with it).
func mergeCaseRule(a Action, c *Case) error {
	if c.MergedInto != "" && !slices.Contains(mergedActions, a) {
		return Errorf(ECONFLICT, "case %s is merged into %s and handled there (Order 2020 No.3 Art.18): unmerge it first", c.No, c.MergedInto)
	}
	if len(c.Merged) > 0 && (a == ActionWithdraw || a == ActionReject) {
		return Errorf(ECONFLICT, "cases are merged into %s (%s): unmerge them first", c.No, strings.Join(c.Merged, ", "))
	}
	return nil
}

// CloseWithSurvivor closes a merged case with its survivor: the status,
// the closing time and why (the merged case's own registration and events
// stay). It reports false when the case is not open (nothing to close).
func CloseWithSurvivor(c, survivor *Case, now time.Time) bool {
	if !c.Status.Open() || c.MergedInto != survivor.No {
		return false
	}
	at := now
	c.Status, c.ClosedAt = StatusClosed, &at
	c.EndReason = "closed with " + survivor.No + " (merged, Order 2020 No.3 Art.18)"
	c.UpdatedAt = now
	return true
}

// RepeatService finds repeat candidates and links, merges and unmerges
// cases.
type RepeatService interface {
	// RepeatCandidates finds the earlier cases a draft may repeat.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID.
	RepeatCandidates(ctx context.Context, d RepeatDraft) (*RepeatCandidates, error)
	// CaseRepeats finds the earlier cases a registered case may repeat.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND.
	CaseRepeats(ctx context.Context, no string) (*RepeatCandidates, error)
	// Merge merges case no into r.Into, telling the complainant; audited.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, EINVALID, ECONFLICT.
	Merge(ctx context.Context, no string, r MergeRequest) (*Case, error)
	// Unmerge ends the merge of case no; audited.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, EINVALID, ECONFLICT.
	Unmerge(ctx context.Context, no string, r UnmergeRequest) (*Case, error)
	// Link records case no as a repeat of r.To; audited.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, EINVALID, ECONFLICT.
	Link(ctx context.Context, no string, r LinkRequest) (*Case, error)
	// RepeatPolicy and SetRepeatPolicy read and set the window (admin).
	RepeatPolicy(ctx context.Context) (RepeatPolicy, error)
	SetRepeatPolicy(ctx context.Context, p RepeatPolicy) (RepeatPolicy, error)
}
