package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"

	"redress"
)

// TrainingService keeps the training register (redress.TrainingService):
// one row per session in training_sessions, one per person on its roster in
// training_attendees.
type TrainingService struct{ db *DB }

// NewTrainingService returns the training service of db.
func NewTrainingService(db *DB) *TrainingService { return &TrainingService{db: db} }

var _ redress.TrainingService = (*TrainingService)(nil)

const trainingSelect = `SELECT t.id, o.code, o.name, o.path, t.version, t.status, t.title, t.topics, t.held_on, t.minutes,
	t.trainer, t.form, t.notes, t.pass_mark, t.recorded_by, t.attendance_by, t.attendance_at, t.created_at
FROM training_sessions t JOIN org_units o ON o.id = t.org_id`

func scanTraining(row interface{ Scan(...any) error }) (*redress.TrainingSession, error) {
	t := &redress.TrainingSession{Attendees: []redress.TrainingSeat{}}
	var topics, created string
	var minutes int
	var attendanceAt sql.NullString
	if err := row.Scan(&t.ID, &t.Org, &t.OrgName, &t.OrgPath, &t.Version, &t.Status, &t.Title, &topics, &t.HeldOn, &minutes,
		&t.Trainer, &t.Form, &t.Notes, &t.PassMark, &t.RecordedBy, &t.AttendanceBy, &attendanceAt, &created); err != nil {
		return nil, err
	}
	t.Ref, t.Hours = redress.TrainingRef(t.ID), float64(minutes)/60
	for _, topic := range strings.Split(topics, ",") {
		t.Topics = append(t.Topics, redress.TrainingTopic(topic))
	}
	var err error
	if t.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	t.CreatedAt = t.CreatedAt.In(redress.Beijing)
	if t.AttendanceAt, err = parseNullTime(attendanceAt); err != nil {
		return nil, err
	}
	if t.AttendanceAt != nil {
		at := t.AttendanceAt.In(redress.Beijing)
		t.AttendanceAt = &at
	}
	return t, nil
}

// trainingUser is the acting user when they plan or record training.
func trainingUser(ctx context.Context) (*redress.User, error) {
	u, err := redress.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	if !u.Role.PlansTraining() {
		return nil, redress.Errorf(redress.EFORBIDDEN, "role %s does not keep the training register", u.Role)
	}
	return u, nil
}

// trainingReader is the acting user when they read the register: any role
// that works on cases (staff read the sessions they are on).
func trainingReader(ctx context.Context) (*redress.User, error) { return caseReaderFrom(ctx) }

// PlanTraining plans a session: the unit in scope, every person on the
// roster an active member of staff in scope.
func (s *TrainingService) PlanTraining(ctx context.Context, n redress.NewTrainingSession) (*redress.TrainingSession, error) {
	u, err := trainingUser(ctx)
	if err != nil {
		return nil, err
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	now := s.db.now()
	var id int64
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
		var people []*redress.User
		var p redress.Problems
		for _, login := range n.Attendees {
			a, err := s.db.userByLogin(ctx, tx, "attendees", login)
			if redress.ErrorCode(err) == redress.EINVALID || (err == nil && (a.Disabled || !redress.InSubtree(a.OrgPath, u.OrgPath) || !a.Role.ReadsCases())) {
				p.AddKey("attendees", redress.ProblemNoSuchUser, login)
				continue
			}
			if err != nil {
				return err
			}
			people = append(people, a)
		}
		if err := p.Err(); err != nil {
			return err
		}
		topics := make([]string, len(n.Topics))
		for i, t := range n.Topics {
			topics[i] = string(t)
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO training_sessions (org_id, version, status, title, topics, held_on, minutes,
			trainer, form, notes, pass_mark, recorded_by, created_at) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			org.ID, redress.TrainingPlanned, n.Title, strings.Join(topics, ","), n.HeldOn, int(math.Round(n.Hours*60)),
			n.Trainer, n.Form, n.Notes, *n.PassMark, u.Login, timeText(now)).Scan(&id)
		if err != nil {
			return fmt.Errorf("plan training: %w", err)
		}
		for _, a := range people {
			if _, err := tx.ExecContext(ctx, `INSERT INTO training_attendees (session_id, user_id) VALUES (?, ?)`, id, a.ID); err != nil {
				return fmt.Errorf("plan training: roster: %w", err)
			}
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectTraining, redress.TrainingRef(id)),
			Actor: u.Login, Action: "training.plan", At: now, Detail: n.Title,
			Changes: []redress.Change{{Field: "org", After: org.Code}, {Field: "held_on", After: n.HeldOn},
				{Field: "attendees", After: strings.Join(n.Attendees, ", ")}}})
	})
	if err != nil {
		return nil, wrap("plan training", err)
	}
	return s.Training(ctx, id)
}

// Training reads one session with its roster.
func (s *TrainingService) Training(ctx context.Context, id int64) (*redress.TrainingSession, error) {
	u, err := trainingReader(ctx)
	if err != nil {
		return nil, err
	}
	return s.db.loadTraining(ctx, s.db.reads(), u, id, false)
}

// loadTraining reads a session the user may see: a unit in their scope, or
// (staff) one they are on the roster of; else ENOTFOUND.
func (db *DB) loadTraining(ctx context.Context, q querier, u *redress.User, id int64, lock bool) (*redress.TrainingSession, error) {
	query := trainingSelect + ` WHERE t.id = ?`
	if lock {
		query += db.dialect.forUpdate
	}
	t, err := scanTraining(q.QueryRowContext(ctx, query, id))
	notFound := redress.Errorf(redress.ENOTFOUND, "training session %s not found", redress.TrainingRef(id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound
	}
	if err != nil {
		return nil, fmt.Errorf("load training %d: %w", id, err)
	}
	if err := db.loadSeats(ctx, q, []*redress.TrainingSession{t}); err != nil {
		return nil, err
	}
	if !mayReadTraining(u, t) {
		return nil, notFound
	}
	return t, nil
}

// mayReadTraining: the organisers of the unit's subtree, and the people on
// the roster.
func mayReadTraining(u *redress.User, t *redress.TrainingSession) bool {
	if u.Role.PlansTraining() || u.Role == redress.RoleAuditor {
		return redress.InSubtree(t.OrgPath, u.OrgPath)
	}
	for _, seat := range t.Attendees {
		if seat.Login == u.Login {
			return true
		}
	}
	return false
}

// loadSeats fills the sessions' rosters, in one query, by unit and login.
func (db *DB) loadSeats(ctx context.Context, q querier, list []*redress.TrainingSession) error {
	if len(list) == 0 {
		return nil
	}
	byID := map[int64]*redress.TrainingSession{}
	marks := make([]string, len(list))
	args := make([]any, len(list))
	for i, t := range list {
		byID[t.ID], marks[i], args[i] = t, "?", t.ID
	}
	rows, err := q.QueryContext(ctx, `SELECT a.session_id, u.login, u.name, o.code, a.attended, a.score
		FROM training_attendees a JOIN users u ON u.id = a.user_id JOIN org_units o ON o.id = u.org_id
		WHERE a.session_id IN (`+strings.Join(marks, ", ")+`) ORDER BY o.path, u.login`, args...)
	if err != nil {
		return fmt.Errorf("training roster: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var seat redress.TrainingSeat
		var score sql.NullInt64
		if err := rows.Scan(&id, &seat.Login, &seat.Name, &seat.Org, &seat.Attended, &score); err != nil {
			return fmt.Errorf("training roster: %w", err)
		}
		if score.Valid {
			v := int(score.Int64)
			seat.Score = &v
		}
		t := byID[id]
		seat.Passed = t.Passed(seat)
		t.Attendees = append(t.Attendees, seat)
	}
	return rows.Err()
}

// TrainingSessions lists the register, newest first: the sessions of units
// in the caller's scope, or (staff) those the caller is on.
func (s *TrainingService) TrainingSessions(ctx context.Context, f redress.TrainingFilter) ([]*redress.TrainingSession, error) {
	u, err := trainingReader(ctx)
	if err != nil {
		return nil, err
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	// Organisers and auditors read their subtree's sessions; staff read
	// the sessions they are on, wherever they were held.
	organiser := u.Role.PlansTraining() || u.Role == redress.RoleAuditor
	path, login := u.OrgPath, f.Login
	if !organiser {
		path, login = "", u.Login
	}
	if f.Org != "" {
		o, err := s.db.orgByCode(ctx, s.db.reads(), "org", f.Org)
		if err != nil {
			return nil, err
		}
		if organiser && !redress.InSubtree(o.Path, u.OrgPath) {
			return []*redress.TrainingSession{}, nil
		}
		path = o.Path
	}
	where, args := []string{`o.path LIKE ?`}, []any{path + "%"}
	if login != "" {
		where = append(where, `EXISTS (SELECT 1 FROM training_attendees a JOIN users au ON au.id = a.user_id
			WHERE a.session_id = t.id AND au.login = ?)`)
		args = append(args, login)
	}
	if f.Status != "" {
		where, args = append(where, `t.status = ?`), append(args, f.Status)
	}
	if f.Topic != "" {
		where, args = append(where, `(',' || t.topics || ',') LIKE ?`), append(args, "%,"+string(f.Topic)+",%")
	}
	if f.From != "" {
		where, args = append(where, `t.held_on >= ?`), append(args, f.From)
	}
	if f.To != "" {
		where, args = append(where, `t.held_on <= ?`), append(args, f.To)
	}
	rows, err := s.db.reads().QueryContext(ctx, trainingSelect+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY t.held_on DESC, t.id DESC LIMIT 1000`, args...)
	if err != nil {
		return nil, fmt.Errorf("training sessions: %w", err)
	}
	out := []*redress.TrainingSession{}
	for rows.Next() {
		t, err := scanTraining(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("training sessions: %w", err)
		}
		out = append(out, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("training sessions: %w", err)
	}
	return out, s.db.loadSeats(ctx, s.db.reads(), out)
}

// RecordAttendance records who attended and their scores at the version
// seen; a second record corrects the first (both audited).
func (s *TrainingService) RecordAttendance(ctx context.Context, id int64, a redress.TrainingAttendance) (*redress.TrainingSession, error) {
	u, err := trainingUser(ctx)
	if err != nil {
		return nil, err
	}
	now := s.db.now()
	err = s.db.inTx(ctx, func(tx *Tx) error {
		t, err := s.db.loadTraining(ctx, tx, u, id, true)
		if err != nil {
			return err
		}
		records, err := redress.TrainingAttendanceRule(t, a, redress.DateOf(now))
		if err != nil {
			return err
		}
		if a.Version != t.Version {
			return redress.Errorf(redress.ECONFLICT, "%s was changed by someone else: you sent version %d, it is now at version %d; reload it and try again",
				t.Ref, a.Version, t.Version)
		}
		res, err := tx.ExecContext(ctx, `UPDATE training_sessions SET status = ?, attendance_by = ?, attendance_at = ?, version = version + 1
			WHERE id = ? AND version = ?`, redress.TrainingHeld, u.Login, timeText(now), id, t.Version)
		if err != nil {
			return fmt.Errorf("record attendance %s: %w", t.Ref, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return redress.Errorf(redress.ECONFLICT, "%s was changed by someone else; reload it and try again", t.Ref)
		}
		var came, absent []string
		for _, seat := range t.Attendees {
			r := records[seat.Login]
			var score any
			if r.Score != nil {
				score = *r.Score
			}
			if _, err := tx.ExecContext(ctx, `UPDATE training_attendees SET attended = ?, score = ?
				WHERE session_id = ? AND user_id = (SELECT id FROM users WHERE login = ?)`, r.Attended, score, id, seat.Login); err != nil {
				return fmt.Errorf("record attendance %s: %w", t.Ref, err)
			}
			if r.Attended {
				came = append(came, seat.Login)
			} else {
				absent = append(absent, seat.Login)
			}
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectTraining, t.Ref), Actor: u.Login,
			Action: "training.attendance", At: now,
			Changes: []redress.Change{{Field: "status", Before: string(t.Status), After: string(redress.TrainingHeld)},
				{Field: "attended", After: strings.Join(came, ", ")}, {Field: "absent", After: strings.Join(absent, ", ")}}})
	})
	if err != nil {
		return nil, wrap("record attendance", err)
	}
	return s.Training(ctx, id)
}

// trainingFigures sums the training of the sessions held from..to (their
// attendance recorded) per person and per person's unit (by id), over the
// people of the subtree at path, for the assessment.
func (db *DB) trainingFigures(ctx context.Context, path string, from, to redress.Date) (people, units map[int64]*redress.TrainingFigures, err error) {
	rows, err := db.reads().QueryContext(ctx, `SELECT a.user_id, u.org_id, a.attended, a.score, t.minutes, t.pass_mark
		FROM training_attendees a JOIN training_sessions t ON t.id = a.session_id JOIN users u ON u.id = a.user_id
		JOIN org_units o ON o.id = u.org_id
		WHERE t.status = ? AND t.held_on >= ? AND t.held_on <= ? AND o.path LIKE ?`,
		redress.TrainingHeld, from.String(), to.String(), path+"%")
	if err != nil {
		return nil, nil, fmt.Errorf("training figures: %w", err)
	}
	defer rows.Close()
	people, units = map[int64]*redress.TrainingFigures{}, map[int64]*redress.TrainingFigures{}
	of := func(m map[int64]*redress.TrainingFigures, id int64) *redress.TrainingFigures {
		if m[id] == nil {
			m[id] = &redress.TrainingFigures{}
		}
		return m[id]
	}
	for rows.Next() {
		var user, org int64
		var seat redress.TrainingSeat
		var score sql.NullInt64
		var minutes int
		var t redress.TrainingSession
		if err := rows.Scan(&user, &org, &seat.Attended, &score, &minutes, &t.PassMark); err != nil {
			return nil, nil, fmt.Errorf("training figures: %w", err)
		}
		if score.Valid {
			v := int(score.Int64)
			seat.Score = &v
		}
		t.Hours = float64(minutes) / 60
		of(people, user).AddSeat(&t, seat)
		of(units, org).AddSeat(&t, seat)
	}
	return people, units, rows.Err()
}
