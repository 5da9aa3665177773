package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"redress"
)

// ReceptionService keeps the reception log (redress.ReceptionService): one
// row per visit in reception_visits, the visitor's phone and ID number
// sealed and blind-indexed as a complainant's are, the visitor registration
// and the survey task as JSON under the row's version.
type ReceptionService struct{ db *DB }

// NewReceptionService returns the reception-log service of db.
func NewReceptionService(db *DB) *ReceptionService { return &ReceptionService{db: db} }

var _ redress.ReceptionService = (*ReceptionService)(nil)

const receptionSelect = `SELECT r.id, o.code, o.name, o.path, r.version, r.arrived_at, r.name, r.phone_enc, r.id_type, r.id_number_enc,
	r.purpose, r.needs, r.guidance, r.materials, r.materials_missing, r.business, r.counter, r.wait_minutes, r.follow_up,
	r.registration_json, r.survey_json, COALESCE((SELECT c.no FROM cases c WHERE c.id = r.case_id), ''), r.recorded_by, r.created_at, r.updated_at
FROM reception_visits r JOIN org_units o ON o.id = r.org_id`

// receptionAAD binds a sealed field of a visit to its row.
func receptionAAD(id int64, field string) string {
	return "reception:" + strconv.FormatInt(id, 10) + ":" + field
}

// receptionSealed are the sealed columns of a visit and the fields they hold.
var receptionSealed = [...]struct{ column, field string }{{"phone_enc", "phone"}, {"id_number_enc", "id_number"}}

// receptionVisitor is the visitor of a visit in clear: only to seal it, or
// to carry it into the case the visit turns into.
func (db *DB) receptionVisitor(id int64, v redress.ReceptionVisitor, phoneEnc, idEnc string) (redress.ReceptionVisitor, error) {
	var err error
	if v.Phone, err = db.open(phoneEnc, receptionAAD(id, "phone")); err != nil {
		return v, fmt.Errorf("reception visit %d: %w", id, err)
	}
	if v.IDNumber, err = db.open(idEnc, receptionAAD(id, "id_number")); err != nil {
		return v, fmt.Errorf("reception visit %d: %w", id, err)
	}
	return v, nil
}

// receptionRow is a visit as read, with its sealed fields.
type receptionRow struct {
	*redress.ReceptionVisit
	phoneEnc, idEnc string
}

func (db *DB) scanReception(row interface{ Scan(...any) error }) (*receptionRow, error) {
	v := &receptionRow{ReceptionVisit: &redress.ReceptionVisit{}}
	var arrived, created, updated, reg, survey string
	err := row.Scan(&v.ID, &v.Org, &v.OrgName, &v.OrgPath, &v.Version, &arrived, &v.Visitor.Name, &v.phoneEnc, &v.Visitor.IDType, &v.idEnc,
		&v.Purpose, &v.Needs, &v.Guidance, &v.Materials, &v.MaterialsMissing, &v.Business, &v.Counter, &v.WaitMinutes, &v.FollowUp,
		&reg, &survey, &v.CaseNo, &v.RecordedBy, &created, &updated)
	if err != nil {
		return nil, err
	}
	v.Ref = redress.ReceptionRef(v.ID)
	if v.ArrivedAt, err = parseTime(arrived); err != nil {
		return nil, err
	}
	if v.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if v.UpdatedAt, err = parseTime(updated); err != nil {
		return nil, err
	}
	v.ArrivedAt, v.CreatedAt, v.UpdatedAt = v.ArrivedAt.In(redress.Beijing), v.CreatedAt.In(redress.Beijing), v.UpdatedAt.In(redress.Beijing)
	if reg != "" {
		v.Visit = &redress.Visit{}
		if err := json.Unmarshal([]byte(reg), v.Visit); err != nil {
			return nil, fmt.Errorf("stored registration of %s: %w", v.Ref, err)
		}
	}
	if survey != "" {
		v.Survey = &redress.ReturnVisit{}
		if err := json.Unmarshal([]byte(survey), v.Survey); err != nil {
			return nil, fmt.Errorf("stored survey of %s: %w", v.Ref, err)
		}
	}
	clear, err := db.receptionVisitor(v.ID, v.Visitor, v.phoneEnc, v.idEnc)
	if err != nil {
		return nil, err
	}
	v.Visitor.Phone, v.Visitor.IDNumber = redress.MaskPhone(clear.Phone), redress.MaskID(clear.IDNumber)
	return v, nil
}

// receptionUser is the acting user: a case role (the outlet's lobby staff
// log the visits they receive).
func receptionUser(ctx context.Context) (*redress.User, error) {
	return registerKeeper(ctx, "reception log")
}

// receptionJSON encodes the registration and the survey of a visit.
func receptionJSON(v *redress.Visit, survey *redress.ReturnVisit) (reg, sv string, err error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return "", "", fmt.Errorf("encode registration: %w", err)
	}
	reg = string(raw)
	if survey != nil {
		if raw, err = json.Marshal(survey); err != nil {
			return "", "", fmt.Errorf("encode survey: %w", err)
		}
		sv = string(raw)
	}
	return reg, sv, nil
}

func surveyColumns(s *redress.ReturnVisit) (status, due, satisfaction string) {
	if s == nil {
		return "", "", ""
	}
	return string(s.Status), s.Due, string(s.Satisfaction)
}

// sealVisitor writes the visitor's sealed phone and ID number of a visit
// and their blind indexes.
func sealVisitor(ctx context.Context, tx *Tx, id int64, who redress.ReceptionVisitor) error {
	k := tx.keyring()
	_, err := tx.ExecContext(ctx, `UPDATE reception_visits SET phone_enc = ?, phone_idx = ?, id_number_enc = ?, id_number_idx = ? WHERE id = ?`,
		k.Seal(who.Phone, receptionAAD(id, "phone")), k.BlindIndex("phone", who.Phone),
		k.Seal(who.IDNumber, receptionAAD(id, "id_number")), k.BlindIndex("id", who.IDNumber), id)
	if err != nil {
		return fmt.Errorf("seal visitor: %w", err)
	}
	return nil
}

// LogVisit logs a visit.
func (s *ReceptionService) LogVisit(ctx context.Context, n redress.NewReceptionVisit) (*redress.ReceptionVisit, error) {
	u, err := receptionUser(ctx)
	if err != nil {
		return nil, err
	}
	now := s.db.now()
	if err := n.Validate(now); err != nil {
		return nil, err
	}
	survey := redress.PlanReceptionSurvey(n.ArrivedAt, n.Visitor.Phone)
	reg, sv, err := receptionJSON(n.Visit, survey)
	if err != nil {
		return nil, err
	}
	status, due, satisfaction := surveyColumns(survey)
	var id int64
	incident := ""
	err = s.db.inTx(ctx, func(tx *Tx) error {
		org, err := s.db.orgByCode(ctx, tx, "org", n.Org)
		if err != nil {
			return err
		}
		if !redress.InSubtree(org.Path, u.OrgPath) {
			var p redress.Problems
			p.AddKey("org", redress.ProblemNoSuchOrg, n.Org)
			return p.Err()
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO reception_visits (org_id, version, arrived_at, day, name, id_type, purpose, needs, guidance,
			materials, materials_missing, business, counter, wait_minutes, follow_up, registration_json, visitors, survey_json, survey_status,
			survey_due, survey_satisfaction, recorded_by, created_at, updated_at)
			VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			org.ID, timeText(n.ArrivedAt), redress.DateOf(n.ArrivedAt).String(), n.Visitor.Name, n.Visitor.IDType, n.Purpose, n.Needs, n.Guidance,
			n.Materials, n.MaterialsMissing, n.Business, n.Counter, n.WaitMinutes, n.FollowUp, reg, n.Visit.Visitors, sv, status,
			due, satisfaction, u.Login, timeText(now), timeText(now)).Scan(&id)
		if err != nil {
			return fmt.Errorf("log visit: %w", err)
		}
		if err := sealVisitor(ctx, tx, id, n.Visitor); err != nil {
			return err
		}
		changes := []redress.Change{{Field: "org", After: org.Code},
			{Field: "visitor", After: n.Visitor.Name}, {Field: "visitor.phone", After: redress.MaskPhone(n.Visitor.Phone)},
			{Field: "visitors", After: strconv.Itoa(n.Visit.Visitors)}}
		// A visit of 20 or more (Order 2020 No.3 Art.29) opens its
		// major-complaint incident at once, in this transaction, as a
		// case's registration does; the case registered from the visit
		// later joins it (VisitToCase).
		inc, err := s.db.proposeMajorComplaint(ctx, tx, u, org, n.Visit.Visitors, "", n.ArrivedAt, nil, now)
		if err != nil {
			return err
		}
		if inc != nil {
			if _, err := tx.ExecContext(ctx, `UPDATE reception_visits SET incident_id = ? WHERE id = ?`, inc.ID, id); err != nil {
				return fmt.Errorf("log visit: its incident: %w", err)
			}
			incident = inc.Ref
			changes = append(changes, redress.Change{Field: "incident", After: inc.Ref})
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectReception, redress.ReceptionRef(id)), Actor: u.Login,
			Action: "reception.log", At: now, Changes: changes, Detail: n.Purpose})
	})
	if err != nil {
		return nil, wrap("log visit", err)
	}
	v, err := s.ReceptionVisit(ctx, id)
	if v != nil {
		v.Incident = incident
	}
	return v, err
}

// ReceptionVisit reads one visit.
func (s *ReceptionService) ReceptionVisit(ctx context.Context, id int64) (*redress.ReceptionVisit, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	v, err := s.db.loadReception(ctx, s.db.reads(), u, id, false)
	if err != nil {
		return nil, err
	}
	return v.ReceptionVisit, nil
}

func (db *DB) loadReception(ctx context.Context, q querier, u *redress.User, id int64, lock bool) (*receptionRow, error) {
	query := receptionSelect + ` WHERE r.id = ?`
	if lock {
		query += db.dialect.forUpdate
	}
	v, err := db.scanReception(q.QueryRowContext(ctx, query, id))
	notFound := redress.Errorf(redress.ENOTFOUND, "reception visit %s not found", redress.ReceptionRef(id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound
	}
	if err != nil {
		return nil, fmt.Errorf("load reception visit %d: %w", id, err)
	}
	if !redress.InSubtree(v.OrgPath, u.OrgPath) {
		return nil, notFound
	}
	return v, nil
}

// receptionPath is the path of the unit a filter or summary asks for: the
// caller's unit when org is "", ok false when the unit is out of scope.
func (db *DB) receptionPath(ctx context.Context, u *redress.User, org string) (path string, ok bool, err error) {
	if org == "" {
		return u.OrgPath, true, nil
	}
	o, err := db.orgByCode(ctx, db.reads(), "org", org)
	if err != nil {
		return "", false, err
	}
	return o.Path, redress.InSubtree(o.Path, u.OrgPath), nil
}

// ReceptionVisits lists the log in arrival order.
func (s *ReceptionService) ReceptionVisits(ctx context.Context, f redress.ReceptionFilter) ([]*redress.ReceptionVisit, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	path, ok, err := s.db.receptionPath(ctx, u, f.Org)
	if err != nil || !ok {
		return []*redress.ReceptionVisit{}, err
	}
	where, args := []string{`o.path LIKE ?`}, []any{path + "%"}
	if f.Day != "" {
		where, args = append(where, `r.day = ?`), append(args, f.Day)
	}
	if f.Survey != "" {
		where, args = append(where, `r.survey_status = ?`), append(args, f.Survey)
	}
	rows, err := s.db.reads().QueryContext(ctx, receptionSelect+` WHERE `+strings.Join(where, " AND ")+` ORDER BY r.arrived_at, r.id LIMIT 1000`, args...)
	if err != nil {
		return nil, fmt.Errorf("reception visits: %w", err)
	}
	defer rows.Close()
	out := []*redress.ReceptionVisit{}
	for rows.Next() {
		v, err := s.db.scanReception(rows)
		if err != nil {
			return nil, fmt.Errorf("reception visits: %w", err)
		}
		out = append(out, v.ReceptionVisit)
	}
	return out, rows.Err()
}

// staleReception is the conflict of a version the caller did not see.
func staleReception(v *redress.ReceptionVisit, version int) error {
	return redress.Errorf(redress.ECONFLICT, "%s was changed by someone else: you sent version %d, it is now at version %d; reload it and try again",
		v.Ref, version, v.Version)
}

// changeVisit runs a change of a visit by its keeper: in one transaction,
// the visit read under a lock and in scope, then change; the visit is read
// again after the commit.
func (s *ReceptionService) changeVisit(ctx context.Context, id int64, what string,
	change func(tx *Tx, u *redress.User, v *receptionRow, now time.Time) error) (*redress.ReceptionVisit, error) {
	u, err := receptionUser(ctx)
	if err != nil {
		return nil, err
	}
	now := s.db.now()
	err = s.db.inTx(ctx, func(tx *Tx) error {
		v, err := s.db.loadReception(ctx, tx, u, id, true)
		if err != nil {
			return err
		}
		return change(tx, u, v, now)
	})
	if err != nil {
		return nil, wrap(what, err)
	}
	return s.ReceptionVisit(ctx, id)
}

// updateReception sets columns of a visit (sets: "a = ?, b = ?") under the
// version read, bumping it; a racing writer's change is a conflict.
func updateReception(ctx context.Context, tx *Tx, v *receptionRow, version int, now time.Time, sets string, args ...any) error {
	args = append(args, timeText(now), v.ID, v.Version)
	res, err := tx.ExecContext(ctx, `UPDATE reception_visits SET `+sets+`, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`, args...)
	if err != nil {
		return fmt.Errorf("visit %s: %w", v.Ref, err)
	}
	if k, _ := res.RowsAffected(); k != 1 {
		return staleReception(v.ReceptionVisit, version)
	}
	return nil
}

// UpdateVisit edits a visit at the version seen.
func (s *ReceptionService) UpdateVisit(ctx context.Context, id int64, req redress.ReceptionUpdate) (*redress.ReceptionVisit, error) {
	return s.changeVisit(ctx, id, "update visit", func(tx *Tx, u *redress.User, v *receptionRow, now time.Time) error {
		if err := redress.ReceptionEditRule(v.ReceptionVisit, &req); err != nil {
			return err
		}
		if err := req.Validate(now); err != nil {
			return err
		}
		if req.Version != v.Version {
			return staleReception(v.ReceptionVisit, req.Version)
		}
		n := req.NewReceptionVisit
		// The answers carry the phone and ID number masked: an edit that
		// leaves them empty keeps what is stored.
		stored, err := s.db.receptionVisitor(v.ID, v.Visitor, v.phoneEnc, v.idEnc)
		if err != nil {
			return err
		}
		if n.Visitor.Phone == "" {
			n.Visitor.Phone = stored.Phone
		}
		if n.Visitor.IDNumber == "" {
			n.Visitor.IDType, n.Visitor.IDNumber = stored.IDType, stored.IDNumber
		}
		survey := v.Survey
		if survey == nil || len(survey.Attempts) == 0 { // a survey not begun follows the phone and the day
			survey = redress.PlanReceptionSurvey(n.ArrivedAt, n.Visitor.Phone)
		}
		reg, sv, err := receptionJSON(n.Visit, survey)
		if err != nil {
			return err
		}
		status, due, satisfaction := surveyColumns(survey)
		err = updateReception(ctx, tx, v, req.Version, now, `arrived_at = ?, day = ?, name = ?, id_type = ?, purpose = ?, needs = ?,
			guidance = ?, materials = ?, materials_missing = ?, business = ?, counter = ?, wait_minutes = ?, follow_up = ?, registration_json = ?,
			visitors = ?, survey_json = ?, survey_status = ?, survey_due = ?, survey_satisfaction = ?`,
			timeText(n.ArrivedAt), redress.DateOf(n.ArrivedAt).String(), n.Visitor.Name, n.Visitor.IDType, n.Purpose, n.Needs,
			n.Guidance, n.Materials, n.MaterialsMissing, n.Business, n.Counter, n.WaitMinutes, n.FollowUp, reg,
			n.Visit.Visitors, sv, status, due, satisfaction)
		if err != nil {
			return err
		}
		if err := sealVisitor(ctx, tx, v.ID, n.Visitor); err != nil {
			return err
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectReception, v.Ref), Actor: u.Login,
			Action: "reception.update", At: now, Changes: receptionChanges(v.ReceptionVisit, &n), Detail: n.Purpose})
	})
}

// receptionChanges are the fields an edit changed, personal data masked.
func receptionChanges(v *redress.ReceptionVisit, n *redress.NewReceptionVisit) []redress.Change {
	var out []redress.Change
	add := func(field, before, after string) {
		if before != after {
			out = append(out, redress.Change{Field: field, Before: before, After: after})
		}
	}
	add("arrived_at", v.ArrivedAt.UTC().Format(timeLayout), n.ArrivedAt.UTC().Format(timeLayout))
	add("visitor", v.Visitor.Name, n.Visitor.Name)
	add("visitor.phone", v.Visitor.Phone, redress.MaskPhone(n.Visitor.Phone))
	add("visitor.id_number", v.Visitor.IDNumber, redress.MaskID(n.Visitor.IDNumber))
	add("purpose", v.Purpose, n.Purpose)
	add("materials", string(v.Materials), string(n.Materials))
	add("business", v.Business, n.Business)
	add("counter", v.Counter, n.Counter)
	add("wait_minutes", strconv.Itoa(v.WaitMinutes), strconv.Itoa(n.WaitMinutes))
	add("follow_up", v.FollowUp, n.FollowUp)
	before := 0
	if v.Visit != nil {
		before = v.Visit.Visitors
	}
	add("visitors", strconv.Itoa(before), strconv.Itoa(n.Visit.Visitors))
	return out
}

// RecordSurvey records an attempt of the visit's satisfaction survey.
func (s *ReceptionService) RecordSurvey(ctx context.Context, id int64, req redress.ReceptionSurveyRequest) (*redress.ReceptionVisit, error) {
	return s.changeVisit(ctx, id, "visit survey", func(tx *Tx, u *redress.User, v *receptionRow, now time.Time) error {
		var before redress.ReturnVisitStatus
		if v.Survey != nil {
			before = v.Survey.Status
		}
		if err := redress.ReceptionSurveyRule(v.ReceptionVisit, req, u.Login, now.In(redress.Beijing)); err != nil {
			return err
		}
		if req.Version != v.Version {
			return staleReception(v.ReceptionVisit, req.Version)
		}
		_, sv, err := receptionJSON(v.Visit, v.Survey)
		if err != nil {
			return err
		}
		status, due, satisfaction := surveyColumns(v.Survey)
		if err := updateReception(ctx, tx, v, req.Version, now, `survey_json = ?, survey_status = ?, survey_due = ?, survey_satisfaction = ?`,
			sv, status, due, satisfaction); err != nil {
			return err
		}
		changes := []redress.Change{{Field: "survey.outcome", After: string(req.VisitOutcome)}, {Field: "survey.method", After: string(req.VisitMethod)}}
		if before != v.Survey.Status {
			changes = append(changes, redress.Change{Field: "survey.status", Before: string(before), After: string(v.Survey.Status)})
		}
		if v.Survey.Satisfaction != "" {
			changes = append(changes, redress.Change{Field: "survey.satisfaction", After: string(v.Survey.Satisfaction)})
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectReception, v.Ref), Actor: u.Login,
			Action: "reception.survey", At: now, Changes: changes, Detail: strings.TrimSpace(req.Text)})
	})
}

// VisitToCase registers the case a visit turns into (channel visit, the
// visitor as complainant, the record as description, the registration) and
// links the two, in one transaction with both audit events.
func (s *ReceptionService) VisitToCase(ctx context.Context, id int64, req redress.ReceptionCaseRequest) (*redress.Case, error) {
	u, err := receptionUser(ctx)
	if err != nil {
		return nil, err
	}
	now := s.db.now()
	deadlines, err := s.db.deadlines(ctx)
	if err != nil {
		return nil, wrap("visit to case", err)
	}
	var created *caseRow
	err = s.db.inTx(ctx, func(tx *Tx) error {
		v, err := s.db.loadReception(ctx, tx, u, id, true)
		if err != nil {
			return err
		}
		visitor, err := s.db.receptionVisitor(v.ID, v.Visitor, v.phoneEnc, v.idEnc)
		if err != nil {
			return err
		}
		n, err := redress.ReceptionCase(v.ReceptionVisit, visitor, req)
		if err != nil {
			return err
		}
		if req.Version != v.Version {
			return staleReception(v.ReceptionVisit, req.Version)
		}
		if err := n.Validate(now); err != nil {
			return err
		}
		refs, err := s.db.resolveCase(ctx, tx, u, &n)
		if err != nil {
			return err
		}
		if created, err = s.db.insertCase(ctx, tx, u, &n, refs, deadlines, now); err != nil {
			return err
		}
		// A major complaint joins the incident its visit opened, or opens
		// one as the case intake does (a visit logged before it could).
		var visitIncident int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(incident_id, 0) FROM reception_visits WHERE id = ?`, v.ID).Scan(&visitIncident); err != nil {
			return fmt.Errorf("visit to case: its incident: %w", err)
		}
		if visitIncident != 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO incident_cases (incident_id, case_no) VALUES (?, ?)`, visitIncident, created.No); err != nil {
				return fmt.Errorf("visit to case: join its incident: %w", err)
			}
			created.Incident = redress.IncidentRef(visitIncident)
		} else {
			org := &redress.OrgUnit{ID: created.orgID, Code: created.Org, Path: created.OrgPath}
			inc, err := s.db.proposeMajorComplaint(ctx, tx, u, org, created.visitOrZero().Visitors, created.MajorCause, created.ReceivedAt,
				[]string{created.No}, now)
			if err != nil {
				return err
			}
			if inc != nil {
				created.Incident = inc.Ref
			}
		}
		if err := s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectCase, created.No), Actor: u.Login,
			Action: redress.CaseEventAction(redress.ActionRegister), At: now, Changes: redress.DiffCase(nil, created.Case),
			Detail: v.Ref}); err != nil {
			return err
		}
		if err := updateReception(ctx, tx, v, req.Version, now, `case_id = ?`, created.ID); err != nil {
			return err
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectReception, v.Ref), Actor: u.Login,
			Action: "reception.convert", At: now, Changes: []redress.Change{{Field: "case", After: created.No}}})
	})
	if err != nil {
		return nil, wrap("visit to case", err)
	}
	created.MarkOverdue(now)
	return created.Case, nil
}

// VisitOfCase is the visit a case was registered from, for a caller who
// sees the case; nil when none.
func (s *ReceptionService) VisitOfCase(ctx context.Context, no string) (*redress.ReceptionVisit, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.db.loadCase(ctx, s.db.reads(), u, no)
	if err != nil {
		return nil, wrap("visit of case", err)
	}
	v, err := s.db.scanReception(s.db.reads().QueryRowContext(ctx, receptionSelect+` WHERE r.case_id = ?`, c.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("visit of case %s: %w", no, err)
	}
	return v.ReceptionVisit, nil
}

// ReceptionSummary counts the visits of a period by outlet.
func (s *ReceptionService) ReceptionSummary(ctx context.Context, org string, from, to redress.Date) (*redress.ReceptionSummary, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	path, ok, err := s.db.receptionPath(ctx, u, org)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, redress.Errorf(redress.ENOTFOUND, "unit %s not found", org)
	}
	if org == "" {
		org = u.OrgCode
	}
	sum := &redress.ReceptionSummary{From: from.String(), To: to.String(), Org: org, Units: []*redress.ReceptionFigures{}}
	rows, err := s.db.reads().QueryContext(ctx, `SELECT o.code, o.name, COALESCE(c.kind, ''), r.wait_minutes, r.survey_status, r.survey_satisfaction
		FROM reception_visits r JOIN org_units o ON o.id = r.org_id LEFT JOIN cases c ON c.id = r.case_id
		WHERE o.path LIKE ? AND r.day >= ? AND r.day <= ? ORDER BY o.code`, path+"%", from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("reception summary: %w", err)
	}
	defer rows.Close()
	sum.Total.Org = org
	var unit *redress.ReceptionFigures
	for rows.Next() {
		var code, name string
		var c redress.ReceptionCount
		if err := rows.Scan(&code, &name, &c.Kind, &c.WaitMinutes, &c.Survey, &c.Satisfaction); err != nil {
			return nil, fmt.Errorf("reception summary: %w", err)
		}
		if unit == nil || unit.Org != code {
			unit = &redress.ReceptionFigures{Org: code, OrgName: name}
			sum.Units = append(sum.Units, unit)
		}
		unit.Add(c)
		sum.Total.Add(c)
	}
	return sum, rows.Err()
}

// rotateReception re-encrypts the visitors' phones and ID numbers of the
// reception log, in one transaction, each update conditional on what it read.
func (db *DB) rotateReception(ctx context.Context, ring *redress.Keyring, report *RotationReport) error {
	type row struct {
		id     int64
		sealed [len(receptionSealed)]string
	}
	rows, err := db.reads().QueryContext(ctx, `SELECT id, phone_enc, id_number_enc FROM reception_visits`)
	if err != nil {
		return err
	}
	var list []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.sealed[0], &r.sealed[1]); err != nil {
			rows.Close()
			return err
		}
		for _, sealed := range r.sealed {
			if sealed != "" && redress.SealedVersion(sealed) != ring.Current() {
				list = append(list, r)
				break
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(list) == 0 {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		for _, r := range list {
			for i, col := range receptionSealed {
				if r.sealed[i] == "" || redress.SealedVersion(r.sealed[i]) == ring.Current() {
					continue
				}
				plain, err := ring.Open(r.sealed[i], receptionAAD(r.id, col.field))
				if err != nil {
					return fmt.Errorf("reception visit %d %s: %w", r.id, col.column, err)
				}
				if _, err := tx.ExecContext(ctx, `UPDATE reception_visits SET `+col.column+` = ? WHERE id = ? AND `+col.column+` = ?`,
					ring.Seal(plain, receptionAAD(r.id, col.field)), r.id, r.sealed[i]); err != nil {
					return err
				}
			}
			report.Reception++
		}
		return nil
	})
}
