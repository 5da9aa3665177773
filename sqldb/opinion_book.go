package sqldb

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"redress"
)

// OpinionBookService keeps the opinion book's daily checks
// (redress.OpinionBookService): one row per outlet and day.
type OpinionBookService struct{ db *DB }

// NewOpinionBookService returns the opinion book service of db.
func NewOpinionBookService(db *DB) *OpinionBookService { return &OpinionBookService{db: db} }

var _ redress.OpinionBookService = (*OpinionBookService)(nil)

// RecordCheck records a day's check of an outlet.
func (s *OpinionBookService) RecordCheck(ctx context.Context, n redress.NewOpinionBookCheck) (*redress.OpinionBookCheck, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	if !redress.MayCheckOpinionBook(u.Role) {
		return nil, redress.Errorf(redress.EFORBIDDEN, "role %s does not record the opinion book's check: the complaint manager does", u.Role)
	}
	now := s.db.now()
	if err := n.Validate(s.db.today()); err != nil {
		return nil, err
	}
	check := &redress.OpinionBookCheck{Org: n.Org, CheckedBy: u.Login, CheckedAt: now.In(redress.Beijing), Entries: n.Entries, Note: n.Note}
	check.Day, _ = redress.ParseDate(n.Day) // validated
	if check.Entries == nil {
		check.Entries = []redress.OpinionEntry{}
	}
	err = s.db.inTx(ctx, func(tx *Tx) error {
		var p redress.Problems
		org, err := s.db.orgByCode(ctx, tx, "org", n.Org)
		if err != nil {
			return err
		}
		if !redress.InSubtree(org.Path, u.OrgPath) || org.Kind != redress.OrgOutlet {
			p.AddKey("org", redress.ProblemNoSuchOrg, n.Org)
		}
		for i, e := range check.Entries {
			if e.Outcome != redress.OpinionCase {
				continue
			}
			if _, err := s.db.loadCase(ctx, tx, u, e.CaseNo); redress.ErrorCode(err) == redress.ENOTFOUND {
				p.AddKey(fmt.Sprintf("entries.%d.case_no", i), redress.ProblemNoSuchCase, e.CaseNo)
			} else if err != nil {
				return err
			}
		}
		if err := p.Err(); err != nil {
			return err
		}
		check.OrgName = org.Name
		entries, err := json.Marshal(check.Entries)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO opinion_book_checks (org_id, day, checked_by, checked_at, entries_json, note)
			VALUES (?, ?, ?, ?, ?, ?)`, org.ID, check.Day.String(), u.Login, timeText(now), string(entries), check.Note)
		if s.db.dialect.isUnique(err) {
			return redress.Errorf(redress.ECONFLICT, "the opinion book of %s for %s is already checked", org.Code, check.Day)
		}
		if err != nil {
			return fmt.Errorf("record the opinion book's check: %w", err)
		}
		cases, suggestions := 0, 0
		for _, e := range check.Entries {
			if e.Outcome == redress.OpinionCase {
				cases++
			} else {
				suggestions++
			}
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectOrg, org.Code), Actor: u.Login,
			Action: "org.opinion_book_check", At: now,
			Detail: fmt.Sprintf("day %s: %d entries, %d complaints registered, %d suggestions", check.Day, len(check.Entries), cases, suggestions)})
	})
	if err != nil {
		return nil, wrap("opinion book check", err)
	}
	return check, nil
}

// workdays returns the working days of [from, to] on the CN calendar; a
// year without a holiday schedule counts Monday to Friday.
func (db *DB) workdays(ctx context.Context, from, to redress.Date) ([]redress.Date, error) {
	cals, err := db.Calendars(ctx)
	if err != nil {
		return nil, err
	}
	cal := cals["CN"]
	var out []redress.Date
	for d := from; !d.After(to); d = d.AddDays(1) {
		work := d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
		if cal != nil {
			if w, err := cal.IsWorkday(d); err == nil {
				work = w
			}
		}
		if work {
			out = append(out, d)
		}
	}
	return out, nil
}

// Outlets lists the outlets in scope with their working days, checked or missed.
func (s *OpinionBookService) Outlets(ctx context.Context, org string, from, to redress.Date) ([]redress.OpinionBookOutlet, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	if to.Before(from) || to.Sub(from) > 92 {
		var p redress.Problems
		p.AddKey("to", redress.ProblemRange, from.String(), from.AddDays(92).String())
		return nil, p.Err()
	}
	path := u.OrgPath
	if org != "" {
		o, err := s.db.orgByCode(ctx, s.db.reads(), "org", org)
		if err != nil {
			return nil, err
		}
		if !redress.InSubtree(o.Path, u.OrgPath) {
			return []redress.OpinionBookOutlet{}, nil
		}
		path = o.Path
	}
	today := s.db.today()
	// The missed-in-a-row count looks back from yesterday, beyond the period.
	lookback := from
	if start := today.AddDays(-31); start.Before(lookback) {
		lookback = start
	}
	days, err := s.db.workdays(ctx, lookback, to)
	if err != nil {
		return nil, err
	}
	checks, err := s.db.opinionChecks(ctx, path, lookback, to)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.reads().QueryContext(ctx, `SELECT id, code, name, created_at FROM org_units WHERE kind = ? AND path LIKE ? ORDER BY path`,
		redress.OrgOutlet, path+"%")
	if err != nil {
		return nil, fmt.Errorf("opinion book outlets: %w", err)
	}
	defer rows.Close()
	out := []redress.OpinionBookOutlet{}
	for rows.Next() {
		var id int64
		var created string
		var o redress.OpinionBookOutlet
		if err := rows.Scan(&id, &o.Org, &o.OrgName, &created); err != nil {
			return nil, err
		}
		opened, err := createdDay(created)
		if err != nil {
			return nil, err
		}
		checked := map[redress.Date]bool{}
		for day := range checks[id] {
			checked[day] = true
		}
		o.MissedInARow = redress.MissedInARow(days, checked, opened, today)
		o.Days = []redress.OpinionBookDay{}
		for _, d := range days {
			if d.Before(from) || d.After(to) {
				continue
			}
			o.Days = append(o.Days, redress.OpinionBookDay{Day: d, Check: checks[id][d]})
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// opinionChecks reads the checks of the outlets under path in [from, to],
// by unit id and day.
func (db *DB) opinionChecks(ctx context.Context, path string, from, to redress.Date) (map[int64]map[redress.Date]*redress.OpinionBookCheck, error) {
	rows, err := db.reads().QueryContext(ctx, `SELECT c.org_id, o.code, o.name, c.day, c.checked_by, c.checked_at, c.entries_json, c.note
		FROM opinion_book_checks c JOIN org_units o ON o.id = c.org_id
		WHERE o.path LIKE ? AND c.day >= ? AND c.day <= ?`, path+"%", from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("opinion book checks: %w", err)
	}
	defer rows.Close()
	out := map[int64]map[redress.Date]*redress.OpinionBookCheck{}
	for rows.Next() {
		var id int64
		var day, at, entries string
		c := &redress.OpinionBookCheck{}
		if err := rows.Scan(&id, &c.Org, &c.OrgName, &day, &c.CheckedBy, &at, &entries, &c.Note); err != nil {
			return nil, err
		}
		if c.Day, err = redress.ParseDate(day); err != nil {
			return nil, err
		}
		t, err := parseTime(at)
		if err != nil {
			return nil, err
		}
		c.CheckedAt = t.In(redress.Beijing)
		if err := json.Unmarshal([]byte(entries), &c.Entries); err != nil {
			return nil, fmt.Errorf("opinion book check %s %s: %w", c.Org, day, err)
		}
		if out[id] == nil {
			out[id] = map[redress.Date]*redress.OpinionBookCheck{}
		}
		out[id][c.Day] = c
	}
	return out, rows.Err()
}

// sweepOpinionBooks tells the managers above each outlet that has missed
// redress.OpinionBookEscalateDays working days in a row up to yesterday,
// once per streak (keyed by its first missed day), in-app. It returns how
// many outlets it noticed.
func (db *DB) sweepOpinionBooks(ctx context.Context, now time.Time) (int, error) {
	today := redress.DateOf(now.In(redress.Beijing))
	from := today.AddDays(-31)
	days, err := db.workdays(ctx, from, today.AddDays(-1))
	if err != nil {
		return 0, fmt.Errorf("sweep opinion books: %w", err)
	}
	checks, err := db.opinionChecks(ctx, "/", from, today)
	if err != nil {
		return 0, fmt.Errorf("sweep opinion books: %w", err)
	}
	rows, err := db.reads().QueryContext(ctx, `SELECT id, code, path, created_at FROM org_units WHERE kind = ? ORDER BY id`, redress.OrgOutlet)
	if err != nil {
		return 0, fmt.Errorf("sweep opinion books: %w", err)
	}
	type outlet struct {
		id         int64
		code, path string
		opened     redress.Date
	}
	var outlets []outlet
	for rows.Next() {
		var o outlet
		var created string
		if err := rows.Scan(&o.id, &o.code, &o.path, &created); err != nil {
			rows.Close()
			return 0, err
		}
		if o.opened, err = createdDay(created); err != nil {
			rows.Close()
			return 0, err
		}
		outlets = append(outlets, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	sent := 0
	for _, o := range outlets {
		checked := map[redress.Date]bool{}
		for d := range checks[o.id] {
			checked[d] = true
		}
		missed := redress.MissedInARow(days, checked, o.opened, today)
		if missed < redress.OpinionBookEscalateDays || missed > len(days) {
			continue
		}
		since := days[len(days)-missed]
		err := db.inTx(ctx, func(tx *Tx) error {
			res, err := tx.ExecContext(ctx, `INSERT INTO opinion_book_alerts (org_id, since, sent_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
				o.id, since.String(), timeText(now))
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil
			}
			to, err := db.nearestManagers(ctx, tx, parentPath(o.path), 0)
			if err != nil {
				return err
			}
			local, err := db.recipientsWhere(ctx, tx, `u.role = ? AND u.org_id = ?`, redress.RoleManager, o.id)
			if err != nil {
				return err
			}
			if _, err := db.insertNotifications(ctx, tx, mergeRecipients(local, to), nil, redress.Notification{Kind: redress.NotifyOpinionBookMissed,
				Subject: "客户意见簿未按日查阅", Body: fmt.Sprintf("%s 自 %s 起已连续 %d 个工作日未登记查阅客户意见簿。", o.code, since, missed)}, now); err != nil {
				return err
			}
			sent++
			return db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectOrg, o.code), Actor: "system",
				Action: "org.opinion_book_missed", At: now, Detail: fmt.Sprintf("%d working days since %s", missed, since)})
		})
		if err != nil {
			return sent, fmt.Errorf("sweep opinion book of %s: %w", o.code, err)
		}
	}
	return sent, nil
}

// createdDay is the Beijing date of a stored creation time.
func createdDay(created string) (redress.Date, error) {
	t, err := parseTime(created)
	if err != nil {
		return redress.Date{}, err
	}
	return redress.DateOf(t.In(redress.Beijing)), nil
}
