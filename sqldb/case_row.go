package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"redress"
)

// caseRow is a case as stored: the domain case plus the keys and sealed
// personal data that never leave this package. Intake, updates and the bulk
// loader all write a case through caseColumns; every read goes through
// caseSelect and scanCase. A new column is added here, and nowhere else.
type caseRow struct {
	*redress.Case
	orgID, originOrgID, firstResponderID int64
	handlerID, signedOffByID             int64
	respondentOrgID, respondentStaffID   int64
	accountableStaffID                   int64  // the determination's AccountableStaff
	idEnc, phoneEnc, accountEnc          string // sealed
	addressEnc, emailEnc                 string // sealed; their masked forms are on the case
	idIndex, phoneIndex, accountIndex    string // blind indexes, written only
	amountFen, redressFen                sql.NullInt64
	replyJSON, contactJSON               string
	returnVisitJSON                      string // the return visit (redress.ReturnVisit), "" when none
	mergedIntoID                         int64  // the surviving case's id (repeat.go), 0 when not merged
}

// caseColumn is one column of the cases table as written: its name, its
// value from a row, and whether an action may change it afterwards.
type caseColumn struct {
	name    string
	value   func(c *caseRow) any
	mutable bool
}

// caseColumns are the columns intake and the bulk loader insert, and (the
// mutable ones) updateCase writes.
var caseColumns = []caseColumn{
	{"no", func(c *caseRow) any { return c.No }, false},
	{"kind", func(c *caseRow) any { return c.Kind }, false},
	{"channel", func(c *caseRow) any { return c.Channel }, false},
	{"received_at", func(c *caseRow) any { return timeText(c.ReceivedAt) }, false},
	{"c_name", func(c *caseRow) any { return c.Complainant.Name }, false},
	{"c_id_type", func(c *caseRow) any { return c.Complainant.IDType }, false},
	{"c_id_number_enc", func(c *caseRow) any { return c.idEnc }, false},
	{"c_id_number_idx", func(c *caseRow) any { return c.idIndex }, false},
	{"c_phone_enc", func(c *caseRow) any { return c.phoneEnc }, false},
	{"c_phone_idx", func(c *caseRow) any { return c.phoneIndex }, false},
	{"c_account_enc", func(c *caseRow) any { return c.accountEnc }, false},
	{"c_account_idx", func(c *caseRow) any { return c.accountIndex }, false},
	{"complainant_key", func(c *caseRow) any { return c.complainantKey() }, false},
	{"c_org_name", func(c *caseRow) any { return c.Complainant.OrgName }, false},
	{"c_credit_code", func(c *caseRow) any { return c.Complainant.CreditCode }, false},
	{"c_legal_rep", func(c *caseRow) any { return c.Complainant.LegalRep }, false},
	{"c_address_enc", func(c *caseRow) any { return c.addressEnc }, false},
	{"c_address_masked", func(c *caseRow) any { return c.Complainant.Address }, false}, // masked by seal
	{"c_email_enc", func(c *caseRow) any { return c.emailEnc }, false},
	{"c_email_masked", func(c *caseRow) any { return c.Complainant.Email }, false},
	{"c_notice_by", func(c *caseRow) any { return c.Complainant.NoticeBy }, false},
	{"respondent_org_id", func(c *caseRow) any { return nullID(c.respondentOrgID) }, false},
	{"respondent_staff_id", func(c *caseRow) any { return nullID(c.respondentStaffID) }, false},
	{"accusation", func(c *caseRow) any { return c.Accusation }, false},
	{"subject", func(c *caseRow) any { return c.Subject }, false},
	{"description", func(c *caseRow) any { return c.Description }, false},
	{"request", func(c *caseRow) any { return c.Request }, false},
	{"amount_fen", func(c *caseRow) any { return nullInt(c.amountFen) }, false},
	{"code_a", func(c *caseRow) any { return nullText(c.CodeA) }, false},
	{"code_b", func(c *caseRow) any { return nullText(c.CodeB) }, false},
	{"code_c", func(c *caseRow) any { return nullText(c.CodeC) }, false},
	{"risk", func(c *caseRow) any { return c.Risk }, false},
	{"priority", func(c *caseRow) any { return c.Priority }, false},
	{"origin_org_id", func(c *caseRow) any { return c.originOrgID }, false},
	{"first_responder_id", func(c *caseRow) any { return c.firstResponderID }, false},
	{"created_at", func(c *caseRow) any { return timeText(c.CreatedAt) }, false},
	{"deadline_policy", func(c *caseRow) any { return c.DeadlinePolicy }, false},
	{"regulator_ref", func(c *caseRow) any { return c.RegulatorRef }, false},
	{"regulator_due", func(c *caseRow) any { return c.RegulatorDue }, false},
	{"regulator_source", func(c *caseRow) any { return c.RegulatorSource }, false},
	{"regulator_forwarded_on", func(c *caseRow) any { return c.RegulatorForwardedOn }, false},
	{"visit_visitors", func(c *caseRow) any { return c.visitors() }, false},
	{"visit_representatives", func(c *caseRow) any { return c.visitOrZero().Representatives }, false},
	{"visit_id_checked", func(c *caseRow) any { return c.visitOrZero().IDChecked }, false},
	{"visit_security_checked", func(c *caseRow) any { return c.visitOrZero().SecurityChecked }, false},
	{"visit_id_type", func(c *caseRow) any { return c.visitOrZero().IDType }, false},
	{"visit_id_checked_by", func(c *caseRow) any { return c.visitOrZero().IDCheckedBy }, false},
	{"visit_security_checked_by", func(c *caseRow) any { return c.visitOrZero().SecurityCheckedBy }, false},
	{"visit_room", func(c *caseRow) any { return c.visitOrZero().Room }, false},
	{"key_customer", func(c *caseRow) any { return c.KeyCustomer }, false},
	{"major_cause", func(c *caseRow) any { return c.MajorCause }, false},
	{"external_no", func(c *caseRow) any { return nullText(c.ExternalNo) }, false},
	{"import_run", func(c *caseRow) any { return nullID(c.ImportRun) }, false},

	{"org_id", func(c *caseRow) any { return c.orgID }, true},
	{"handler_id", func(c *caseRow) any { return nullID(c.handlerID) }, true},
	{"level", func(c *caseRow) any { return c.Level }, true},
	{"status", func(c *caseRow) any { return c.Status }, true},
	{"version", func(c *caseRow) any { return c.Version }, true},
	{"reply_due", func(c *caseRow) any { return c.ReplyDue }, true},
	{"decision_due", func(c *caseRow) any { return c.DecisionDue }, true},
	{"decision_clock", func(c *caseRow) any { return c.DecisionClock }, true},
	{"clock_start", func(c *caseRow) any { return c.ClockStart }, true},
	{"paused_since", func(c *caseRow) any { return nullText(c.PausedSince) }, true},
	{"paused_days", func(c *caseRow) any { return c.PausedDays }, true},
	{"due_warning", func(c *caseRow) any { return c.DueWarning }, true},
	{"liability", func(c *caseRow) any { return c.determinationOrZero().Liability }, true},
	{"responsible_party", func(c *caseRow) any { return c.determinationOrZero().ResponsibleParty }, true},
	{"root_cause", func(c *caseRow) any { return c.determinationOrZero().RootCause }, true},
	{"accountability", func(c *caseRow) any { return c.determinationOrZero().Accountability }, true},
	{"root_cause_code", func(c *caseRow) any { return nullText(c.determinationOrZero().RootCauseCode) }, true},
	{"accountability_measure", func(c *caseRow) any { return c.determinationOrZero().AccountabilityMeasure }, true},
	{"accountable_staff_id", func(c *caseRow) any { return nullID(c.accountableStaffID) }, true},
	{"outcome", func(c *caseRow) any { return c.outcome() }, true},
	{"redress_fen", func(c *caseRow) any { return nullInt(c.redressFen) }, true},
	{"reply_json", func(c *caseRow) any { return c.replyJSON }, true},
	{"replied_at", func(c *caseRow) any { return nullTimeText(c.RepliedAt) }, true},
	{"signed_off_by_id", func(c *caseRow) any { return nullID(c.signedOffByID) }, true},
	{"signed_off_at", func(c *caseRow) any { return nullTimeText(c.SignedOffAt) }, true},
	{"satisfaction", func(c *caseRow) any { return c.Satisfaction }, true},
	{"closed_at", func(c *caseRow) any { return nullTimeText(c.ClosedAt) }, true},
	{"end_reason", func(c *caseRow) any { return c.EndReason }, true},
	{"reply_satisfied_at", func(c *caseRow) any { return nullTimeText(c.ReplySatisfiedAt) }, true},
	{"reply_satisfied_by", func(c *caseRow) any { return c.ReplySatisfiedBy }, true},
	{"contact_json", func(c *caseRow) any { return c.contactJSON }, true},
	{"agreed_reply_due", func(c *caseRow) any { return c.AgreedReplyDue }, true},
	{"decision_start", func(c *caseRow) any { return c.DecisionStart }, true},
	{"accept_decision", func(c *caseRow) any { return c.AcceptDecision }, true},
	{"regulator_finding", func(c *caseRow) any { return c.RegulatorFinding }, true},
	{"regulator_finding_on", func(c *caseRow) any { return c.RegulatorFindingOn }, true},
	{"regulator_finding_ref", func(c *caseRow) any { return c.RegulatorFindingRef }, true},
	{"return_visit_json", func(c *caseRow) any { return c.returnVisitJSON }, true},
	{"return_visit_status", func(c *caseRow) any { return c.returnVisitOrZero().Status }, true},
	{"return_visit_due", func(c *caseRow) any { return c.returnVisitOrZero().Due }, true},
	{"return_visit_satisfaction", func(c *caseRow) any { return c.returnVisitOrZero().Satisfaction }, true},
	{"merged_into_id", func(c *caseRow) any { return nullID(c.mergedIntoID) }, true},
	{"merged_at", func(c *caseRow) any { return nullTimeText(c.MergedAt) }, true},
	{"archived_at", func(c *caseRow) any { return nullTimeText(c.ArchivedAt) }, true},
	{"updated_at", func(c *caseRow) any { return timeText(c.UpdatedAt) }, true},
	{"anonymised_at", func(c *caseRow) any { return nullTimeText(c.AnonymisedAt) }, true},
}

// anonymisedColumns are the columns anonymisation writes (retention.go):
// the personal data and free texts redress.AnonymiseCase empties, sealed
// and indexed again from nothing, the JSON re-encoded, the mark and the version.
var anonymisedColumns = []string{"c_name", "c_id_number_enc", "c_id_number_idx", "c_phone_enc", "c_phone_idx",
	"c_account_enc", "c_account_idx", "complainant_key", "c_org_name", "c_credit_code", "c_legal_rep", "c_address_enc", "c_address_masked",
	"c_email_enc", "c_email_masked", "subject", "description", "request", "end_reason", "responsible_party", "root_cause",
	"accountability", "reply_json", "contact_json", "return_visit_json", "version", "anonymised_at"}

// caseAnonymise is the UPDATE of anonymisedColumns, conditional on the
// version read; anonymiseValues are its arguments.
var caseAnonymise = `UPDATE cases SET ` + strings.Join(anonymisedColumns, " = ?, ") + ` = ? WHERE id = ? AND version = ?`

func (c *caseRow) anonymiseValues(oldVersion int) []any {
	args := make([]any, 0, len(anonymisedColumns)+2)
	for _, name := range anonymisedColumns {
		for _, col := range caseColumns {
			if col.name == name {
				args = append(args, col.value(c))
			}
		}
	}
	return append(args, c.ID, oldVersion)
}

func (c *caseRow) returnVisitOrZero() redress.ReturnVisit {
	if c.ReturnVisit == nil {
		return redress.ReturnVisit{}
	}
	return *c.ReturnVisit
}

// caseInsert is the INSERT of every column of caseColumns, and of the two
// repeat flags it computes (repeatFlagsSQL). insertCaseRow runs it and
// learns the new id as the dialect does (insertedID).
var caseInsert = func() string {
	names := make([]string, len(caseColumns))
	for i, col := range caseColumns {
		names[i] = col.name
	}
	prior, afterClosed := repeatFlagsSQL()
	return `INSERT INTO cases (` + strings.Join(names, ", ") + `, repeat_prior, repeat_after_closed) VALUES (` +
		strings.Repeat("?, ", len(names)) + prior + `, ` + afterClosed + `)`
}()

// blindIndexColumns are the columns that identify a complainant across
// cases, in the order of caseRow.blindIndexes.
var blindIndexColumns = [...]string{"c_id_number_idx", "c_phone_idx", "c_account_idx"}

// blindIndexes are the case's blind indexes, in the order of blindIndexColumns.
func (c *caseRow) blindIndexes() [3]string {
	return [3]string{c.idIndex, c.phoneIndex, c.accountIndex}
}

// complainantKey names the complainant across cases for the statistics'
// repeat figures (migration 0045): the blind index of the ID number, else
// of the phone, else of the account, marked by which; "" for none.
func (c *caseRow) complainantKey() string {
	switch {
	case c.idIndex != "":
		return "i" + c.idIndex
	case c.phoneIndex != "":
		return "p" + c.phoneIndex
	case c.accountIndex != "":
		return "a" + c.accountIndex
	}
	return ""
}

// repeatFlagsSQL are the values caseInsert writes to repeat_prior and
// repeat_after_closed (migration 0044): 1 when the complainant (the same ID
// number, phone or account) has a case received, or closed, before this
// one came in. Each takes, per blind index, the index twice and the time of
// receipt (repeatFlagArgs); an empty index matches nothing.
func repeatFlagsSQL() (prior, afterClosed string) {
	flag := func(cond string) string {
		var ors []string
		for _, col := range blindIndexColumns {
			ors = append(ors, `(? <> '' AND EXISTS (SELECT 1 FROM cases p WHERE p.`+col+` = ? AND `+cond+`))`)
		}
		return `CASE WHEN ` + strings.Join(ors, " OR ") + ` THEN 1 ELSE 0 END`
	}
	return flag("p.received_at < ?"), flag("p.closed_at < ?")
}

// repeatFlagArgs are the arguments of repeatFlagsSQL for the row.
func (c *caseRow) repeatFlagArgs() []any {
	received := timeText(c.ReceivedAt)
	args := make([]any, 0, 18)
	for range 2 {
		for _, idx := range c.blindIndexes() {
			args = append(args, idx, idx, received)
		}
	}
	return args
}

// caseUpdate is the UPDATE of the mutable columns, conditional on the
// version read (the last two arguments are the id and that version).
var caseUpdate = func() string {
	var sets []string
	for _, col := range caseColumns {
		if col.mutable {
			sets = append(sets, col.name+" = ?")
		}
	}
	return `UPDATE cases SET ` + strings.Join(sets, ", ") + ` WHERE id = ? AND version = ?`
}()

// insertValues returns the arguments of caseInsert for the row.
func (c *caseRow) insertValues() []any {
	args := make([]any, len(caseColumns), len(caseColumns)+18)
	for i, col := range caseColumns {
		args[i] = col.value(c)
	}
	return append(args, c.repeatFlagArgs()...)
}

// updateValues returns the arguments of caseUpdate for the row.
func (c *caseRow) updateValues(oldVersion int) []any {
	var args []any
	for _, col := range caseColumns {
		if col.mutable {
			args = append(args, col.value(c))
		}
	}
	return append(args, c.ID, oldVersion)
}

func (c *caseRow) determinationOrZero() redress.Determination {
	if c.Determination == nil {
		return redress.Determination{}
	}
	return *c.Determination
}

func (c *caseRow) outcome() string {
	if c.Reply == nil {
		return ""
	}
	return string(c.Reply.Outcome)
}

// encodeState puts the derived columns of the case's state in the row: the
// reply and the first contact as JSON, the redress paid in fen.
func (c *caseRow) encodeState() error {
	c.replyJSON, c.contactJSON, c.returnVisitJSON, c.redressFen = "", "", "", sql.NullInt64{}
	if c.ReturnVisit != nil {
		raw, err := json.Marshal(c.ReturnVisit)
		if err != nil {
			return fmt.Errorf("encode return visit of %s: %w", c.No, err)
		}
		c.returnVisitJSON = string(raw)
	}
	if c.Contact != nil {
		raw, err := json.Marshal(c.Contact)
		if err != nil {
			return fmt.Errorf("encode contact of %s: %w", c.No, err)
		}
		c.contactJSON = string(raw)
	}
	if c.Reply != nil {
		raw, err := json.Marshal(c.Reply)
		if err != nil {
			return fmt.Errorf("encode reply of %s: %w", c.No, err)
		}
		c.replyJSON = string(raw)
		if c.Reply.RedressPaid != "" {
			fen, err := redress.ParseAmount(c.Reply.RedressPaid)
			if err != nil {
				return fmt.Errorf("reply redress amount of %s: %w", c.No, err)
			}
			c.redressFen = sql.NullInt64{Int64: fen, Valid: true}
		}
	}
	return nil
}

// seal takes the complainant's personal data in clear from the case, seals
// it and blind-indexes it into the row, and leaves only the masked forms on
// the case.
func (c *caseRow) seal(k *redress.Keyring) {
	p := &c.Complainant
	c.idEnc, c.idIndex = k.Seal(p.IDNumber, piiAAD(c.No, "id_number")), k.BlindIndex("id", p.IDNumber)
	c.phoneEnc, c.phoneIndex = k.Seal(p.Phone, piiAAD(c.No, "phone")), k.BlindIndex("phone", p.Phone)
	c.accountEnc, c.accountIndex = k.Seal(p.Account, piiAAD(c.No, "account")), k.BlindIndex("account", p.Account)
	p.IDNumber, p.Phone, p.Account = redress.MaskID(p.IDNumber), redress.MaskPhone(p.Phone), redress.MaskAccount(p.Account)
	c.addressEnc, c.emailEnc = k.Seal(p.Address, piiAAD(c.No, "address")), k.Seal(p.Email, piiAAD(c.No, "email"))
	p.Address, p.Email = redress.MaskAddress(p.Address), redress.MaskEmail(p.Email)
}

// newCaseRow builds the row of a case just registered from its
// registration: received, level 1, version 1, its clocks started. The
// caller sets the tracking number first (it seals under it) and the units
// and users by id; amounts are validated already.
func newCaseRow(n *redress.NewCase, no string, now time.Time) *caseRow {
	c := &caseRow{Case: &redress.Case{No: no, Kind: n.Kind, Channel: n.Channel,
		ReceivedAt:  n.ReceivedAt.UTC().Truncate(time.Microsecond).In(redress.Beijing), // the stored precision
		Complainant: n.Complainant, Respondent: n.Respondent, Accusation: n.Accusation,
		KeyCustomer: n.KeyCustomer, Subject: strings.TrimSpace(n.Subject), Description: n.Description, Request: n.Request,
		CodeA: n.CodeA, CodeB: n.CodeB, CodeC: n.CodeC, Risk: n.Risk, Priority: n.Priority,
		Level: 1, Status: redress.StatusRegistered, Version: 1, RegulatorRef: n.RegulatorRef, RegulatorDue: n.RegulatorDue,
		RegulatorSource: n.RegulatorSource, RegulatorForwardedOn: n.RegulatorForwardedOn,
		Visit: n.Visit, CreatedAt: now.In(redress.Beijing), UpdatedAt: now.In(redress.Beijing),
		Findings: []redress.Entry{}, Notes: []redress.Entry{}, Conflicts: []redress.Entry{},
		DeadlineHistory: []redress.DeadlineChange{}, MajorCause: n.MajorCause}}
	if _, major := n.MajorComplaintOf(); major {
		redress.MarkMajorComplaint(c.Case) // incident.go: the branch head's level, urgent
	}
	if n.Amount != "" {
		fen, _ := redress.ParseAmount(n.Amount) // validated
		c.amountFen = sql.NullInt64{Int64: fen, Valid: true}
		c.Amount = redress.FormatAmount(fen)
	}
	return c
}

// insertCaseRow writes a new case with caseInsert on q, in the dialect d,
// and sets its id.
func insertCaseRow(ctx context.Context, d dialect, q rowInserter, c *caseRow) error {
	if err := c.encodeState(); err != nil {
		return err
	}
	var err error
	c.ID, err = d.insertedID(ctx, q, caseInsert, c.insertValues()...)
	return err
}

const caseSelect = `SELECT c.id, c.no, c.kind, c.channel, c.received_at,
	c.c_name, c.c_id_type, c.c_id_number_enc, c.c_phone_enc, c.c_account_enc, c.c_org_name, c.c_credit_code, c.c_legal_rep,
	COALESCE(ro.code, ''), COALESCE(rs.login, ''), COALESCE(c.respondent_staff_id, 0), c.accusation,
	c.subject, c.description, c.request, c.amount_fen,
	COALESCE(c.code_a, ''), COALESCE(c.code_b, ''), COALESCE(c.code_c, ''), c.risk, c.priority,
	c.org_id, o.code, o.path, c.origin_org_id, oo.code, oo.path, c.first_responder_id, fr.login, COALESCE(c.handler_id, 0), COALESCE(h.login, ''),
	c.level, c.status, c.version, c.reply_due, c.decision_due,
	c.deadline_policy, c.decision_clock, c.clock_start, COALESCE(c.paused_since, ''), c.paused_days,
	c.regulator_ref, c.regulator_due, c.due_warning,
	c.visit_visitors, c.visit_representatives, c.visit_id_checked, c.visit_security_checked,
	c.liability, c.responsible_party, c.root_cause, c.accountability,
	COALESCE(c.root_cause_code, ''), c.accountability_measure, COALESCE(c.accountable_staff_id, 0), COALESCE(acc.login, ''),
	c.reply_json, c.replied_at,
	COALESCE(c.signed_off_by_id, 0), COALESCE(so.login, ''), c.signed_off_at, c.satisfaction, c.closed_at, c.end_reason,
	c.reply_satisfied_at, c.reply_satisfied_by, c.contact_json, c.agreed_reply_due, c.decision_start, c.accept_decision,
	c.created_at, c.updated_at,
	c.regulator_source, c.regulator_forwarded_on, c.regulator_finding, c.regulator_finding_on, c.regulator_finding_ref,
	c.c_address_enc, c.c_address_masked, c.c_email_enc, c.c_email_masked,
	c.key_customer, c.return_visit_json, c.c_notice_by, c.major_cause, c.anonymised_at,
	COALESCE(c.merged_into_id, 0), COALESCE(mi.no, ''), COALESCE(mi.decision_due, ''), c.merged_at, c.archived_at, COALESCE(c.external_no, ''), COALESCE(c.import_run, 0),
	c.visit_id_type, c.visit_id_checked_by, c.visit_security_checked_by, c.visit_room
FROM cases c
JOIN org_units o ON o.id = c.org_id
JOIN org_units oo ON oo.id = c.origin_org_id
JOIN users fr ON fr.id = c.first_responder_id
LEFT JOIN users h ON h.id = c.handler_id
LEFT JOIN org_units ro ON ro.id = c.respondent_org_id
LEFT JOIN users rs ON rs.id = c.respondent_staff_id
LEFT JOIN users so ON so.id = c.signed_off_by_id
LEFT JOIN users acc ON acc.id = c.accountable_staff_id
LEFT JOIN cases mi ON mi.id = c.merged_into_id`

func scanCase(row interface{ Scan(...any) error }) (*caseRow, error) {
	c := &caseRow{Case: &redress.Case{}}
	var received, created, updated string
	var repliedAt, signedOffAt, closedAt, satisfiedAt, anonymisedAt, mergedAt, archivedAt sql.NullString
	var d redress.Determination
	var visitors sql.NullInt64
	var visit redress.Visit
	err := row.Scan(&c.ID, &c.No, &c.Kind, &c.Channel, &received,
		&c.Complainant.Name, &c.Complainant.IDType, &c.idEnc, &c.phoneEnc, &c.accountEnc,
		&c.Complainant.OrgName, &c.Complainant.CreditCode, &c.Complainant.LegalRep,
		&c.Respondent.Org, &c.Respondent.Staff, &c.respondentStaffID, &c.Accusation,
		&c.Subject, &c.Description, &c.Request, &c.amountFen,
		&c.CodeA, &c.CodeB, &c.CodeC, &c.Risk, &c.Priority,
		&c.orgID, &c.Org, &c.OrgPath, &c.originOrgID, &c.OriginOrg, &c.OriginOrgPath, &c.firstResponderID, &c.FirstResponder,
		&c.handlerID, &c.Handler,
		&c.Level, &c.Status, &c.Version, &c.ReplyDue, &c.DecisionDue,
		&c.DeadlinePolicy, &c.DecisionClock, &c.ClockStart, &c.PausedSince, &c.PausedDays,
		&c.RegulatorRef, &c.RegulatorDue, &c.DueWarning,
		&visitors, &visit.Representatives, &visit.IDChecked, &visit.SecurityChecked,
		&d.Liability, &d.ResponsibleParty, &d.RootCause, &d.Accountability,
		&d.RootCauseCode, &d.AccountabilityMeasure, &c.accountableStaffID, &d.AccountableStaff,
		&c.replyJSON, &repliedAt,
		&c.signedOffByID, &c.SignedOffBy, &signedOffAt, &c.Satisfaction, &closedAt, &c.EndReason,
		&satisfiedAt, &c.ReplySatisfiedBy, &c.contactJSON, &c.AgreedReplyDue, &c.DecisionStart, &c.AcceptDecision,
		&created, &updated,
		&c.RegulatorSource, &c.RegulatorForwardedOn, &c.RegulatorFinding, &c.RegulatorFindingOn, &c.RegulatorFindingRef,
		&c.addressEnc, &c.Complainant.Address, &c.emailEnc, &c.Complainant.Email,
		&c.KeyCustomer, &c.returnVisitJSON, &c.Complainant.NoticeBy, &c.MajorCause, &anonymisedAt,
		&c.mergedIntoID, &c.MergedInto, &c.MergedDue, &mergedAt, &archivedAt, &c.ExternalNo, &c.ImportRun,
		&visit.IDType, &visit.IDCheckedBy, &visit.SecurityCheckedBy, &visit.Room)
	if err != nil {
		return nil, err
	}
	if c.MergedAt, err = parseNullTime(mergedAt); err != nil {
		return nil, err
	}
	if c.ArchivedAt, err = parseNullTime(archivedAt); err != nil {
		return nil, err
	}
	if c.ReceivedAt, err = parseTime(received); err != nil {
		return nil, err
	}
	if c.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if c.UpdatedAt, err = parseTime(updated); err != nil {
		return nil, err
	}
	if c.RepliedAt, err = parseNullTime(repliedAt); err != nil {
		return nil, err
	}
	if c.SignedOffAt, err = parseNullTime(signedOffAt); err != nil {
		return nil, err
	}
	if c.ClosedAt, err = parseNullTime(closedAt); err != nil {
		return nil, err
	}
	if c.ReplySatisfiedAt, err = parseNullTime(satisfiedAt); err != nil {
		return nil, err
	}
	if c.AnonymisedAt, err = parseNullTime(anonymisedAt); err != nil {
		return nil, err
	}
	if c.contactJSON != "" {
		c.Contact = &redress.Contact{}
		if err := json.Unmarshal([]byte(c.contactJSON), c.Contact); err != nil {
			return nil, fmt.Errorf("stored contact of %s: %w", c.No, err)
		}
	}
	if c.returnVisitJSON != "" {
		c.ReturnVisit = &redress.ReturnVisit{}
		if err := json.Unmarshal([]byte(c.returnVisitJSON), c.ReturnVisit); err != nil {
			return nil, fmt.Errorf("stored return visit of %s: %w", c.No, err)
		}
	}
	if c.amountFen.Valid {
		c.Amount = redress.FormatAmount(c.amountFen.Int64)
	}
	if d.Liability != "" {
		c.Determination = &d
	}
	if c.replyJSON != "" {
		c.Reply = &redress.Reply{}
		if err := json.Unmarshal([]byte(c.replyJSON), c.Reply); err != nil {
			return nil, fmt.Errorf("stored reply of %s: %w", c.No, err)
		}
	}
	if visitors.Valid { // a case that was no visit has no visitor count
		visit.Visitors = int(visitors.Int64)
		c.Visit = &visit
	}
	_, c.MajorComplaint = redress.MajorComplaint(int(visitors.Int64), c.MajorCause)
	c.Findings, c.Notes, c.Conflicts = []redress.Entry{}, []redress.Entry{}, []redress.Entry{}
	c.DeadlineHistory = []redress.DeadlineChange{}
	return c, nil
}

// caseSheetSelect reads what the case list's export shows
// (redress.CaseSheetRow) and the keys of its order, and nothing else: no
// texts, no reply, two joins, two sealed fields (the account is not shown).
const caseSheetSelect = `SELECT c.id, c.no, c.kind, c.channel, c.received_at, c.c_name, c.c_id_number_enc, c.c_phone_enc,
	c.subject, COALESCE(c.code_b, ''), o.code, COALESCE(h.login, ''), c.level, c.status, c.decision_due,
	COALESCE(c.paused_since, ''), c.amount_fen, c.priority, c.return_visit_due
FROM cases c
JOIN org_units o ON o.id = c.org_id
LEFT JOIN users h ON h.id = c.handler_id`

// scanCaseSheet reads a row of caseSheetSelect, its personal data opened
// and masked as mask does, its overdue flag as of today (redress.Today).
func (db *DB) scanCaseSheet(row interface{ Scan(...any) error }, today string) (*redress.CaseSheetRow, *caseRow, error) {
	r := &redress.CaseSheetRow{}
	key := &caseRow{Case: &redress.Case{}}
	var received, idEnc, phoneEnc, visitDue string
	var amount sql.NullInt64
	if err := row.Scan(&key.ID, &r.No, &r.Kind, &r.Channel, &received, &r.Name, &idEnc, &phoneEnc,
		&r.Subject, &r.CodeB, &r.Org, &r.Handler, &r.Level, &r.Status, &r.DecisionDue, &key.PausedSince, &amount,
		&key.Priority, &visitDue); err != nil {
		return nil, nil, err
	}
	var err error
	if r.ReceivedAt, err = parseTime(received); err != nil {
		return nil, nil, err
	}
	id, err := db.open(idEnc, piiAAD(r.No, "id_number"))
	if err != nil {
		return nil, nil, fmt.Errorf("case %s: %w", r.No, err)
	}
	phone, err := db.open(phoneEnc, piiAAD(r.No, "phone"))
	if err != nil {
		return nil, nil, fmt.Errorf("case %s: %w", r.No, err)
	}
	r.IDNumber, r.Phone = redress.MaskID(id), redress.MaskPhone(phone)
	if amount.Valid {
		r.Amount = redress.FormatAmount(amount.Int64)
	}
	// The key row holds what every sort's cursor reads (sortKeyOf).
	key.No, key.ReceivedAt, key.Status, key.DecisionDue, key.Level = r.No, r.ReceivedAt, r.Status, r.DecisionDue, r.Level
	if visitDue != "" {
		key.ReturnVisit = &redress.ReturnVisit{Due: visitDue}
	}
	r.Overdue = key.DecisionOverdue(today)
	return r, key, nil
}

// piiAAD binds a sealed field to its case and column.
func piiAAD(no, field string) string { return "case:" + no + ":" + field }

// mask opens the sealed personal data and puts the masked forms on the
// case: what every answer of the services carries.
func (db *DB) mask(c *caseRow) error {
	id, err := db.open(c.idEnc, piiAAD(c.No, "id_number"))
	if err != nil {
		return fmt.Errorf("case %s: %w", c.No, err)
	}
	phone, err := db.open(c.phoneEnc, piiAAD(c.No, "phone"))
	if err != nil {
		return fmt.Errorf("case %s: %w", c.No, err)
	}
	account, err := db.open(c.accountEnc, piiAAD(c.No, "account"))
	if err != nil {
		return fmt.Errorf("case %s: %w", c.No, err)
	}
	c.Complainant.IDNumber = redress.MaskID(id)
	c.Complainant.Phone = redress.MaskPhone(phone)
	c.Complainant.Account = redress.MaskAccount(account)
	return nil
}

// loadCase reads one case by tracking number for the user, with its
// findings and notes. A case outside the user's scope is ENOTFOUND, exactly
// as a case that does not exist (redress.InScope).
func (db *DB) loadCase(ctx context.Context, q querier, u *redress.User, no string) (*caseRow, error) {
	c, err := db.loadCaseRow(ctx, q, no)
	if err != nil {
		return nil, err
	}
	if !redress.InScope(u, c.Case) {
		return nil, redress.Errorf(redress.ENOTFOUND, "case %s not found", no)
	}
	return c, nil
}

// loadCaseRow reads one case with its entries, without any scope check: for
// loadCase, and for background jobs that act for the system.
func (db *DB) loadCaseRow(ctx context.Context, q querier, no string) (*caseRow, error) {
	c, err := db.loadCaseHead(ctx, q, no)
	if err != nil {
		return nil, err
	}
	return c, db.loadCaseDetails(ctx, q, c)
}

// loadCaseHead reads the case's own row, personal data masked, without the
// records around it (conflicts, deadline history, reviews, entries): enough
// for the scope, role, status and version checks, which refuse most
// refused actions before loadCaseDetails reads the rest.
func (db *DB) loadCaseHead(ctx context.Context, q querier, no string) (*caseRow, error) {
	notFound := redress.Errorf(redress.ENOTFOUND, "case %s not found", no)
	if !redress.ValidTrackingNumber(no) {
		return nil, notFound
	}
	c, err := scanCase(q.QueryRowContext(ctx, caseSelect+` WHERE c.no = ?`, no))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound
	}
	if err != nil {
		return nil, fmt.Errorf("load case %s: %w", no, err)
	}
	if err := db.mask(c); err != nil {
		return nil, err
	}
	return c, nil
}

// loadCaseDetails reads the records around a case's row: its conflicts,
// deadline history, reviews, findings and notes; then marks what is overdue.
func (db *DB) loadCaseDetails(ctx context.Context, q querier, c *caseRow) error {
	no := c.No
	if err := db.loadConflicts(ctx, q, c); err != nil {
		return err
	}
	if err := db.loadDeadlineHistory(ctx, q, c); err != nil {
		return err
	}
	if err := db.loadReviews(ctx, q, c); err != nil { // review.go
		return err
	}
	if err := db.loadRepeatLinks(ctx, q, c); err != nil { // repeat.go
		return err
	}
	rows, err := q.QueryContext(ctx, `SELECT e.kind, u.login, e.at, e.text
		FROM case_entries e JOIN users u ON u.id = e.author_id WHERE e.case_id = ? ORDER BY e.id`, c.ID)
	if err != nil {
		return fmt.Errorf("load entries of %s: %w", no, err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, at string
		var e redress.Entry
		if err := rows.Scan(&kind, &e.Author, &at, &e.Text); err != nil {
			return fmt.Errorf("load entries of %s: %w", no, err)
		}
		if e.At, err = parseTime(at); err != nil {
			return err
		}
		if kind == "finding" {
			c.Findings = append(c.Findings, e)
		} else {
			c.Notes = append(c.Notes, e)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load entries of %s: %w", no, err)
	}
	c.MarkOverdue(db.now())
	return nil
}

func (db *DB) loadConflicts(ctx context.Context, q querier, c *caseRow) error {
	rows, err := q.QueryContext(ctx, `SELECT u.login, k.at, k.reason
		FROM case_conflicts k JOIN users u ON u.id = k.user_id WHERE k.case_id = ? ORDER BY k.at`, c.ID)
	if err != nil {
		return fmt.Errorf("load conflicts of %s: %w", c.No, err)
	}
	defer rows.Close()
	for rows.Next() {
		var at string
		var e redress.Entry
		if err := rows.Scan(&e.Author, &at, &e.Text); err != nil {
			return fmt.Errorf("load conflicts of %s: %w", c.No, err)
		}
		if e.At, err = parseTime(at); err != nil {
			return err
		}
		c.Conflicts = append(c.Conflicts, e)
	}
	return rows.Err()
}

// updateCase writes the mutable columns of a case changed by an action,
// conditional on the version it was read at: a racing writer makes it
// ECONFLICT rather than overwriting.
func (db *DB) updateCase(ctx context.Context, tx *Tx, c *caseRow, oldVersion int) error {
	if err := c.encodeState(); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, caseUpdate, c.updateValues(oldVersion)...)
	if err != nil {
		return fmt.Errorf("update case: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return redress.Reasonf(redress.ECONFLICT, redress.ReasonChangedMeanwhile, c.No)
	}
	return nil
}

func (db *DB) insertEntry(ctx context.Context, tx *Tx, caseID int64, kind string, author int64, text string, at time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO case_entries (case_id, kind, author_id, at, text) VALUES (?, ?, ?, ?, ?)`,
		caseID, kind, author, timeText(at), text)
	if err != nil {
		return fmt.Errorf("insert %s: %w", kind, err)
	}
	return nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// visitOrZero is the case's visit registration, or the zero one when the
// case was no visit.
func (c *caseRow) visitOrZero() redress.Visit {
	if c.Visit == nil {
		return redress.Visit{}
	}
	return *c.Visit
}

// visitors is the visit_visitors column: NULL when the case was no visit.
func (c *caseRow) visitors() any {
	if c.Visit == nil {
		return nil
	}
	return c.Visit.Visitors
}

func nullInt(n sql.NullInt64) any {
	if !n.Valid {
		return nil
	}
	return n.Int64
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}
