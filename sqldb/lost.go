package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"redress"
)

// LostService keeps the lost-property register (redress.LostService): one
// row per found item in lost_items, the receiver's ID number sealed.
type LostService struct{ db *DB }

// NewLostService returns the lost-property service of db.
func NewLostService(db *DB) *LostService { return &LostService{db: db} }

var _ redress.LostService = (*LostService)(nil)

const lostSelect = `SELECT l.id, o.code, o.name, o.path, l.version, l.status, l.description, l.found_at, l.place, l.found_by,
	l.cctv_ref, l.kept_at, l.traced, l.receiver_name, l.receiver_id_type, l.receiver_id_enc, l.signed, l.closed_note,
	l.closed_at, l.closed_by, l.recorded_by, l.created_at
FROM lost_items l JOIN org_units o ON o.id = l.org_id`

// lostAAD binds a sealed receiver ID number to its item.
func lostAAD(id int64) string { return "lost:" + strconv.FormatInt(id, 10) + ":receiver_id_number" }

func (db *DB) scanLost(row interface{ Scan(...any) error }) (*redress.LostItem, error) {
	l := &redress.LostItem{}
	var found, created, sealed string
	var closed sql.NullString
	err := row.Scan(&l.ID, &l.Org, &l.OrgName, &l.OrgPath, &l.Version, &l.Status, &l.Description, &found, &l.Place, &l.FoundBy,
		&l.CCTVRef, &l.KeptAt, &l.Traced, &l.ReceiverName, &l.ReceiverIDType, &sealed, &l.Signed, &l.ClosedNote,
		&closed, &l.ClosedBy, &l.RecordedBy, &created)
	if err != nil {
		return nil, err
	}
	l.Ref = redress.LostRef(l.ID)
	if l.FoundAt, err = parseTime(found); err != nil {
		return nil, err
	}
	if l.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if l.ClosedAt, err = parseNullTime(closed); err != nil {
		return nil, err
	}
	l.FoundAt, l.CreatedAt = l.FoundAt.In(redress.Beijing), l.CreatedAt.In(redress.Beijing)
	if l.ClosedAt != nil {
		t := l.ClosedAt.In(redress.Beijing)
		l.ClosedAt = &t
	}
	id, err := db.open(sealed, lostAAD(l.ID))
	if err != nil {
		return nil, fmt.Errorf("lost item %d: %w", l.ID, err)
	}
	l.ReceiverIDNumber = redress.MaskID(id)
	return l, nil
}

// lostUser is the acting user: a case role (the outlet's staff register
// what is found in the hall).
func lostUser(ctx context.Context) (*redress.User, error) {
	return registerKeeper(ctx, "lost-property register")
}

// RegisterLost registers a found item.
func (s *LostService) RegisterLost(ctx context.Context, n redress.NewLostItem) (*redress.LostItem, error) {
	u, err := lostUser(ctx)
	if err != nil {
		return nil, err
	}
	now := s.db.now()
	if err := n.Validate(now); err != nil {
		return nil, err
	}
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
		err = tx.QueryRowContext(ctx, `INSERT INTO lost_items (org_id, version, status, description, found_at, place, found_by,
			cctv_ref, kept_at, recorded_by, created_at) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			org.ID, redress.LostKept, n.Description, timeText(n.FoundAt), n.Place, n.FoundBy, n.CCTVRef, n.KeptAt, u.Login, timeText(now)).Scan(&id)
		if err != nil {
			return fmt.Errorf("register lost item: %w", err)
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectLost, redress.LostRef(id)), Actor: u.Login,
			Action: "lost.register", At: now, Changes: []redress.Change{{Field: "status", After: string(redress.LostKept)}, {Field: "org", After: org.Code}},
			Detail: n.Description})
	})
	if err != nil {
		return nil, wrap("register lost item", err)
	}
	return s.Lost(ctx, id)
}

// Lost reads one item.
func (s *LostService) Lost(ctx context.Context, id int64) (*redress.LostItem, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	return s.db.loadLost(ctx, s.db.reads(), u, id, false)
}

func (db *DB) loadLost(ctx context.Context, q querier, u *redress.User, id int64, lock bool) (*redress.LostItem, error) {
	query := lostSelect + ` WHERE l.id = ?`
	if lock {
		query += db.dialect.forUpdate
	}
	l, err := db.scanLost(q.QueryRowContext(ctx, query, id))
	notFound := redress.Errorf(redress.ENOTFOUND, "lost item %s not found", redress.LostRef(id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound
	}
	if err != nil {
		return nil, fmt.Errorf("load lost item %d: %w", id, err)
	}
	if !redress.InSubtree(l.OrgPath, u.OrgPath) {
		return nil, notFound
	}
	return l, nil
}

// LostItems lists the register, oldest first.
func (s *LostService) LostItems(ctx context.Context, f redress.LostFilter) ([]*redress.LostItem, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	start, end, _ := redress.DayRange(f.From, f.To) // checked
	path := u.OrgPath
	if f.Org != "" {
		o, err := s.db.orgByCode(ctx, s.db.reads(), "org", f.Org)
		if err != nil {
			return nil, err
		}
		if !redress.InSubtree(o.Path, u.OrgPath) {
			return []*redress.LostItem{}, nil
		}
		path = o.Path
	}
	where, args := []string{`o.path LIKE ?`}, []any{path + "%"}
	if f.Status != "" {
		where, args = append(where, `l.status = ?`), append(args, f.Status)
	}
	if !start.IsZero() {
		where, args = append(where, `l.found_at >= ?`), append(args, timeText(start))
	}
	if !end.IsZero() {
		where, args = append(where, `l.found_at < ?`), append(args, timeText(end))
	}
	rows, err := s.db.reads().QueryContext(ctx, lostSelect+` WHERE `+strings.Join(where, " AND ")+` ORDER BY l.found_at, l.id LIMIT 1000`, args...)
	if err != nil {
		return nil, fmt.Errorf("lost items: %w", err)
	}
	defer rows.Close()
	out := []*redress.LostItem{}
	for rows.Next() {
		l, err := s.db.scanLost(rows)
		if err != nil {
			return nil, fmt.Errorf("lost items: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// StepLost takes a step at the version seen.
func (s *LostService) StepLost(ctx context.Context, id int64, req redress.LostRequest) (*redress.LostItem, error) {
	u, err := lostUser(ctx)
	if err != nil {
		return nil, err
	}
	now := s.db.now()
	err = s.db.inTx(ctx, func(tx *Tx) error {
		l, err := s.db.loadLost(ctx, tx, u, id, true)
		if err != nil {
			return err
		}
		if err := redress.LostRule(l, req, now); err != nil {
			return err
		}
		if req.Version != l.Version {
			return redress.Errorf(redress.ECONFLICT, "%s was changed by someone else: you sent version %d, it is now at version %d; reload it and try again",
				l.Ref, req.Version, l.Version)
		}
		note := strings.TrimSpace(req.Note)
		before := l.Status
		var res sql.Result
		switch req.Step {
		case redress.LostStepTrace:
			traced := note
			if l.Traced != "" {
				traced = l.Traced + "\n" + note
			}
			res, err = tx.ExecContext(ctx, `UPDATE lost_items SET traced = ?, version = version + 1 WHERE id = ? AND version = ?`, traced, id, l.Version)
		default:
			status := map[redress.LostStep]redress.LostStatus{redress.LostStepReturn: redress.LostReturned,
				redress.LostStepPolice: redress.LostPolice, redress.LostStepDispose: redress.LostDisposed}[req.Step]
			number := strings.ToUpper(strings.TrimSpace(req.ReceiverIDNumber))
			sealed := s.db.keyring().Seal(number, lostAAD(id))
			res, err = tx.ExecContext(ctx, `UPDATE lost_items SET status = ?, receiver_name = ?, receiver_id_type = ?, receiver_id_enc = ?,
				signed = ?, closed_note = ?, closed_at = ?, closed_by = ?, version = version + 1 WHERE id = ? AND version = ?`,
				status, strings.TrimSpace(req.ReceiverName), req.ReceiverIDType, sealed, req.Signed, note, timeText(now), u.Login, id, l.Version)
			l.Status = status
		}
		if err != nil {
			return fmt.Errorf("lost item %s: %w", l.Ref, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return redress.Errorf(redress.ECONFLICT, "%s was changed by someone else; reload it and try again", l.Ref)
		}
		var changes []redress.Change
		if l.Status != before {
			changes = append(changes, redress.Change{Field: "status", Before: string(before), After: string(l.Status)})
		}
		if req.Step == redress.LostStepReturn {
			changes = append(changes, redress.Change{Field: "receiver", After: strings.TrimSpace(req.ReceiverName)})
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectLost, l.Ref), Actor: u.Login,
			Action: "lost." + string(req.Step), At: now, Changes: changes, Detail: note})
	})
	if err != nil {
		return nil, wrap("lost item", err)
	}
	return s.Lost(ctx, id)
}

// rotateLost re-encrypts the receivers' ID numbers of the register, in one
// transaction, each update conditional on what it read.
func (db *DB) rotateLost(ctx context.Context, ring *redress.Keyring, report *RotationReport) error {
	type row struct {
		id     int64
		sealed string
	}
	rows, err := db.reads().QueryContext(ctx, `SELECT id, receiver_id_enc FROM lost_items WHERE receiver_id_enc <> ''`)
	if err != nil {
		return err
	}
	var list []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.sealed); err != nil {
			rows.Close()
			return err
		}
		if redress.SealedVersion(r.sealed) != ring.Current() {
			list = append(list, r)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(list) == 0 {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		for _, r := range list {
			plain, err := ring.Open(r.sealed, lostAAD(r.id))
			if err != nil {
				return fmt.Errorf("lost item %d: %w", r.id, err)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE lost_items SET receiver_id_enc = ? WHERE id = ? AND receiver_id_enc = ?`,
				ring.Seal(plain, lostAAD(r.id)), r.id, r.sealed); err != nil {
				return err
			}
			report.Lost++
		}
		return nil
	})
}
