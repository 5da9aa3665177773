package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

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
	d, err := db.deadlines(ctx)
	if err != nil {
		return nil, err
	}
	return d.Calendars, nil
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
	rows, err := q.QueryContext(ctx, query+` ORDER BY region, year`, args...)
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

// deadlineCacheAge is how long a server keeps the deadline engine it read
// before reading the calendar overrides and policies again. A change made
// through this DB takes effect at once (invalidateDeadlines); one made by
// another server sharing the database, within this time.
const deadlineCacheAge = 10 * time.Second

// deadlineCache holds the deadline engine in force, so that intake and
// actions do not read the calendar overrides and policies every time.
type deadlineCache struct {
	mu       sync.Mutex
	engine   *redress.Deadlines
	loadedAt time.Time // by the real clock: the age of the cache, not a business time
}

// deadlines returns the deadline engine in force: the calendars with their
// overrides and the policies, from the cache while it is fresh.
func (db *DB) deadlines(ctx context.Context) (*redress.Deadlines, error) {
	c := &db.deadlineCache
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.engine != nil && time.Since(c.loadedAt) < deadlineCacheAge {
		return c.engine, nil
	}
	cals, err := db.calendars(ctx, db.reads())
	if err != nil {
		return nil, err
	}
	policies, err := db.policies(ctx, db.reads())
	if err != nil {
		return nil, err
	}
	c.engine, c.loadedAt = &redress.Deadlines{Calendars: cals, Policies: policies}, time.Now()
	return c.engine, nil
}

// invalidateDeadlines drops the cached deadline engine: after an admin's
// change to a calendar or a policy has committed.
func (db *DB) invalidateDeadlines() {
	db.deadlineCache.mu.Lock()
	db.deadlineCache.engine = nil
	db.deadlineCache.mu.Unlock()
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
	e, err := db.deadlines(ctx)
	if err != nil {
		return nil, err
	}
	clock := redress.Clock{Name: "query", Days: q.Days, Unit: q.Unit, Region: q.Region}
	if clock.Region == "" {
		clock.Region = redress.RegionCN
	}
	if q.Policy != "" {
		policy, err := redress.FindPolicy(e.Policies, q.Policy)
		if err != nil {
			return nil, err
		}
		if clock, err = policy.Clock(q.Clock); err != nil {
			return nil, err
		}
	}
	due, err := clock.Due(e.Calendars, q.From)
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
	overrides, err := s.db.scheduleOverrides(ctx, s.db.reads(), region)
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
	defer s.db.invalidateDeadlines() // after the change has committed
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
	err = s.db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO calendar_overrides (region, year, body, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (region, year) DO UPDATE SET body = excluded.body,
			updated_by = excluded.updated_by, updated_at = excluded.updated_at`, sched.Region, sched.Year, string(body), u.Login, timeText(now))
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
	defer s.db.invalidateDeadlines() // after the change has committed
	u := redress.UserFrom(ctx)
	if err := redress.Require(u, redress.PermCalendarManage); err != nil {
		return err
	}
	return wrap("delete schedule", s.db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM calendar_overrides WHERE region = ? AND year = ?`, region, year)
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
	return s.db.policies(ctx, s.db.reads())
}

// SavePolicy stores an admin's version of a policy. The clocks the cases run
// (ClocksFor) must stay in a built-in policy's replacement.
func (s *DeadlineService) SavePolicy(ctx context.Context, p redress.Policy) (*redress.Policy, error) {
	defer s.db.invalidateDeadlines() // after the change has committed
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
	err = s.db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO deadline_policies (name, body, updated_by, updated_at)
			VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET body = excluded.body,
			updated_by = excluded.updated_by, updated_at = excluded.updated_at`, p.Name, string(body), u.Login, timeText(now))
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

// deadlineChangeColumns are the columns of a deadline history entry as
// insertDeadlineChange writes it, and deadlineChangeValues its placeholders.
const (
	deadlineChangeColumns = `case_id, at, actor, action, clock, before_due, after_due, reason, approval, notice_method, notice_at,
		notice_proof`
	deadlineChangeValues = `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
)

func (db *DB) insertDeadlineChange(ctx context.Context, tx *Tx, caseID int64, d redress.DeadlineChange) error {
	var method, proof string
	var noticeAt any
	if d.Notice != nil {
		method, proof, noticeAt = string(d.Notice.Method), d.Notice.Proof, timeText(d.Notice.At)
	}
	row := []any{caseID, timeText(d.At), d.Actor, d.Action, d.Clock, d.Before, d.After, d.Reason, d.Approval, method, noticeAt, proof}
	if tx.batch != nil {
		tx.batch.deadlines = append(tx.batch.deadlines, row) // inserted with the batch's others, at its end
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO case_deadline_changes (`+deadlineChangeColumns+`) VALUES `+deadlineChangeValues, row...)
	if err != nil {
		return fmt.Errorf("record deadline change: %w", err)
	}
	return nil
}

func (db *DB) loadDeadlineHistory(ctx context.Context, q querier, c *caseRow) error {
	rows, err := q.QueryContext(ctx, `SELECT at, actor, action, clock, before_due, after_due, reason, approval,
		notice_method, notice_at, notice_proof FROM case_deadline_changes WHERE case_id = ? ORDER BY id`, c.ID)
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
