package redress

import (
	"context"
	"slices"
	"time"
)

// The archive (归档). Closing a case (or its withdrawal or rejection: the
// ArchivedStatuses) archives its file: from then on its fields and evidence
// do not change. What the rules still add to a closed file is allowed, each
// audited and shown as added after archiving: the return visit and the
// customer's survey answer and rating (回访), a review of the decision and
// its opinion (核查/复查/复核), a correction note, the regulator's finding,
// the notices telling the customer of these, a referral beyond the bank
// (the remedies the decision letter names) and its answer, a link
// from a later repeat complaint or a corrective action (整改). A reopen
// takes the case out of the archive (a new archive is made at its next
// closing). The file as it was at each archiving is kept as a snapshot.

// CaseWrite names a way the store changes a case or adds to its file,
// besides the lifecycle actions (ActionWrite names those).
type CaseWrite string

// The writes other than actions.
const (
	WriteEvidence       CaseWrite = "evidence"        // a file added
	WriteCustomerNotice CaseWrite = "customer_notice" // a notice sent or its posting recorded
	WriteReferral       CaseWrite = "referral"        // a referral recorded
	WriteReferralAnswer CaseWrite = "referral_answer" // a referral's answer recorded
	WriteRating         CaseWrite = "rating"          // the customer's rating on the portal
	WriteSurveyAnswer   CaseWrite = "survey_answer"   // the return visit's survey answered
	WriteEscalation     CaseWrite = "escalation"      // the sweep raising an overdue case
	WriteMerge          CaseWrite = "merge"           // merged into a survivor (repeat.go)
	WriteUnmerge        CaseWrite = "unmerge"         // a merge ended
	WriteLinkFrom       CaseWrite = "link_from"       // a later case linked to this one as its repeat
	WriteLink           CaseWrite = "link"            // this case linked to an earlier one
	WriteCorrectiveLink CaseWrite = "corrective_link" // a corrective action (整改) names the case
	WriteKeyRotation    CaseWrite = "key_rotation"    // the same personal data sealed again under a new key
)

// CaseWrites lists every write other than the actions: the archive test
// walks them all, with every action, against an archived case.
var CaseWrites = []CaseWrite{WriteEvidence, WriteCustomerNotice, WriteReferral, WriteReferralAnswer, WriteRating,
	WriteSurveyAnswer, WriteEscalation, WriteMerge, WriteUnmerge, WriteLinkFrom, WriteLink, WriteCorrectiveLink,
	WriteKeyRotation}

// ActionWrite names a lifecycle action as a write.
func ActionWrite(a Action) CaseWrite { return CaseWrite("action:" + string(a)) }

// archivedAdditions are the writes an archived file still takes.
var archivedAdditions = []CaseWrite{
	ActionWrite(ActionNote),                   // a correction note (更正说明)
	ActionWrite(ActionReturnVisit),            // the return visit (回访)
	ActionWrite(ActionRequestReview),          // a review of the decision (核查 / 复查 / 复核)
	ActionWrite(ActionDecideReview),           // its opinion
	ActionWrite(ActionRecordRegulatorFinding), // the regulator's finding of a forwarded case
	ActionWrite(ActionReopen),                 // leaves the archive
	WriteCustomerNotice, WriteReferral, WriteReferralAnswer, WriteRating, WriteSurveyAnswer, WriteLinkFrom,
	WriteCorrectiveLink, WriteKeyRotation,
}

// ArchiveAllows reports whether an archived file takes the write.
func ArchiveAllows(w CaseWrite) bool { return slices.Contains(archivedAdditions, w) }

// ArchiveRule refuses a write that would change an archived case's file
// (ECONFLICT naming when it was archived); any write to a case not archived
// passes.
func ArchiveRule(c *Case, w CaseWrite) error {
	if !c.Status.Archived() || ArchiveAllows(w) {
		return nil
	}
	at := ""
	if c.ArchivedAt != nil {
		at = " on " + c.ArchivedAt.In(Beijing).Format("2006-01-02 15:04")
	}
	return Errorf(ECONFLICT, "case %s was archived (%s)%s: its file no longer changes (%s is not an addition the rules allow after closure)",
		c.No, c.Status, at, w)
}

// FollowArchive keeps the case's archive time with its status after a
// change from the status before: set when the file is archived (the
// caller then keeps a snapshot), cleared when a reopen takes it out. It
// reports whether the case was archived just now.
func FollowArchive(c *Case, before Status, now time.Time) bool {
	switch {
	case !before.Archived() && c.Status.Archived():
		at := now
		c.ArchivedAt = &at
		return true
	case before.Archived() && !c.Status.Archived():
		c.ArchivedAt = nil
	}
	return false
}

// AddedAfterArchive reports whether something done at t was added to the
// file after it was archived: what the case page marks so.
func (c *Case) AddedAfterArchive(t time.Time) bool {
	return c.ArchivedAt != nil && t.After(*c.ArchivedAt)
}

// ArchiveSnapshot is the file as it was when it was archived: the case as
// the services answered it then (personal data masked) and its evidence.
type ArchiveSnapshot struct {
	At       time.Time   `json:"at"`
	Status   Status      `json:"status"`
	Case     *Case       `json:"case"`
	Evidence []*Evidence `json:"evidence"`
}

// ArchiveService answers the archived file as it was at closing.
type ArchiveService interface {
	// ArchivedFile returns the snapshot of the case's latest archiving.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND (no case, or never archived).
	ArchivedFile(ctx context.Context, no string) (*ArchiveSnapshot, error)
}
