package sqldb

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"redress"
)

// SweepOptions tune a deadline sweep. The zero value sweeps with the
// defaults.
type SweepOptions struct {
	// DueSoonDays is the due-soon window: a clock is due soon when its due
	// date is on or before today plus this many working days (the same
	// setting the pages use). 0 means redress.DefaultDueSoonDays.
	DueSoonDays int
	// Calendars returns the working-day calendars, the embedded ones with an
	// administrator's overrides; nil means redress.EmbeddedCalendars.
	Calendars func(ctx context.Context) (redress.Calendars, error)
	// Region is the calendar region of the cases; "" means CN.
	Region string
	// Channels are the external channels with a configured sender (e-mail,
	// SMS). In-app notifications are always written.
	Channels []redress.NotifyChannel
	// BaseURL is the address of the staff pages (https://redress.bank.example):
	// an e-mail or SMS notice links to the case's page under it. "" gives the
	// page's path alone.
	BaseURL string
	// Limit bounds the notices of one clock that one sweep handles; the next
	// sweep goes on. 0 means 1000.
	Limit int
	// OpinionBooks has the sweep tell the managers above each outlet that
	// has missed its opinion book's daily check for
	// redress.OpinionBookEscalateDays working days (the server's sweep does).
	OpinionBooks bool
}

func (o SweepOptions) withDefaults() SweepOptions {
	if o.DueSoonDays == 0 {
		o.DueSoonDays = redress.DefaultDueSoonDays
	}
	if o.Calendars == nil {
		o.Calendars = func(context.Context) (redress.Calendars, error) { return redress.EmbeddedCalendars() }
	}
	if o.Region == "" {
		o.Region = redress.RegionCN
	}
	if o.Limit == 0 {
		o.Limit = 1000
	}
	return o
}

// errNothingToDo rolls back a notice that another sweep sent already, or
// whose case changed since the sweep looked at it.
var errNothingToDo = errors.New("nothing to do")

// Sweep looks at the open cases (registered, accepted, investigating) as of
// now and, once per case, clock and due date, tells the people responsible
// that a clock is due soon or overdue:
//
//   - due soon: the reply_due, decision_due or agreed_reply_due date of a
//     running clock (redress.Case.ClockRunning: a satisfied reply clock and a
//     paused decision clock do not run) is on or before today (in Beijing)
//     plus opts.DueSoonDays working days of the CN calendar;
//   - overdue: the due date has passed. For the reply and decision clocks
//     (redress.DueClock.Escalates) the case is also escalated one level
//     (level 4 moves it to head office; a case already there is only
//     notified), its version bumped, and an audit event by "system" written.
//
// Each notice is one transaction: its row in deadline_alerts (unique per
// case, clock, notice and due date, inserted with ON CONFLICT DO NOTHING),
// the escalation and its event, and the outbox rows, so that several
// servers sweeping one database send each notice once. A new due date (an
// extension) arms the notices again. The notice goes to the handler, if any,
// and to the managers of the nearest unit, walking up from the handler's
// unit (or the case's), that has any; failing that, to head-office service.
//
// A year without a holiday schedule is never guessed: the due-soon window
// is then counted in calendar days, and the administrators get an in-app
// alert, once per region and year, that the schedule must be added.
//
// Open corrective actions past their due date are noticed too, once per
// action and due date (sweepCorrective), the overdue acknowledgements of
// an emergency incident's report chain once per step (sweepIncidents), and outlets that have missed their
// opinion book's check for redress.OpinionBookEscalateDays working days in a
// row, once per streak (sweepOpinionBooks), when opts.OpinionBooks.
//
// A failure on one case does not stop the others: the report counts what
// was done and the error joins every failure.
func (db *DB) Sweep(ctx context.Context, now time.Time, opts SweepOptions) (*redress.SweepReport, error) {
	opts = opts.withDefaults()
	now = now.UTC().Truncate(time.Microsecond)
	today := redress.DateOf(now)
	report := &redress.SweepReport{Today: today}
	cals, err := opts.Calendars(ctx)
	if err != nil {
		return nil, fmt.Errorf("sweep: calendars: %w", err)
	}
	cal, err := cals.Calendar(opts.Region)
	if err != nil {
		cal = nil // no calendar at all for the region: every year is missing
	}
	w := sweepWindow{today: today, cal: cal}
	if w.end, err = w.windowEnd(opts.DueSoonDays); err != nil {
		return nil, fmt.Errorf("sweep: %w", err)
	}
	report.WindowEnd, report.CalendarDays = w.end, w.calendarDays
	var errs []error
	if err := db.alertMissingCalendars(ctx, now, opts.Region, w, report); err != nil {
		errs = append(errs, err)
	}
	for _, clock := range redress.DueClocks {
		candidates, err := db.sweepCandidates(ctx, clock, w, opts.Limit)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, cand := range candidates {
			if err := db.sweepNotice(ctx, now, w, clock, cand, opts, report); err != nil {
				errs = append(errs, fmt.Errorf("case %s %s: %w", cand.no, clock, err))
			}
		}
	}
	n, err := db.sweepCorrective(ctx, now)
	report.CorrectiveOverdue = n
	if err != nil {
		errs = append(errs, err)
	}
	n, err = db.sweepIncidents(ctx, now) // incident.go
	report.IncidentsEscalated = n
	if err != nil {
		errs = append(errs, err)
	}
	if opts.OpinionBooks {
		n, err = db.sweepOpinionBooks(ctx, now)
		report.OpinionBooksMissed = n
		if err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return report, fmt.Errorf("sweep: %w", err)
	}
	return report, nil
}

// sweepWindow is the day a sweep runs and the last due date it counts as
// due soon.
type sweepWindow struct {
	today, end   redress.Date
	cal          *redress.Calendar // nil when the region has no calendar at all
	calendarDays bool              // end was counted in calendar days
}

// windowEnd returns the last due date the sweep counts as due soon (redress.DueSoonEnd).
func (w *sweepWindow) windowEnd(days int) (redress.Date, error) {
	end, calendarDays, err := redress.DueSoonEnd(w.cal, w.today, days)
	w.calendarDays = calendarDays
	return end, err
}

// remaining returns the days left before due (redress.DaysLeft).
func (w sweepWindow) remaining(due redress.Date) (int, bool) {
	return redress.DaysLeft(w.cal, w.today, due)
}

// missingYears returns the years from today's to last that the calendar has
// no schedule for.
func (w sweepWindow) missingYears(last int) []int {
	var missing []int
	for y := w.today.Year(); y <= last; y++ {
		if w.cal == nil {
			missing = append(missing, y)
			continue
		}
		if _, err := w.cal.Schedule(y); err != nil {
			missing = append(missing, y)
		}
	}
	return missing
}

// maxYearsAhead bounds how far ahead the sweep checks the calendar: a due
// date years away is a data error, not a reason to alert about 2099.
const maxYearsAhead = 2

// alertMissingCalendars finds the years that the window or an open case's
// due date falls in and that have no holiday schedule, and alerts the
// administrators about each once.
func (db *DB) alertMissingCalendars(ctx context.Context, now time.Time, region string, w sweepWindow, report *redress.SweepReport) error {
	var maxReply, maxDecision string
	open, openArgs := statusIn("status", redress.OpenStatuses)
	err := db.reads().QueryRowContext(ctx, `SELECT COALESCE(MAX(reply_due), ''), COALESCE(MAX(decision_due), '')
		FROM cases WHERE `+open, openArgs...).Scan(&maxReply, &maxDecision)
	if err != nil {
		return fmt.Errorf("latest due date: %w", err)
	}
	last := w.end.Year()
	for _, s := range []string{maxReply, maxDecision} {
		if d, err := redress.ParseDate(s); err == nil && d.Year() > last {
			last = d.Year()
		}
	}
	last = min(last, w.today.Year()+maxYearsAhead)
	var errs []error
	for _, year := range w.missingYears(last) {
		name := region + " " + strconv.Itoa(year)
		report.MissingYears = append(report.MissingYears, name)
		alerted, written, err := db.alertMissingCalendar(ctx, now, region, year)
		if err != nil {
			errs = append(errs, fmt.Errorf("alert missing %s calendar: %w", name, err))
			continue
		}
		if alerted {
			report.NewAlerts = append(report.NewAlerts, name)
			report.Notifications += written
		}
	}
	return errors.Join(errs...)
}

// alertMissingCalendar records the alert about one missing year and tells
// every active administrator in-app, unless it was recorded before.
func (db *DB) alertMissingCalendar(ctx context.Context, now time.Time, region string, year int) (bool, int, error) {
	written := 0
	err := db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO calendar_alerts (region, year, created_at) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING`, region, year, timeText(now))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(errNothingToDo, err)
		}
		admins, err := db.recipientsWhere(ctx, tx, `u.role = ?`, redress.RoleAdmin)
		if err != nil {
			return err
		}
		subject, body := redress.CalendarMissingText(region, year)
		written, err = db.insertNotifications(ctx, tx, admins, nil,
			redress.Notification{Kind: redress.NotifyCalendarMissing, Subject: subject, Body: body}, now)
		return err
	})
	if errors.Is(err, errNothingToDo) {
		return false, 0, nil
	}
	return err == nil, written, err
}

// sweepCandidate is one open case whose clock is due soon or overdue and
// not yet notified for its current due date.
type sweepCandidate struct {
	id  int64
	no  string
	due string
}

// sweepCandidates lists the open cases whose clock is due on or before the
// window's end and whose notice for that due date has not been sent.
func (db *DB) sweepCandidates(ctx context.Context, clock redress.DueClock, w sweepWindow, limit int) ([]sweepCandidate, error) {
	// Which clocks run is redress.Case.ClockRunning, here in SQL.
	var col, paused string
	switch clock {
	case redress.DueReply:
		col, paused = "c.reply_due", " AND c.reply_satisfied_at IS NULL" // a satisfied clock is never overdue
	case redress.DueDecision:
		col, paused = "c.decision_due", " AND c.paused_since IS NULL" // a paused clock does not run
	case redress.DueAgreedReply:
		col = "c.agreed_reply_due"
	case redress.DueReview:
		col = "r.due"
	default:
		return nil, fmt.Errorf("sweep: unknown clock %q", clock)
	}
	from, running, args := "cases c", "", []any{}
	if clock == redress.DueReview {
		// A review runs on a decided case until its opinion is given.
		from, running = "cases c JOIN case_reviews r ON r.case_id = c.id", "r.decided_at IS NULL"
	} else {
		running, args = statusIn("c.status", redress.OpenStatuses)
		running += " AND c.merged_into_id IS NULL" // a merged case's clocks follow its survivor's (redress.Case.ClockRunning)
	}
	args = append(args, w.end.String(), clock, w.today.String(), limit)
	rows, err := db.reads().QueryContext(ctx, `SELECT c.id, c.no, `+col+` FROM `+from+`
		WHERE `+running+` AND `+col+` <> '' AND `+col+` <= ?`+paused+`
		AND NOT EXISTS (SELECT 1 FROM deadline_alerts a WHERE a.case_id = c.id AND a.clock = ? AND a.due_date = `+col+`
			AND a.kind = CASE WHEN `+col+` < ? THEN 'overdue' ELSE 'due_soon' END)
		ORDER BY `+col+`, c.id LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("sweep %s: %w", clock, err)
	}
	defer rows.Close()
	var out []sweepCandidate
	for rows.Next() {
		var c sweepCandidate
		if err := rows.Scan(&c.id, &c.no, &c.due); err != nil {
			return nil, fmt.Errorf("sweep %s: %w", clock, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sweep %s: %w", clock, err)
	}
	return out, nil
}

// sweepNotice sends one notice, in one transaction: the alert row, for an
// overdue clock the escalation and its audit event, and the outbox rows.
func (db *DB) sweepNotice(ctx context.Context, now time.Time, w sweepWindow, clock redress.DueClock, cand sweepCandidate,
	opts SweepOptions, report *redress.SweepReport) error {
	due, err := redress.ParseDate(cand.due)
	if err != nil {
		return fmt.Errorf("stored due date: %w", err)
	}
	kind := redress.NotifyDueSoon
	if due.Before(w.today) {
		kind = redress.NotifyOverdue
	}
	var escalated bool
	var written int
	err = db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO deadline_alerts (case_id, clock, kind, due_date, created_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, cand.id, clock, kind, cand.due, timeText(now))
		if err != nil {
			return fmt.Errorf("record alert: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(errNothingToDo, err) // another sweep sent it
		}
		c, err := db.loadCaseRow(ctx, tx, cand.no)
		if err != nil {
			return err
		}
		if !c.ClockRunning(clock) || c.Due(clock) != cand.due {
			return errNothingToDo // replied, contacted, extended or paused since the sweep looked
		}
		to, err := db.deadlineRecipients(ctx, tx, c)
		if err != nil {
			return err
		}
		notice := redress.DeadlineNotice{CaseNo: c.No, CaseSubject: c.Subject, Kind: c.Kind, Clock: clock, Due: due,
			Today: w.today, Overdue: kind == redress.NotifyOverdue, Level: c.Level}
		if notice.Overdue && clock.Escalates() && c.Level < 4 {
			if err := db.escalateOverdue(ctx, tx, now, c, clock, due); err != nil {
				return err
			}
			escalated, notice.Escalated, notice.Level = true, true, c.Level
			if c.Level == 4 { // now head office's case: tell head-office service too
				hq, err := db.recipientsWhere(ctx, tx, `u.role = ?`, redress.RoleHQService)
				if err != nil {
					return err
				}
				to = mergeRecipients(to, hq)
			}
		}
		if !notice.Overdue {
			notice.Remaining, notice.CalendarDays = w.remaining(due)
		}
		link := redress.CaseLink(opts.BaseURL, c.No)
		written, err = db.insertMessages(ctx, tx, to, opts.Channels, redress.Notification{Kind: kind, CaseNo: c.No},
			func(ch redress.NotifyChannel) (string, string) { return notice.Message(ch, link) }, now)
		return err
	})
	if errors.Is(err, errNothingToDo) {
		return nil
	}
	if err != nil {
		return err
	}
	if kind == redress.NotifyOverdue {
		report.Overdue++
	} else {
		report.DueSoon++
	}
	if escalated {
		report.Escalated++
	}
	report.Notifications += written
	return nil
}

// escalateOverdue raises an overdue case one level for the system, bumps its
// version and writes the audit event, inside tx.
func (db *DB) escalateOverdue(ctx context.Context, tx *Tx, now time.Time, c *caseRow, clock redress.DueClock, due redress.Date) error {
	if err := redress.ArchiveRule(c.Case, redress.WriteEscalation); err != nil { // archive.go
		return err
	}
	before := *c.Case
	oldVersion := c.Version
	if err := db.raiseLevel(ctx, tx, c); err != nil {
		return err
	}
	c.Version++
	c.UpdatedAt = now
	if err := db.updateCase(ctx, tx, c, oldVersion); err != nil {
		return err
	}
	return db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectCase, c.No), Actor: "system", Action: redress.CaseEventAction(redress.ActionEscalate), At: now,
		Changes: redress.DiffCase(&before, c.Case),
		Detail:  fmt.Sprintf("%s期限（%s）%s 已超期，系统自动升级至第 %d 级", clock.Title(c.Kind), clock, due, c.Level)})
}

// deadlineRecipients returns who hears about a case's deadline: its handler,
// if any and active, and the managers of the nearest unit, walking up from
// the handler's unit (or the case's unit when there is no handler), that has
// any active manager; when no unit up to head office has one, head-office
// service. The staff member an accusation is about never hears of it.
func (db *DB) deadlineRecipients(ctx context.Context, tx *Tx, c *caseRow) ([]recipient, error) {
	var accused int64
	if c.Accusation {
		accused = c.respondentStaffID
	}
	var to []recipient
	start := c.OrgPath
	if c.handlerID != 0 {
		var r recipient
		var email, mobileEnc, path string
		var disabled bool
		err := tx.QueryRowContext(ctx, `SELECT u.id, u.login, u.email, u.mobile_enc, u.disabled, o.path
			FROM users u JOIN org_units o ON o.id = u.org_id WHERE u.id = ?`, c.handlerID).
			Scan(&r.id, &r.login, &email, &mobileEnc, &disabled, &path)
		if err != nil {
			return nil, fmt.Errorf("find handler of %s: %w", c.No, err)
		}
		r.hasEmail, r.hasMobile = email != "", mobileEnc != ""
		if !disabled && r.id != accused {
			to = append(to, r)
		}
		start = path
	}
	managers, err := db.nearestManagers(ctx, tx, start, accused)
	if err != nil {
		return nil, err
	}
	return mergeRecipients(to, managers), nil
}

// nearestManagers returns the active managers of the nearest unit, walking
// up from the unit with the given path, that has any besides the user
// excluded; failing that, the head-office service users.
func (db *DB) nearestManagers(ctx context.Context, tx *Tx, path string, excluded int64) ([]recipient, error) {
	return db.nearestWithRole(ctx, tx, path, redress.RoleManager, excluded)
}

// nearestWithRole is nearestManagers for the users of any role: those of
// the nearest unit up from path that has any; failing that, head office.
func (db *DB) nearestWithRole(ctx context.Context, tx *Tx, path string, role redress.Role, excluded int64) ([]recipient, error) {
	units := ancestors(path)
	if len(units) > 0 {
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(units)), ", ")
		args := []any{role, excluded}
		for _, id := range units {
			args = append(args, id)
		}
		managers, err := db.recipientsWhere(ctx, tx, `u.role = ? AND u.id <> ? AND u.org_id IN (`+marks+`)`, args...)
		if err != nil {
			return nil, err
		}
		for _, unit := range units {
			var nearest []recipient
			for _, m := range managers {
				if m.orgID == unit {
					nearest = append(nearest, m)
				}
			}
			if len(nearest) > 0 {
				return nearest, nil
			}
		}
	}
	return db.recipientsWhere(ctx, tx, `u.role = ? AND u.id <> ?`, redress.RoleHQService, excluded)
}

// recipientsWhere returns the active users matching a condition on users u.
func (db *DB) recipientsWhere(ctx context.Context, q querier, where string, args ...any) ([]recipient, error) {
	rows, err := q.QueryContext(ctx, `SELECT u.id, u.login, u.email, u.mobile_enc, u.org_id FROM users u
		WHERE u.disabled = ? AND `+where+` ORDER BY u.login`, append([]any{false}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("find recipients: %w", err)
	}
	defer rows.Close()
	var out []recipient
	for rows.Next() {
		var r recipient
		var email, mobileEnc string
		if err := rows.Scan(&r.id, &r.login, &email, &mobileEnc, &r.orgID); err != nil {
			return nil, fmt.Errorf("find recipients: %w", err)
		}
		r.hasEmail, r.hasMobile = email != "", mobileEnc != ""
		out = append(out, r)
	}
	return out, rows.Err()
}

// mergeRecipients appends to a the recipients of b it does not hold yet.
func mergeRecipients(a, b []recipient) []recipient {
	for _, r := range b {
		seen := false
		for _, have := range a {
			seen = seen || have.id == r.id
		}
		if !seen {
			a = append(a, r)
		}
	}
	return a
}

// ancestors returns the unit IDs of a materialised path from the unit
// itself up to the root: "/1/4/9/" gives 9, 4, 1.
func ancestors(path string) []int64 {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	var ids []int64
	for i := len(parts) - 1; i >= 0; i-- {
		if id, err := strconv.ParseInt(parts[i], 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}
