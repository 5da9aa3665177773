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

// IncidentService keeps the emergency incidents and the emergency plans
// (redress.IncidentService): one row per incident in incidents, its cases in
// incident_cases, its report chain in incident_steps, and each version of a
// unit's plan in emergency_plans. Every command loads the incident, asks the
// domain (redress.IncidentRule) and writes it back under its version with
// an audit event and the chain's notices in the same transaction.
type IncidentService struct{ db *DB }

// NewIncidentService returns the incident service of db.
func NewIncidentService(db *DB) *IncidentService { return &IncidentService{db: db} }

var _ redress.IncidentService = (*IncidentService)(nil)

const incidentSelect = `SELECT i.id, i.kind, i.status, i.version, o.code, o.name, o.path, i.place, i.occurred_at, i.people, i.people_note,
	COALESCE(po.code, ''), COALESCE(p.version, 0), i.timeline_json, i.reports_json, i.closing_json, i.created_by, i.created_at, i.updated_at
FROM incidents i JOIN org_units o ON o.id = i.org_id
LEFT JOIN emergency_plans p ON p.id = i.plan_id LEFT JOIN org_units po ON po.id = p.org_id`

func scanIncident(row interface{ Scan(...any) error }) (*redress.Incident, error) {
	i := &redress.Incident{}
	var occurred, timeline, reports, closing, created, updated string
	err := row.Scan(&i.ID, &i.Kind, &i.Status, &i.Version, &i.Org, &i.OrgName, &i.OrgPath, &i.Place, &occurred, &i.People, &i.PeopleNote,
		&i.PlanOrg, &i.PlanVersion, &timeline, &reports, &closing, &i.CreatedBy, &created, &updated)
	if err != nil {
		return nil, err
	}
	i.Ref = redress.IncidentRef(i.ID)
	for _, t := range []struct {
		text string
		to   *time.Time
	}{{occurred, &i.OccurredAt}, {created, &i.CreatedAt}, {updated, &i.UpdatedAt}} {
		if *t.to, err = parseTime(t.text); err != nil {
			return nil, err
		}
	}
	if err := json.Unmarshal([]byte(timeline), &i.Timeline); err != nil {
		return nil, fmt.Errorf("incident %d timeline: %w", i.ID, err)
	}
	if err := json.Unmarshal([]byte(reports), &i.Reports); err != nil {
		return nil, fmt.Errorf("incident %d reports: %w", i.ID, err)
	}
	if closing != "" {
		i.Closing = &redress.IncidentClosing{}
		if err := json.Unmarshal([]byte(closing), i.Closing); err != nil {
			return nil, fmt.Errorf("incident %d closing: %w", i.ID, err)
		}
	}
	i.Cases, i.Chain = []string{}, []redress.IncidentStep{}
	return i, nil
}

// loadIncidentDetails reads an incident's cases and chain.
func (db *DB) loadIncidentDetails(ctx context.Context, q querier, i *redress.Incident) error {
	rows, err := q.QueryContext(ctx, `SELECT case_no FROM incident_cases WHERE incident_id = ? ORDER BY case_no`, i.ID)
	if err != nil {
		return fmt.Errorf("cases of %s: %w", i.Ref, err)
	}
	for rows.Next() {
		var no string
		if err := rows.Scan(&no); err != nil {
			rows.Close()
			return err
		}
		i.Cases = append(i.Cases, no)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = q.QueryContext(ctx, `SELECT step, to_json, notified_at, due_at, ack_by, ack_at, note, escalated_at
		FROM incident_steps WHERE incident_id = ? ORDER BY seq`, i.ID)
	if err != nil {
		return fmt.Errorf("chain of %s: %w", i.Ref, err)
	}
	defer rows.Close()
	for rows.Next() {
		var s redress.IncidentStep
		var to string
		var notified, due, ack, escalated sql.NullString
		if err := rows.Scan(&s.Step, &to, &notified, &due, &s.AckBy, &ack, &s.Note, &escalated); err != nil {
			return fmt.Errorf("chain of %s: %w", i.Ref, err)
		}
		if err := json.Unmarshal([]byte(to), &s.To); err != nil {
			return fmt.Errorf("chain of %s: %w", i.Ref, err)
		}
		for _, t := range []struct {
			text sql.NullString
			to   **time.Time
		}{{notified, &s.NotifiedAt}, {due, &s.DueAt}, {ack, &s.AckAt}, {escalated, &s.EscalatedAt}} {
			if *t.to, err = parseNullTime(t.text); err != nil {
				return err
			}
		}
		i.Chain = append(i.Chain, s)
	}
	return rows.Err()
}

// loadIncident reads one incident as u may see it.
func (db *DB) loadIncident(ctx context.Context, q querier, u *redress.User, id int64, lock bool) (*redress.Incident, error) {
	if lock { // the row alone: PostgreSQL locks no outer join's nullable side
		var locked int64
		err := q.QueryRowContext(ctx, `SELECT id FROM incidents WHERE id = ?`+db.dialect.forUpdate, id).Scan(&locked)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("lock incident %d: %w", id, err)
		}
	}
	i, err := scanIncident(q.QueryRowContext(ctx, incidentSelect+` WHERE i.id = ?`, id))
	notFound := redress.Errorf(redress.ENOTFOUND, "incident %s not found", redress.IncidentRef(id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound
	}
	if err != nil {
		return nil, fmt.Errorf("load incident %d: %w", id, err)
	}
	if err := db.loadIncidentDetails(ctx, q, i); err != nil {
		return nil, err
	}
	if !redress.MaySeeIncident(i, u) {
		return nil, notFound
	}
	i.MarkOverdue(db.now())
	return i, nil
}

// OpenIncident registers an incident and starts its chain.
func (s *IncidentService) OpenIncident(ctx context.Context, n redress.NewIncident) (*redress.Incident, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	if !redress.MayOpenIncident(u.Role) {
		return nil, redress.Errorf(redress.EFORBIDDEN, "role %s does not register incidents", u.Role)
	}
	now := s.db.now()
	if err := n.Validate(now); err != nil {
		return nil, err
	}
	var id int64
	err = s.db.inTx(ctx, func(tx *Tx) error {
		org := &redress.OrgUnit{ID: u.OrgID, Code: u.OrgCode, Path: u.OrgPath}
		if n.Org != "" && n.Org != u.OrgCode {
			if org, err = s.db.orgByCode(ctx, tx, "org", n.Org); err != nil {
				return err
			}
			if !redress.InSubtree(org.Path, u.OrgPath) {
				return redress.FieldError(redress.EINVALID, "unit out of scope", "org", redress.ProblemNoSuchOrg, n.Org)
			}
		}
		var p redress.Problems
		for _, no := range n.Cases {
			if _, err := s.db.loadCase(ctx, tx, u, no); redress.ErrorCode(err) == redress.ENOTFOUND {
				p.AddKey("cases", redress.ProblemNoSuchCase, no)
			} else if err != nil {
				return err
			}
		}
		if err := p.Err(); err != nil {
			return err
		}
		inc, err := s.db.openIncident(ctx, tx, u, org, n, now)
		if err != nil {
			return err
		}
		id = inc.ID
		return nil
	})
	if err != nil {
		return nil, wrap("open incident", err)
	}
	return s.Incident(ctx, id)
}

// openIncident writes an incident checked already, of unit org, by u: its
// row under the plan in force, its cases, its chain, the notices of the
// steps that start at once (redress.StepsOnOpen) and the event
// incident.open. The case registration calls it through
// proposeMajorComplaint.
func (db *DB) openIncident(ctx context.Context, tx *Tx, u *redress.User, org *redress.OrgUnit, n redress.NewIncident, now time.Time) (*redress.Incident, error) {
	plan, planID, err := db.planInForce(ctx, tx, org.Path)
	if err != nil {
		return nil, err
	}
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO incidents (kind, status, version, org_id, place, occurred_at, people, people_note, plan_id,
		created_by, created_at, updated_at) VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		n.Kind, redress.IncidentOpen, org.ID, n.Place, timeText(n.OccurredAt), n.People, n.PeopleNote, nullID(planID),
		u.Login, timeText(now), timeText(now)).Scan(&id)
	if err != nil {
		return nil, fmt.Errorf("insert incident: %w", err)
	}
	for _, no := range n.Cases {
		if _, err := tx.ExecContext(ctx, `INSERT INTO incident_cases (incident_id, case_no) VALUES (?, ?)`, id, no); err != nil {
			return nil, fmt.Errorf("link case %s: %w", no, err)
		}
	}
	for seq, step := range redress.ChainFor(n.Kind) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO incident_steps (incident_id, step, seq) VALUES (?, ?, ?)`, id, step, seq); err != nil {
			return nil, fmt.Errorf("chain of incident %d: %w", id, err)
		}
	}
	inc := &redress.Incident{ID: id, Ref: redress.IncidentRef(id), Kind: n.Kind, Status: redress.IncidentOpen, Version: 1, Org: org.Code,
		OrgPath: org.Path, CreatedAt: now}
	for _, step := range redress.StepsOnOpen(n.Kind) {
		if err := db.notifyStep(ctx, tx, inc, plan, step, now); err != nil {
			return nil, err
		}
	}
	changes := []redress.Change{{Field: "kind", After: string(n.Kind)}, {Field: "org", After: org.Code}, {Field: "people", After: fmt.Sprint(n.People)}}
	if plan != nil {
		changes = append(changes, redress.Change{Field: "plan", After: fmt.Sprintf("%s v%d", plan.Org, plan.Version)})
	}
	if len(n.Cases) > 0 {
		changes = append(changes, redress.Change{Field: "cases", After: strings.Join(n.Cases, ",")})
	}
	return inc, db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectIncident, inc.Ref), Actor: u.Login,
		Action: "incident.open", At: now, Changes: changes, Detail: string(n.Kind)})
}

// proposeMajorComplaint opens the major-complaint incident of a visit or a
// case when it is one (redress.MajorComplaint: visitors ≥ 20, or a cause),
// by u in unit org, linking the cases given; it answers nil when it is not
// one. Every register that records visits calls it in its own transaction
// (the case registration does; the reception log's visits may).
func (db *DB) proposeMajorComplaint(ctx context.Context, tx *Tx, u *redress.User, org *redress.OrgUnit, visitors int, cause redress.MajorCause,
	at time.Time, cases []string, now time.Time) (*redress.Incident, error) {
	kind, major := redress.MajorComplaint(visitors, cause)
	if !major {
		return nil, nil
	}
	people := max(visitors, 1)
	note := fmt.Sprintf("来访 %d 人", people)
	if visitors == 0 {
		note = "登记时注明重大投诉原因"
	}
	n := redress.NewIncident{Kind: kind, Place: "来访接待场所（" + org.Code + "）", OccurredAt: at, People: people, PeopleNote: note, Cases: cases}
	return db.openIncident(ctx, tx, u, org, n, now)
}

// planInForce reads the latest plan of the unit at path or, failing that,
// of the nearest unit above with one; nil when none has.
func (db *DB) planInForce(ctx context.Context, q querier, path string) (*redress.EmergencyPlan, int64, error) {
	for _, unit := range ancestors(path) {
		plan, id, err := db.planOf(ctx, q, unit, 0)
		if err != nil || plan != nil {
			return plan, id, err
		}
	}
	return nil, 0, nil
}

// planOf reads one version of a unit's plan (0: the latest); nil when none.
func (db *DB) planOf(ctx context.Context, q querier, orgID int64, version int) (*redress.EmergencyPlan, int64, error) {
	query := `SELECT p.id, p.version, p.plan_json, p.created_by, p.created_at, o.code, o.name, o.path
		FROM emergency_plans p JOIN org_units o ON o.id = p.org_id WHERE p.org_id = ?`
	args := []any{orgID}
	if version > 0 {
		query, args = query+` AND p.version = ?`, append(args, version)
	}
	var id int64
	var planJSON, created string
	plan := &redress.EmergencyPlan{}
	err := q.QueryRowContext(ctx, query+` ORDER BY p.version DESC LIMIT 1`, args...).Scan(&id, &plan.Version, &planJSON, &plan.CreatedBy, &created,
		&plan.Org, &plan.OrgName, &plan.OrgPath)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("emergency plan of unit %d: %w", orgID, err)
	}
	var body redress.NewEmergencyPlan
	if err := json.Unmarshal([]byte(planJSON), &body); err != nil {
		return nil, 0, fmt.Errorf("emergency plan %d: %w", id, err)
	}
	plan.Leader, plan.Leadership, plan.TeamLeader, plan.TeamDeputy, plan.TeamMembers = body.Leader, body.Leadership, body.TeamLeader, body.TeamDeputy, body.TeamMembers
	plan.AckMinutes, plan.RegulatorHours = body.AckMinutes, body.RegulatorHours
	if plan.CreatedAt, err = parseTime(created); err != nil {
		return nil, 0, err
	}
	return plan, id, nil
}

// stepRecipients are the people a step of inc reports to: the plan's
// emergency team, its leadership group (also for the regulator's report,
// which the group makes), the managers of the unit above the plan's unit;
// without a plan, the nearest managers and branch heads by role.
func (db *DB) stepRecipients(ctx context.Context, tx *Tx, inc *redress.Incident, plan *redress.EmergencyPlan, step redress.ChainStep) ([]recipient, error) {
	var logins []string
	switch step {
	case redress.StepTeam:
		if plan == nil {
			return db.nearestManagers(ctx, tx, inc.OrgPath, 0)
		}
		logins = plan.Team()
	case redress.StepLeadership, redress.StepRegulator:
		if plan == nil {
			return db.nearestWithRole(ctx, tx, inc.OrgPath, redress.RoleBranchHead, 0)
		}
		logins = plan.Group()
	case redress.StepSuperior:
		path := inc.OrgPath
		if plan != nil {
			path = plan.OrgPath
		}
		return db.nearestManagers(ctx, tx, parentPath(path), 0)
	}
	return db.recipientsByLogin(ctx, tx, logins)
}

// recipientsByLogin returns the active users of the given logins.
func (db *DB) recipientsByLogin(ctx context.Context, q querier, logins []string) ([]recipient, error) {
	if len(logins) == 0 {
		return nil, nil
	}
	args := make([]any, len(logins))
	for k, l := range logins {
		args[k] = l
	}
	return db.recipientsWhere(ctx, q, `u.login IN (`+strings.TrimSuffix(strings.Repeat("?, ", len(logins)), ", ")+`)`, args...)
}

// stepNames are the steps as the notices say them.
var stepNames = map[redress.ChainStep]string{redress.StepTeam: "应急处理小组", redress.StepLeadership: "领导小组",
	redress.StepSuperior: "上级机构", redress.StepRegulator: "向监管机构报告"}

// notifyStep reports a step of inc to its recipients: who they are, when it
// was reported, by when it is acknowledged (the plan's limits, or the
// defaults without a plan), and an in-app notice to each.
func (db *DB) notifyStep(ctx context.Context, tx *Tx, inc *redress.Incident, plan *redress.EmergencyPlan, step redress.ChainStep, now time.Time) error {
	to, err := db.stepRecipients(ctx, tx, inc, plan, step)
	if err != nil {
		return err
	}
	ack, hours := redress.DefaultAckMinutes, redress.DefaultRegulatorHours
	if plan != nil {
		ack, hours = plan.AckMinutes, plan.RegulatorHours
	}
	due := redress.StepDue(step, inc.CreatedAt, now, ack, hours)
	logins := []string{}
	for _, r := range to {
		logins = append(logins, r.login)
	}
	toJSON, err := json.Marshal(logins)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE incident_steps SET to_json = ?, notified_at = ?, due_at = ? WHERE incident_id = ? AND step = ?`,
		string(toJSON), timeText(now), timeText(due), inc.ID, step); err != nil {
		return fmt.Errorf("report %s of %s: %w", step, inc.Ref, err)
	}
	body := fmt.Sprintf("%s（%s）已报告%s，请于 %s 前确认。", inc.Ref, inc.Org, stepNames[step], due.In(redress.Beijing).Format("2006-01-02 15:04"))
	if step == redress.StepRegulator {
		body = fmt.Sprintf("%s 为重大投诉，请于 %s 前向监管机构报告并登记。", inc.Ref, due.In(redress.Beijing).Format("2006-01-02 15:04"))
	}
	_, err = db.insertNotifications(ctx, tx, to, nil, redress.Notification{Kind: redress.NotifyIncidentStep,
		Subject: "突发事件 " + inc.Ref + " " + stepNames[step], Body: body}, now)
	return err
}

// Incident reads one incident.
func (s *IncidentService) Incident(ctx context.Context, id int64) (*redress.Incident, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	return s.db.loadIncident(ctx, s.db.reads(), u, id, false)
}

// ListIncidents lists the incidents of the caller's scope and those whose
// chain reports to them, newest first.
func (s *IncidentService) ListIncidents(ctx context.Context, f redress.IncidentFilter) (*redress.IncidentPage, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	where := []string{`(o.path LIKE ? OR EXISTS (SELECT 1 FROM incident_steps s WHERE s.incident_id = i.id AND s.to_json LIKE ?))`}
	args := []any{u.OrgPath + "%", `%"` + u.Login + `"%`}
	if u.OrgPath == "" {
		args[0] = "-" // no unit: no scope
	}
	if f.Status != "" {
		where, args = append(where, `i.status = ?`), append(args, f.Status)
	}
	if f.Before > 0 {
		where, args = append(where, `i.id < ?`), append(args, f.Before)
	}
	q := s.db.reads()
	rows, err := q.QueryContext(ctx, incidentSelect+` WHERE `+strings.Join(where, " AND ")+` ORDER BY i.id DESC LIMIT ?`, append(args, f.Limit+1)...)
	if err != nil {
		return nil, fmt.Errorf("list incidents: %w", err)
	}
	var list []*redress.Incident
	for rows.Next() {
		i, err := scanIncident(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("list incidents: %w", err)
		}
		list = append(list, i)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	page := &redress.IncidentPage{Incidents: []*redress.Incident{}}
	for _, i := range list {
		if len(page.Incidents) == f.Limit {
			page.NextBefore = page.Incidents[len(page.Incidents)-1].ID
			break
		}
		if err := s.db.loadIncidentDetails(ctx, q, i); err != nil {
			return nil, err
		}
		if !redress.MaySeeIncident(i, u) {
			continue // a login that only looked like one in the chain
		}
		i.MarkOverdue(s.db.now())
		page.Incidents = append(page.Incidents, i)
	}
	return page, nil
}

// ActIncident gives one command under the incident's version.
func (s *IncidentService) ActIncident(ctx context.Context, id int64, req redress.IncidentRequest) (*redress.Incident, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	now := s.db.now()
	err = s.db.inTx(ctx, func(tx *Tx) error {
		i, err := s.db.loadIncident(ctx, tx, u, id, true)
		if err != nil {
			return err
		}
		if err := redress.IncidentRule(i, u, req); err != nil {
			return err
		}
		if req.Version != i.Version {
			return redress.Errorf(redress.ECONFLICT, "incident %s was changed by someone else: you sent version %d, it is now at version %d; reload it and try again",
				i.Ref, req.Version, i.Version)
		}
		text := strings.TrimSpace(req.Text)
		at := now.In(redress.Beijing)
		var changes []redress.Change
		detail := text
		switch req.Command {
		case redress.CmdAcknowledge:
			if _, err := tx.ExecContext(ctx, `UPDATE incident_steps SET ack_by = ?, ack_at = ?, note = ? WHERE incident_id = ? AND step = ?`,
				u.Login, timeText(now), text, i.ID, req.Step); err != nil {
				return fmt.Errorf("acknowledge %s of %s: %w", req.Step, i.Ref, err)
			}
			changes = append(changes, redress.Change{Field: "chain." + string(req.Step), After: "acknowledged"})
			if next := redress.NextStep(req.Step); next != "" {
				if st := i.StepOf(next); st != nil && st.NotifiedAt == nil {
					plan, err := s.db.planOfIncident(ctx, tx, i)
					if err != nil {
						return err
					}
					if err := s.db.notifyStep(ctx, tx, i, plan, next, now); err != nil {
						return err
					}
				}
			}
			detail = string(req.Step)
		case redress.CmdRecord:
			i.Timeline = append(i.Timeline, redress.IncidentEntry{Measure: req.Measure, Text: text, By: u.Login, At: at})
			detail = string(req.Measure)
		case redress.CmdReport:
			i.Reports = append(i.Reports, redress.Entry{Author: u.Login, At: at, Text: text})
			var to []recipient
			for _, step := range []redress.ChainStep{redress.StepLeadership, redress.StepSuperior} {
				if st := i.StepOf(step); st != nil {
					r, err := s.db.recipientsByLogin(ctx, tx, st.To)
					if err != nil {
						return err
					}
					to = mergeRecipients(to, r)
				}
			}
			if len(to) == 0 { // not reported up yet: to the group the plan names
				plan, err := s.db.planOfIncident(ctx, tx, i)
				if err != nil {
					return err
				}
				if to, err = s.db.stepRecipients(ctx, tx, i, plan, redress.StepLeadership); err != nil {
					return err
				}
			}
			if _, err := s.db.insertNotifications(ctx, tx, to, nil, redress.Notification{Kind: redress.NotifyIncidentReport,
				Subject: "突发事件 " + i.Ref + " 进展报告", Body: i.Ref + " 应急处理小组报告了事件进展情况。"}, now); err != nil {
				return err
			}
		case redress.CmdClose:
			i.Status = redress.IncidentClosed
			i.Closing = &redress.IncidentClosing{Cause: strings.TrimSpace(req.Cause), Actions: strings.TrimSpace(req.Actions),
				Outcome: strings.TrimSpace(req.Outcome), FollowUp: strings.TrimSpace(req.FollowUp), By: u.Login, At: at}
			changes = append(changes, redress.Change{Field: "status", Before: string(redress.IncidentOpen), After: string(redress.IncidentClosed)})
			detail = i.Closing.Outcome
		}
		timeline, err := json.Marshal(i.Timeline)
		if err != nil {
			return err
		}
		reports, err := json.Marshal(i.Reports)
		if err != nil {
			return err
		}
		closing := ""
		if i.Closing != nil {
			b, err := json.Marshal(i.Closing)
			if err != nil {
				return err
			}
			closing = string(b)
		}
		res, err := tx.ExecContext(ctx, `UPDATE incidents SET status = ?, version = version + 1, timeline_json = ?, reports_json = ?, closing_json = ?,
			updated_at = ? WHERE id = ? AND version = ?`, i.Status, string(timeline), string(reports), closing, timeText(now), i.ID, i.Version)
		if err != nil {
			return fmt.Errorf("update incident %s: %w", i.Ref, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return redress.Errorf(redress.ECONFLICT, "incident %s was changed by someone else; reload it and try again", i.Ref)
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectIncident, i.Ref), Actor: u.Login,
			Action: "incident." + string(req.Command), At: now, Changes: changes, Detail: detail})
	})
	if err != nil {
		return nil, wrap("incident", err)
	}
	return s.Incident(ctx, id)
}

// planOfIncident reads the plan version an incident runs under, nil when
// it runs without one.
func (db *DB) planOfIncident(ctx context.Context, q querier, i *redress.Incident) (*redress.EmergencyPlan, error) {
	if i.PlanVersion == 0 {
		return nil, nil
	}
	org, err := db.orgByCode(ctx, q, "plan_org", i.PlanOrg)
	if err != nil {
		return nil, err
	}
	plan, _, err := db.planOf(ctx, q, org.ID, i.PlanVersion)
	return plan, err
}

// IncidentsOfCase lists the incidents that link a case, as u may see them.
func (s *IncidentService) IncidentsOfCase(ctx context.Context, no string) ([]*redress.Incident, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	q := s.db.reads()
	rows, err := q.QueryContext(ctx, `SELECT incident_id FROM incident_cases WHERE case_no = ? ORDER BY incident_id`, no)
	if err != nil {
		return nil, fmt.Errorf("incidents of %s: %w", no, err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := []*redress.Incident{}
	for _, id := range ids {
		i, err := s.db.loadIncident(ctx, q, u, id, false)
		if redress.ErrorCode(err) == redress.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, nil
}

// planUser is the acting user of the plans: whoever edits them, or reads
// cases.
func planUser(ctx context.Context) (*redress.User, error) {
	u, err := redress.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	if !redress.MayEditPlan(u.Role) && !u.Role.ReadsCases() {
		return nil, redress.Errorf(redress.EFORBIDDEN, "role %s does not read emergency plans", u.Role)
	}
	return u, nil
}

// planScope reports whether u reaches the plans of the unit at path: an
// administrator every unit, anyone else their subtree and the units above.
func planScope(u *redress.User, path string) bool {
	return u.Role == redress.RoleAdmin || redress.InSubtree(path, u.OrgPath) || redress.InSubtree(u.OrgPath, path)
}

// Plan reads the plan in force for a unit (version 0) or one version of
// its own.
func (s *IncidentService) Plan(ctx context.Context, org string, version int) (*redress.EmergencyPlan, error) {
	u, err := planUser(ctx)
	if err != nil {
		return nil, err
	}
	q := s.db.reads()
	o, err := s.db.orgByCode(ctx, q, "org", org)
	if err != nil {
		return nil, redress.Errorf(redress.ENOTFOUND, "unit %s not found", org)
	}
	if !planScope(u, o.Path) {
		return nil, redress.Errorf(redress.ENOTFOUND, "unit %s not found", org)
	}
	var plan *redress.EmergencyPlan
	if version > 0 {
		plan, _, err = s.db.planOf(ctx, q, o.ID, version)
	} else {
		plan, _, err = s.db.planInForce(ctx, q, o.Path)
	}
	if err == nil && plan == nil && version > 0 {
		return nil, redress.Errorf(redress.ENOTFOUND, "unit %s has no plan version %d", org, version)
	}
	return plan, err
}

// SavePlan saves a new version of a unit's plan.
func (s *IncidentService) SavePlan(ctx context.Context, n redress.NewEmergencyPlan) (*redress.EmergencyPlan, error) {
	u, err := redress.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	if !redress.MayEditPlan(u.Role) {
		return nil, redress.Errorf(redress.EFORBIDDEN, "role %s does not edit emergency plans", u.Role)
	}
	if err := n.Validate(); redress.ErrorCode(err) != redress.EINVALID && err != nil {
		return nil, err
	} // the problems come back with those of the users, all at once (CheckPlan)
	now := s.db.now()
	var orgID int64
	var version int
	err = s.db.inTx(ctx, func(tx *Tx) error {
		o, err := s.db.orgByCode(ctx, tx, "org", n.Org)
		if err != nil {
			return err
		}
		if u.Role != redress.RoleAdmin && !redress.InSubtree(o.Path, u.OrgPath) {
			return redress.FieldError(redress.EINVALID, "unit out of scope", "org", redress.ProblemNoSuchOrg, n.Org)
		}
		users := map[string]*redress.User{}
		logins := append(append([]string{n.Leader, n.TeamLeader, n.TeamDeputy}, n.Leadership...), memberLogins(n.TeamMembers)...)
		for _, login := range logins {
			if _, seen := users[login]; seen || login == "" {
				continue
			}
			found, err := s.db.userByLogin(ctx, tx, "leader", login)
			if redress.ErrorCode(err) == redress.EINVALID {
				users[login] = nil
				continue
			}
			if err != nil {
				return err
			}
			users[login] = found
		}
		if err := redress.CheckPlan(&n, o.Path, users); err != nil {
			return err
		}
		body, err := json.Marshal(n)
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM emergency_plans WHERE org_id = ?`, o.ID).Scan(&version); err != nil {
			return fmt.Errorf("plan version: %w", err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO emergency_plans (org_id, version, plan_json, created_by, created_at) VALUES (?, ?, ?, ?, ?)`,
			o.ID, version, string(body), u.Login, timeText(now))
		if s.db.dialect.isUnique(err) {
			return redress.Errorf(redress.ECONFLICT, "the plan of %s was saved by someone else at the same time; reload it and try again", o.Code)
		}
		if err != nil {
			return fmt.Errorf("save plan: %w", err)
		}
		orgID = o.ID
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectPlan, o.Code), Actor: u.Login,
			Action: "emergency_plan.save", At: now, Changes: []redress.Change{{Field: "version", After: fmt.Sprint(version)},
				{Field: "leader", After: n.Leader}, {Field: "team_leader", After: n.TeamLeader}, {Field: "team_deputy", After: n.TeamDeputy}}})
	})
	if err != nil {
		return nil, wrap("save emergency plan", err)
	}
	plan, _, err := s.db.planOf(ctx, s.db.reads(), orgID, version)
	return plan, err
}

func memberLogins(members []redress.PlanMember) []string {
	out := make([]string, len(members))
	for k, m := range members {
		out[k] = m.Login
	}
	return out
}

// sweepIncidents escalates, once per step, each acknowledgement of an open
// incident's chain that is overdue: the step's recipients and the managers
// of the unit above the incident's are told in-app, and the event
// incident.escalate is written. It returns how many steps it escalated.
func (db *DB) sweepIncidents(ctx context.Context, now time.Time) (int, error) {
	rows, err := db.reads().QueryContext(ctx, `SELECT s.incident_id, s.step, s.to_json, o.path, o.code FROM incident_steps s
		JOIN incidents i ON i.id = s.incident_id JOIN org_units o ON o.id = i.org_id
		WHERE i.status = ? AND s.notified_at IS NOT NULL AND s.ack_at IS NULL AND s.escalated_at IS NULL AND s.due_at < ?
		ORDER BY s.incident_id, s.seq LIMIT 1000`, redress.IncidentOpen, timeText(now))
	if err != nil {
		return 0, fmt.Errorf("sweep incidents: %w", err)
	}
	type overdue struct {
		id                int64
		step              redress.ChainStep
		to, path, orgCode string
	}
	var list []overdue
	for rows.Next() {
		var o overdue
		if err := rows.Scan(&o.id, &o.step, &o.to, &o.path, &o.orgCode); err != nil {
			rows.Close()
			return 0, err
		}
		list = append(list, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	sent := 0
	for _, o := range list {
		err := db.inTx(ctx, func(tx *Tx) error {
			res, err := tx.ExecContext(ctx, `UPDATE incident_steps SET escalated_at = ? WHERE incident_id = ? AND step = ?
				AND escalated_at IS NULL AND ack_at IS NULL`, timeText(now), o.id, o.step)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil // acknowledged meanwhile, or another server escalated it
			}
			var logins []string
			if err := json.Unmarshal([]byte(o.to), &logins); err != nil {
				return err
			}
			to, err := db.recipientsByLogin(ctx, tx, logins)
			if err != nil {
				return err
			}
			superior, err := db.nearestManagers(ctx, tx, parentPath(o.path), 0)
			if err != nil {
				return err
			}
			ref := redress.IncidentRef(o.id)
			if _, err := db.insertNotifications(ctx, tx, mergeRecipients(to, superior), nil, redress.Notification{Kind: redress.NotifyIncidentEscalated,
				Subject: "突发事件 " + ref + " 逾期未确认", Body: fmt.Sprintf("%s（%s）%s 逾期未确认，已上报上级机构。", ref, o.orgCode, stepNames[o.step])}, now); err != nil {
				return err
			}
			sent++
			return db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectIncident, ref), Actor: "system",
				Action: "incident.escalate", At: now, Detail: string(o.step)})
		})
		if err != nil {
			return sent, fmt.Errorf("sweep incident %d: %w", o.id, err)
		}
	}
	return sent, nil
}
