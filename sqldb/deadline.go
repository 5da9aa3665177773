package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"redress"
)

// DeadlineService answers deadline questions and keeps the admin overrides
// of the holiday calendar and of the deadline policies.
type DeadlineService struct{ db *DB }

// NewDeadlineService returns the deadline service of db.
func NewDeadlineService(db *DB) *DeadlineService { return &DeadlineService{db: db} }

var _ redress.DeadlineService = (*DeadlineService)(nil)

// Calendars returns the holiday calendars in force: the embedded State
// Council schedules with every admin override applied.
func (db *DB) Calendars(ctx context.Context) (redress.Calendars, error) {
	return db.calendars(ctx, db.read)
}

func (db *DB) calendars(ctx context.Context, q querier) (redress.Calendars, error) {
	// The embedded schedules are parsed once per database: calendars are
	// immutable, so every caller can share them; only overrides are read.
	db.embeddedOnce.Do(func() { db.embedded, db.embeddedErr = redress.EmbeddedCalendars() })
	if db.embeddedErr != nil {
		return nil, fmt.Errorf("calendars: %w", db.embeddedErr)
	}
	cals := db.embedded
	overrides, err := db.scheduleOverrides(ctx, q, "")
	if err != nil {
		return nil, err
	}
	if len(overrides) == 0 {
		return cals, nil
	}
	var schedules []redress.YearSchedule
	for _, o := range overrides {
		schedules = append(schedules, o.YearSchedule)
	}
	if cals, err = cals.WithOverrides(schedules...); err != nil {
		return nil, fmt.Errorf("calendar overrides: %w", err)
	}
	return cals, nil
}

func (db *DB) scheduleOverrides(ctx context.Context, q querier, region string) ([]redress.ScheduleInfo, error) {
	query, args := `SELECT body, updated_by, updated_at FROM calendar_overrides`, []any{}
	if region != "" {
		query += ` WHERE region = ?`
		args = append(args, region)
	}
	rows, err := q.QueryContext(ctx, db.dialect.rebind(query+` ORDER BY region, year`), args...)
	if err != nil {
		return nil, fmt.Errorf("calendar overrides: %w", err)
	}
	defer rows.Close()
	var out []redress.ScheduleInfo
	for rows.Next() {
		var body, by, at string
		if err := rows.Scan(&body, &by, &at); err != nil {
			return nil, fmt.Errorf("calendar overrides: %w", err)
		}
		s, err := redress.ParseSchedule([]byte(body))
		if err != nil {
			return nil, fmt.Errorf("stored calendar override: %w", err)
		}
		updated, err := parseTime(at)
		if err != nil {
			return nil, err
		}
		out = append(out, redress.ScheduleInfo{YearSchedule: s, Origin: "override", UpdatedBy: by, UpdatedAt: &updated})
	}
	return out, rows.Err()
}

// policies returns the deadline policies in force: the built-in ones, each
// replaced by an admin's stored version of the same name.
func (db *DB) policies(ctx context.Context, q querier) ([]redress.Policy, error) {
	policies := redress.DefaultPolicies()
	rows, err := q.QueryContext(ctx, `SELECT name, body FROM deadline_policies ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("deadline policies: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name, body string
		if err := rows.Scan(&name, &body); err != nil {
			return nil, fmt.Errorf("deadline policies: %w", err)
		}
		var p redress.Policy
		if err := json.Unmarshal([]byte(body), &p); err != nil {
			return nil, fmt.Errorf("stored policy %s: %w", name, err)
		}
		replaced := false
		for i := range policies {
			if policies[i].Name == name {
				policies[i], replaced = p, true
			}
		}
		if !replaced {
			policies = append(policies, p)
		}
	}
	return policies, rows.Err()
}

// engine is what computing a case's deadlines needs, read once per transaction.
type engine struct {
	cals     redress.Calendars
	policies []redress.Policy
}

func (db *DB) engine(ctx context.Context, q querier) (*engine, error) {
	cals, err := db.calendars(ctx, q)
	if err != nil {
		return nil, err
	}
	policies, err := db.policies(ctx, q)
	if err != nil {
		return nil, err
	}
	return &engine{cals: cals, policies: policies}, nil
}

// due computes a clock of a policy started on start, shifted by paused days.
// When the calendar lacks the year of the last day, a clock of calendar
// days falls back to the unmoved date with a warning (a complaint is never
// refused for want of next year's holiday notice); a working-day clock has
// no such fallback and fails.
func (e *engine) due(policyName, clockName string, start redress.Date, paused int) (redress.Due, error) {
	policy, err := redress.FindPolicy(e.policies, policyName)
	if err != nil {
		return redress.Due{}, err
	}
	clock, err := policy.Clock(clockName)
	if err != nil {
		return redress.Due{}, err
	}
	due, err := clock.Due(e.cals, start.AddDays(paused))
	var missing *redress.MissingYearError
	if errors.As(err, &missing) && clock.Unit == redress.UnitCalendar {
		last := start.AddDays(paused + clock.Days)
		return redress.Due{Date: last, Unmoved: last, Warning: fmt.Sprintf(
			"no %s holiday schedule for %d: %s was not checked against holidays; an admin must add that year's calendar",
			missing.Region, missing.Year, last)}, nil
	}
	return due, err
}

// setDeadlines recomputes a case's reply and decision due dates from its
// clock start, decision clock and paused days; a regulator's due date wins
// for the decision.
func (e *engine) setDeadlines(c *caseRow) error {
	start, err := redress.ParseDate(c.ClockStart)
	if err != nil {
		return fmt.Errorf("case %s clock start: %w", c.No, err)
	}
	clocks := redress.ClocksFor(c.Kind)
	reply, err := e.due(c.DeadlinePolicy, clocks.Reply, start, 0)
	if err != nil {
		return err
	}
	decision, err := e.due(c.DeadlinePolicy, c.DecisionClock, start, c.PausedDays)
	if err != nil {
		return err
	}
	c.ReplyDue = reply.Date.String()
	c.DecisionDue, c.DueWarning = decision.Date.String(), strings.TrimSpace(reply.Warning+" "+decision.Warning)
	if c.RegulatorDue != "" {
		c.DecisionDue = c.RegulatorDue
	}
	return nil
}

// Calendars returns the holiday calendars in force, for anyone signed in.
func (s *DeadlineService) Calendars(ctx context.Context) (redress.Calendars, error) {
	if _, err := redress.RequireUser(ctx); err != nil {
		return nil, err
	}
	return s.db.Calendars(ctx)
}

// Due computes one deadline for anyone signed in.
func (s *DeadlineService) Due(ctx context.Context, q redress.DueQuery) (*redress.Due, error) {
	if _, err := redress.RequireUser(ctx); err != nil {
		return nil, err
	}
	return s.db.DueAsOperator(ctx, q)
}

// DueAsOperator computes one deadline for the CLI.
func (db *DB) DueAsOperator(ctx context.Context, q redress.DueQuery) (*redress.Due, error) {
	var p redress.Problems
	if q.From.IsZero() {
		p.Add("from", "required: a date YYYY-MM-DD")
	}
	if q.Policy == "" && (q.Days < 0 || q.Days > 3660) {
		p.Add("days", "must be 0 to 3660")
	}
	if q.Policy == "" && !q.Unit.Valid() {
		p.Add("unit", "must be calendar or working")
	}
	if q.Policy != "" && q.Clock == "" {
		p.Add("clock", "required with policy")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	e, err := db.engine(ctx, db.read)
	if err != nil {
		return nil, err
	}
	clock := redress.Clock{Name: "query", Days: q.Days, Unit: q.Unit, Region: q.Region}
	if clock.Region == "" {
		clock.Region = redress.RegionCN
	}
	if q.Policy != "" {
		policy, err := redress.FindPolicy(e.policies, q.Policy)
		if err != nil {
			return nil, err
		}
		if clock, err = policy.Clock(q.Clock); err != nil {
			return nil, err
		}
	}
	due, err := clock.Due(e.cals, q.From)
	var missing *redress.MissingYearError
	if errors.As(err, &missing) {
		db.log.ErrorContext(ctx, "holiday schedule missing: a deadline was asked for a year without calendar data",
			"region", missing.Region, "year", missing.Year)
	}
	if err != nil {
		return nil, err
	}
	return &due, nil
}

// Schedules lists the calendar years of a region, embedded and overridden.
func (s *DeadlineService) Schedules(ctx context.Context, region string) ([]redress.ScheduleInfo, error) {
	if _, err := redress.RequireUser(ctx); err != nil {
		return nil, err
	}
	if region == "" {
		region = redress.RegionCN
	}
	embedded, err := redress.EmbeddedSchedules()
	if err != nil {
		return nil, err
	}
	overrides, err := s.db.scheduleOverrides(ctx, s.db.read, region)
	if err != nil {
		return nil, err
	}
	overridden := map[int]bool{}
	for _, o := range overrides {
		overridden[o.Year] = true
	}
	out := []redress.ScheduleInfo{}
	for _, e := range embedded {
		if e.Region == region && !overridden[e.Year] {
			out = append(out, redress.ScheduleInfo{YearSchedule: e, Origin: "embedded"})
		}
	}
	out = append(out, overrides...)
	sortSchedules(out)
	return out, nil
}

func sortSchedules(s []redress.ScheduleInfo) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j].Year < s[j-1].Year; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// SaveSchedule stores an admin's schedule for one year of a region.
func (s *DeadlineService) SaveSchedule(ctx context.Context, sched redress.YearSchedule) (*redress.ScheduleInfo, error) {
	u := redress.UserFrom(ctx)
	if err := redress.Require(u, redress.PermCalendarManage); err != nil {
		return nil, err
	}
	if err := sched.Validate(); err != nil {
		return nil, err
	}
	if _, err := redress.NewCalendar(sched.Region, sched); err != nil {
		return nil, err
	}
	body, err := json.Marshal(sched)
	if err != nil {
		return nil, fmt.Errorf("save schedule: %w", err)
	}
	now := s.db.now()
	err = s.db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.db.dialect.rebind(`INSERT INTO calendar_overrides (region, year, body, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (region, year) DO UPDATE SET body = excluded.body,
			updated_by = excluded.updated_by, updated_at = excluded.updated_at`), sched.Region, sched.Year, string(body), u.Login, timeText(now))
		if err != nil {
			return fmt.Errorf("save schedule: %w", err)
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectCalendar, fmt.Sprintf("%s/%d", sched.Region, sched.Year)), Actor: u.Login, Action: "calendar.save", At: now,
			Changes: []redress.Change{{Field: "schedule", After: string(body)}}, Detail: fmt.Sprintf("%s %d", sched.Region, sched.Year)})
	})
	if err != nil {
		return nil, wrap("save schedule", err)
	}
	at := now.In(redress.Beijing)
	return &redress.ScheduleInfo{YearSchedule: sched, Origin: "override", UpdatedBy: u.Login, UpdatedAt: &at}, nil
}

// DeleteSchedule removes an override.
func (s *DeadlineService) DeleteSchedule(ctx context.Context, region string, year int) error {
	u := redress.UserFrom(ctx)
	if err := redress.Require(u, redress.PermCalendarManage); err != nil {
		return err
	}
	return wrap("delete schedule", s.db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.db.dialect.rebind(`DELETE FROM calendar_overrides WHERE region = ? AND year = ?`), region, year)
		if err != nil {
			return fmt.Errorf("delete schedule: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return redress.Errorf(redress.ENOTFOUND, "no override for %s %d", region, year)
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectCalendar, fmt.Sprintf("%s/%d", region, year)), Actor: u.Login, Action: "calendar.delete", At: s.db.now(),
			Detail: fmt.Sprintf("%s %d", region, year)})
	}))
}

// Policies lists the deadline policies in force.
func (s *DeadlineService) Policies(ctx context.Context) ([]redress.Policy, error) {
	if _, err := redress.RequireUser(ctx); err != nil {
		return nil, err
	}
	return s.db.policies(ctx, s.db.read)
}

// SavePolicy stores an admin's version of a policy. The clocks the cases run
// (ClocksFor) must stay in a built-in policy's replacement.
func (s *DeadlineService) SavePolicy(ctx context.Context, p redress.Policy) (*redress.Policy, error) {
	u := redress.UserFrom(ctx)
	if err := redress.Require(u, redress.PermCalendarManage); err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	for _, kind := range redress.Kinds {
		clocks := redress.ClocksFor(kind)
		if clocks.Policy != p.Name {
			continue
		}
		for _, name := range append([]string{clocks.Reply}, clocks.Ladder...) {
			if _, err := p.Clock(name); err != nil {
				return nil, &redress.Error{Code: redress.EINVALID, Message: "invalid policy",
					Fields: map[string]string{"clocks": "policy " + p.Name + " must keep clock " + name + ", which cases run"}}
			}
		}
	}
	body, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("save policy: %w", err)
	}
	now := s.db.now()
	err = s.db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.db.dialect.rebind(`INSERT INTO deadline_policies (name, body, updated_by, updated_at)
			VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET body = excluded.body,
			updated_by = excluded.updated_by, updated_at = excluded.updated_at`), p.Name, string(body), u.Login, timeText(now))
		if err != nil {
			return fmt.Errorf("save policy: %w", err)
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectPolicy, p.Name), Actor: u.Login, Action: "policy.save", At: now,
			Changes: []redress.Change{{Field: "policy", After: string(body)}}, Detail: p.Name})
	})
	if err != nil {
		return nil, wrap("save policy", err)
	}
	return &p, nil
}

func (db *DB) insertDeadlineChange(ctx context.Context, tx *sql.Tx, caseID int64, d redress.DeadlineChange) error {
	var method, proof string
	var noticeAt any
	if d.Notice != nil {
		method, proof, noticeAt = string(d.Notice.Method), d.Notice.Proof, timeText(d.Notice.At)
	}
	_, err := tx.ExecContext(ctx, db.dialect.rebind(`INSERT INTO case_deadline_changes (case_id, at, actor, action, clock,
		before_due, after_due, reason, approval, notice_method, notice_at, notice_proof) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		caseID, timeText(d.At), d.Actor, d.Action, d.Clock, d.Before, d.After, d.Reason, d.Approval, method, noticeAt, proof)
	if err != nil {
		return fmt.Errorf("record deadline change: %w", err)
	}
	return nil
}

func (db *DB) loadDeadlineHistory(ctx context.Context, q querier, c *caseRow) error {
	rows, err := q.QueryContext(ctx, db.dialect.rebind(`SELECT at, actor, action, clock, before_due, after_due, reason, approval,
		notice_method, notice_at, notice_proof FROM case_deadline_changes WHERE case_id = ? ORDER BY id`), c.ID)
	if err != nil {
		return fmt.Errorf("deadline history of %s: %w", c.No, err)
	}
	defer rows.Close()
	for rows.Next() {
		var d redress.DeadlineChange
		var at, method, proof string
		var noticeAt sql.NullString
		if err := rows.Scan(&at, &d.Actor, &d.Action, &d.Clock, &d.Before, &d.After, &d.Reason, &d.Approval,
			&method, &noticeAt, &proof); err != nil {
			return fmt.Errorf("deadline history of %s: %w", c.No, err)
		}
		if d.At, err = parseTime(at); err != nil {
			return err
		}
		if method != "" {
			when, err := parseNullTime(noticeAt)
			if err != nil || when == nil {
				return fmt.Errorf("deadline history of %s: notice time: %v", c.No, err)
			}
			d.Notice = &redress.NoticeRecord{Method: redress.NoticeMethod(method), At: *when, Proof: proof}
		}
		c.DeadlineHistory = append(c.DeadlineHistory, d)
	}
	return rows.Err()
}
