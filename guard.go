package redress

// This file is the one guard for an action on a case by a user: the
// lifecycle table (Transition) and every rule that needs the case as it
// stands. The store calls it before it applies an action, and
// AvailableActions offers exactly what it permits, so the pages never offer
// what the store then refuses.

// InScope reports whether the user's unit covers the case: its responsible
// unit or the unit that registered it lies in the user's subtree (head
// office sees the whole bank, since every path lies under its own). A report
// or accusation (检举控告) is never visible to the staff member it accuses.
func InScope(u *User, c *Case) bool {
	if c.Accusation && c.Respondent.Staff != "" && c.Respondent.Staff == u.Login {
		return false
	}
	return InSubtree(c.OrgPath, u.OrgPath) || InSubtree(c.OriginOrgPath, u.OrgPath)
}

// ConflictedBy reports whether the user with the given login declared a
// conflict of interest on the case.
func (c *Case) ConflictedBy(login string) bool {
	for _, e := range c.Conflicts {
		if e.Author == login {
			return true
		}
	}
	return false
}

// IsHandler reports whether the user is the case's handler.
func (c *Case) IsHandler(u *User) bool { return c.Handler != "" && c.Handler == u.Login }

// IsRespondent reports whether the user is the staff member complained about.
func (c *Case) IsRespondent(u *User) bool {
	return c.Respondent.Staff != "" && c.Respondent.Staff == u.Login
}

// Permit decides whether user u may take action a on case c as it stands,
// and returns the status the action leads to: first the lifecycle table
// (EFORBIDDEN for the role, ECONFLICT for the status), then the rules that
// need the case (CaseRules). It does not check the version nor the request's
// own fields.
func Permit(a Action, c *Case, u *User) (Status, error) {
	next, err := Transition(a, c.Status, u.Role, c.IsHandler(u))
	if err != nil {
		return "", err
	}
	return next, CaseRules(a, c, u)
}

// CaseRules checks the rules of action a that need the case beyond its
// status (the store runs them after the version check):
//   - a user who declared a conflict of interest only adds notes (回避);
//   - sign-off is never by the handler, nor by the staff member complained about;
//   - a complaint is determined (liability, responsible party, root cause) before it is replied to;
//   - level 4 (head office) is the top, and only the branch head or head office takes a case there;
//   - an extension needs a longer clock on the case's ladder, no pause in progress and no
//     regulator's due date, and its last step an approver (MayApproveExtension);
//   - a pause needs no pause in progress; a resume needs one; new facts need none;
//   - the first contact is recorded once, on a case with a branch-reply clock (not a petition).
//   - a regulator's finding is recorded only on a case the regulator forwarded;
//   - a return visit is recorded only while one waits, never by the staff member complained about.
func CaseRules(a Action, c *Case, u *User) error {
	if c.AnonymisedAt != nil {
		return Reasonf(ECONFLICT, ReasonAnonymised, c.No)
	}
	if c.ConflictedBy(u.Login) && a != ActionNote {
		return Errorf(EFORBIDDEN, "you declared a conflict of interest on case %s and may not act on it", c.No)
	}
	if err := ArchiveRule(c, ActionWrite(a)); err != nil { // archive.go
		return err
	}
	if err := mergeCaseRule(a, c); err != nil { // repeat.go
		return err
	}
	switch a {
	case ActionSignOff:
		if c.IsHandler(u) {
			return Errorf(EFORBIDDEN, "the handler of a case may not sign it off")
		}
		if c.IsRespondent(u) {
			return Errorf(EFORBIDDEN, "the staff member complained about may not sign the case off")
		}
	case ActionReply:
		if NeedsDetermination(c.Kind) && c.Determination == nil {
			return errNotDetermined()
		}
	case ActionRecordRegulatorFinding: // regulator.go
		return regulatorCaseRule(c)
	case ActionEscalate:
		if c.Level >= MaxLevel {
			return Errorf(ECONFLICT, "case %s is already at head office (level %d)", c.No, MaxLevel)
		}
		if c.Level == MaxLevel-1 && u.Role != RoleBranchHead && u.Role != RoleHQService {
			return Errorf(EFORBIDDEN, "only the branch head or head office may escalate a case to head office")
		}
	case ActionExtend:
		if c.RegulatorDue != "" {
			return Errorf(ECONFLICT, "case %s keeps the regulator's due date %s; ask the regulator to extend it", c.No, c.RegulatorDue)
		}
		if c.PausedSince != "" {
			return Errorf(ECONFLICT, "case %s is paused since %s; resume it first", c.No, c.PausedSince)
		}
		next := NextDecisionClock(c)
		if next == "" {
			return Errorf(ECONFLICT, "case %s is already on its longest clock (%s)", c.No, c.DecisionClock)
		}
		if needsApproval, _ := ExtensionNeeds(next); needsApproval && !MayApproveExtension(c, u) {
			return Errorf(EFORBIDDEN,
				"extending to %s needs the approval of the branch head's superior institution or head office: it must be taken by such an approver", next)
		}
	case ActionPause:
		if c.PausedSince != "" {
			return Errorf(ECONFLICT, "case %s is already paused since %s", c.No, c.PausedSince)
		}
	case ActionResume:
		if c.PausedSince == "" {
			return Errorf(ECONFLICT, "case %s is not paused", c.No)
		}
	case ActionNewFacts:
		if c.PausedSince != "" {
			return Errorf(ECONFLICT, "case %s is paused since %s; resume it first", c.No, c.PausedSince)
		}
	case ActionContact:
		if ClocksFor(c.Kind).Reply != ClockBranchReply {
			return Errorf(ECONFLICT, "a petition's first answer is its acceptance decision: record it with accept and its notice")
		}
	// --- review (核查 / 复查 / 复核): review.go ---
	case ActionRequestReview:
		if _, err := NextReviewKind(c); err != nil {
			return err
		}
	case ActionDecideReview:
		r := c.OpenReview()
		if r == nil {
			return Errorf(ECONFLICT, "case %s has no review in progress", c.No)
		}
		if why := MayReview(u, c, r); why != "" {
			return Errorf(EFORBIDDEN, "%s", why)
		}
		// --- end review ---
	case ActionReturnVisit: // return_visit.go
		if c.ReturnVisit == nil || c.ReturnVisit.Status != VisitOpen {
			return Errorf(ECONFLICT, "case %s has no return visit waiting", c.No)
		}
		if c.IsRespondent(u) {
			return Errorf(EFORBIDDEN, "the staff member complained about may not make the return visit")
		}
	}
	return nil
}

// CheckRequest checks the rules that need both the request and the case,
// after CaseRules: a petition's accept carries the notice of its decision,
// and only a petition takes a decision other than accepted; a complaint resolved on the spot carries its
// determination; the last extension step carries the approval's reference
// and a notice to the customer; new facts arrive after the clocks last
// started. Validate has already checked the request's own fields.
func (r *ActionRequest) CheckRequest(c *Case) error {
	var p Problems
	switch r.Action {
	case ActionResolveOnSpot:
		if NeedsDetermination(c.Kind) && c.Determination == nil && r.Liability == "" {
			return errNotDetermined()
		}
	case ActionExtend:
		needsApproval, needsNotice := ExtensionNeeds(NextDecisionClock(c))
		if needsApproval && r.Approval == "" {
			p.Add("approval", "required: the reference of the superior's approval (审批单号)")
		}
		if needsNotice && r.NoticeMethod == "" {
			p.Add("notice_method", "required: the customer must be told of this extension (method, time, proof)")
		}
	case ActionAccept:
		// 信访工作条例 Art.23: the petitioner is told of the acceptance
		// decision in writing; only a petition has one to take.
		if c.Kind == KindPetition && r.NoticeMethod == "" {
			p.Add("notice_method", "required: a petition's acceptance decision is notified to the petitioner (method, time, proof)")
		}
		if c.Kind != KindPetition && r.Decision != "" && r.Decision != DecisionAccepted {
			p.Add("decision", "only a petition has an acceptance decision; refuse another case with reject")
		}
	case ActionNewFacts:
		if start, err := ParseDate(c.ClockStart); err == nil && DateOf(r.FactsReceivedAt).Before(start) {
			p.Add("facts_received_at", "is before the clocks last started ("+c.ClockStart+")")
		}
	}
	return p.Err()
}

// NeedsDetermination reports whether a case of the kind must be determined
// (liability, responsible party, root cause) before any reply: complaints.
func NeedsDetermination(k Kind) bool { return k == KindComplaint }

func errNotDetermined() error {
	return &Error{Code: ECONFLICT,
		Message: "a complaint must be determined (liability, responsible party, root cause) before it is replied to",
		Fields:  map[string]string{"liability": "determine the case first"}}
}

// MaxLevel is the highest escalation level: 1 first responder, 2 complaint
// manager, 3 branch head, 4 head office.
const MaxLevel = 4

// RaiseLevel raises the case one escalation level and reports whether it
// now lies with head office, where the store moves it to the head-office
// unit and clears the handler for head office to assign. The escalate
// action and the overdue sweep share it.
func RaiseLevel(c *Case) (toHeadOffice bool, err error) {
	if c.Level >= MaxLevel {
		return false, Errorf(ECONFLICT, "case %s is already at head office (level %d)", c.No, MaxLevel)
	}
	c.Level++
	return c.Level == MaxLevel, nil
}

// NextDecisionClock returns the next longer clock on the case's extension
// ladder (15 → 30 → 60 days for a complaint, 60 → 90 for a petition), or ""
// when the case is on its longest clock already.
func NextDecisionClock(c *Case) string {
	ladder := ClocksFor(c.Kind).Ladder
	for i := 0; i+1 < len(ladder); i++ {
		if ladder[i] == c.DecisionClock {
			return ladder[i+1]
		}
	}
	return ""
}

// MayApproveExtension reports whether the user may approve the last step of
// the case's extension ladder: head office always; otherwise someone whose
// unit covers the case's, being, for a petition, the head of the unit
// (branch head) and, for a complaint, a branch head or complaint manager of
// a branch-level unit or head office (the branch head's superior institution).
func MayApproveExtension(c *Case, u *User) bool {
	if u.Role == RoleHQService {
		return true
	}
	if !InSubtree(c.OrgPath, u.OrgPath) {
		return false
	}
	if c.Kind == KindPetition {
		return u.Role == RoleBranchHead
	}
	return (u.Role == RoleBranchHead || u.Role == RoleManager) && (u.OrgKind == OrgBranch || u.OrgKind == OrgHQ)
}

// MayHandle says why the user h may not handle the case, or "" when they
// may: a case role, the case inside their scope, not the staff member
// complained about (回避), and no conflict of interest declared.
func MayHandle(h *User, c *Case) string {
	switch {
	case !MayRegister(h.Role):
		return h.Login + " is " + string(h.Role) + " and cannot handle cases"
	case !InSubtree(c.OrgPath, h.OrgPath) && !InSubtree(c.OriginOrgPath, h.OrgPath):
		return h.Login + " works outside the units this case belongs to"
	case c.IsRespondent(h):
		return h.Login + " is the staff member complained about and must recuse"
	case c.ConflictedBy(h.Login):
		return h.Login + " declared a conflict of interest on this case"
	}
	return ""
}

// AvailableActions lists the actions the user may take on the case now:
// exactly those Permit allows. The store checks again with the same guard;
// this is what the pages offer.
func AvailableActions(c *Case, u *User) []Action {
	var out []Action
	for _, a := range CaseActions() {
		if _, err := Permit(a, c, u); err == nil {
			out = append(out, a)
		}
	}
	return out
}
