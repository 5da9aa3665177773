package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"

	"redress"
)

// OrgService manages the org tree.
type OrgService struct{ db *DB }

// NewOrgService returns the org service of db.
func NewOrgService(db *DB) *OrgService { return &OrgService{db: db} }

var _ redress.OrgService = (*OrgService)(nil)

const orgColumns = `o.id, o.code, o.name, o.kind, o.parent_id, COALESCE(p.code, ''), o.path, o.created_at`

const orgFrom = ` FROM org_units o LEFT JOIN org_units p ON p.id = o.parent_id`

func scanOrg(row interface{ Scan(...any) error }) (*redress.OrgUnit, error) {
	var o redress.OrgUnit
	var parent sql.NullInt64
	var created string
	if err := row.Scan(&o.ID, &o.Code, &o.Name, &o.Kind, &parent, &o.ParentCode, &o.Path, &created); err != nil {
		return nil, err
	}
	o.ParentID = parent.Int64
	var err error
	o.CreatedAt, err = parseTime(created)
	return &o, err
}

// orgByCode finds a unit by code: ENOTFOUND naming the field when it is absent.
func (db *DB) orgByCode(ctx context.Context, q querier, field, code string) (*redress.OrgUnit, error) {
	o, err := scanOrg(q.QueryRowContext(ctx, `SELECT `+orgColumns+orgFrom+` WHERE o.code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, redress.FieldError(redress.EINVALID, "unknown org unit "+code, field, redress.ProblemNoSuchOrg, code)
	}
	if err != nil {
		return nil, fmt.Errorf("find org %s: %w", code, err)
	}
	return o, nil
}

// CreateOrg adds a unit under an existing parent.
func (s *OrgService) CreateOrg(ctx context.Context, n redress.NewOrgUnit) (*redress.OrgUnit, error) {
	u, err := requireRole(ctx, "create org units", redress.RoleAdmin)
	if err != nil {
		return nil, err
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	var created *redress.OrgUnit
	err = s.db.inTx(ctx, func(tx *Tx) error {
		parent, err := s.db.orgByCode(ctx, tx, "parent", n.Parent)
		if err != nil {
			return err
		}
		if !n.Kind.CanParent(parent.Kind) {
			return redress.FieldError(redress.EINVALID, "invalid org tree", "kind", redress.ProblemOrgParent, string(n.Kind), string(parent.Kind))
		}
		created, err = s.db.insertOrg(ctx, tx, n, parent)
		if err != nil {
			return err
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectOrg, n.Code), Actor: u.Login, Action: "org.create", At: created.CreatedAt,
			Changes: []redress.Change{{Field: "code", After: n.Code}, {Field: "name", After: n.Name},
				{Field: "kind", After: string(n.Kind)}, {Field: "parent", After: n.Parent}}})
	})
	if err != nil {
		return nil, wrap("create org", err)
	}
	return created, nil
}

func (db *DB) insertOrg(ctx context.Context, tx *Tx, n redress.NewOrgUnit, parent *redress.OrgUnit) (*redress.OrgUnit, error) {
	now := db.now()
	o := &redress.OrgUnit{Code: n.Code, Name: n.Name, Kind: n.Kind, CreatedAt: now}
	var parentID any
	parentPath := ""
	if parent != nil {
		o.ParentID, o.ParentCode, parentID, parentPath = parent.ID, parent.Code, parent.ID, parent.Path
	}
	// The path needs the new ID; insert with a unique placeholder path, then set it.
	err := tx.QueryRowContext(ctx, `INSERT INTO org_units (code, name, kind, parent_id, path, created_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, n.Code, n.Name, n.Kind, parentID, "pending:"+n.Code, timeText(now)).Scan(&o.ID)
	if db.dialect.isUnique(err) {
		return nil, redress.FieldError(redress.ECONFLICT, "org unit code "+n.Code+" is taken", "code", redress.ProblemTaken)
	}
	if err != nil {
		return nil, fmt.Errorf("insert org: %w", err)
	}
	o.Path = redress.OrgPath(parentPath, o.ID)
	if _, err := tx.ExecContext(ctx, `UPDATE org_units SET path = ? WHERE id = ?`, o.Path, o.ID); err != nil {
		return nil, fmt.Errorf("set org path: %w", err)
	}
	return o, nil
}

// ListOrgs returns every unit, parents before children.
func (s *OrgService) ListOrgs(ctx context.Context) ([]*redress.OrgUnit, error) {
	if _, err := redress.RequireUser(ctx); err != nil {
		return nil, err
	}
	orgs, err := queryOrgs(ctx, s.db.reads(), ` ORDER BY o.path`)
	if err != nil {
		return nil, fmt.Errorf("list orgs: %w", err)
	}
	sortByTree(orgs)
	return orgs, nil
}

// sortByTree orders units depth-first by code among siblings, which text
// order of the ID paths does not give ("/1/10/" sorts before "/1/2/").
func sortByTree(orgs []*redress.OrgUnit) {
	children := map[int64][]*redress.OrgUnit{}
	for _, o := range orgs {
		children[o.ParentID] = append(children[o.ParentID], o)
	}
	out := orgs[:0:0]
	var walk func(parent int64)
	walk = func(parent int64) {
		kids := children[parent]
		sortOrgsByCode(kids)
		for _, k := range kids {
			out = append(out, k)
			walk(k.ID)
		}
	}
	walk(0)
	copy(orgs, out)
}

func sortOrgsByCode(orgs []*redress.OrgUnit) {
	sort.Slice(orgs, func(i, j int) bool { return orgs[i].Code < orgs[j].Code })
}

// requireRole returns the acting user if their role is one of roles.
func requireRole(ctx context.Context, what string, roles ...redress.Role) (*redress.User, error) {
	u, err := redress.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range roles {
		if u.Role == r {
			return u, nil
		}
	}
	return nil, redress.Errorf(redress.EFORBIDDEN, "role %s may not %s", u.Role, what)
}

// wrap adds context to an unexpected error and passes *redress.Error through
// unchanged, so users see its message.
func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	var e *redress.Error
	if errors.As(err, &e) {
		return e
	}
	return fmt.Errorf("%s: %w", what, err)
}

// UpdateOrg renames a unit, changes its kind or moves it under another
// parent. A move rewrites the materialised path of every unit of the moved
// subtree by one UPDATE in the same transaction as the unit's own row, so
// the scope of every case and user below follows at once; the root checks
// the new place (redress.CheckOrgPlace: not under itself or a descendant,
// kinds in order). Audited org.update with before and after.
func (s *OrgService) UpdateOrg(ctx context.Context, code string, up redress.OrgUpdate) (*redress.OrgUnit, error) {
	admin, err := requireRole(ctx, "change org units", redress.RoleAdmin)
	if err != nil {
		return nil, err
	}
	if err := up.Validate(); err != nil {
		return nil, err
	}
	var updated *redress.OrgUnit
	err = s.db.inTx(ctx, func(tx *Tx) error {
		o, err := scanOrg(tx.QueryRowContext(ctx, `SELECT `+orgColumns+orgFrom+` WHERE o.code = ?`, code))
		if errors.Is(err, sql.ErrNoRows) {
			return redress.Errorf(redress.ENOTFOUND, "no org unit has code %s", code)
		}
		if err != nil {
			return fmt.Errorf("find org %s: %w", code, err)
		}
		before := *o
		next := *o
		if up.Name != nil {
			next.Name = *up.Name
		}
		if up.Kind != nil {
			next.Kind = *up.Kind
		}
		var parent *redress.OrgUnit
		if o.ParentID != 0 {
			if parent, err = s.db.orgByCode(ctx, tx, "parent", o.ParentCode); err != nil {
				return err
			}
		}
		if up.Parent != nil && *up.Parent != o.ParentCode {
			if parent, err = s.db.orgByCode(ctx, tx, "parent", *up.Parent); err != nil {
				return err
			}
		}
		children, err := s.db.childOrgs(ctx, tx, o.ID)
		if err != nil {
			return err
		}
		if err := redress.CheckOrgPlace(next, before.Kind == redress.OrgHQ, parent, children); err != nil {
			return err
		}
		changes := []redress.Change{}
		if next.Name != before.Name {
			changes = append(changes, redress.Change{Field: "name", Before: before.Name, After: next.Name})
		}
		if next.Kind != before.Kind {
			changes = append(changes, redress.Change{Field: "kind", Before: string(before.Kind), After: string(next.Kind)})
		}
		if parent != nil && parent.ID != before.ParentID {
			next.ParentID, next.ParentCode = parent.ID, parent.Code
			next.Path = redress.OrgPath(parent.Path, o.ID)
			changes = append(changes, redress.Change{Field: "parent", Before: before.ParentCode, After: parent.Code},
				redress.Change{Field: "path", Before: before.Path, After: next.Path})
		}
		if len(changes) == 0 {
			updated = o
			return errNothingToDo
		}
		if _, err := tx.ExecContext(ctx, `UPDATE org_units SET name = ?, kind = ?, parent_id = ? WHERE id = ?`,
			next.Name, next.Kind, nullID(next.ParentID), o.ID); err != nil {
			return fmt.Errorf("update org: %w", err)
		}
		if next.Path != before.Path {
			// Every path of the subtree: the new root's path, then what
			// followed the old one ("/1/4/9/12/" → "/1/5/9/12/").
			if _, err := tx.ExecContext(ctx, `UPDATE org_units SET path = ? || SUBSTR(path, ?) WHERE path LIKE ?`,
				next.Path, len(before.Path)+1, before.Path+"%"); err != nil {
				return fmt.Errorf("move subtree: %w", err)
			}
		}
		updated = &next
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectOrg, o.Code), Actor: admin.Login,
			Action: "org.update", At: s.db.now(), Changes: changes})
	})
	if errors.Is(err, errNothingToDo) {
		return updated, nil
	}
	if err != nil {
		return nil, wrap("update org", err)
	}
	return updated, nil
}

// childOrgs lists the direct children of a unit.
func (db *DB) childOrgs(ctx context.Context, q querier, id int64) ([]*redress.OrgUnit, error) {
	orgs, err := queryOrgs(ctx, q, ` WHERE o.parent_id = ? ORDER BY o.code`, id)
	if err != nil {
		return nil, fmt.Errorf("list child orgs: %w", err)
	}
	return orgs, nil
}

// queryOrgs reads the units that the rest of a query (where, order) selects.
func queryOrgs(ctx context.Context, q querier, rest string, args ...any) ([]*redress.OrgUnit, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+orgColumns+orgFrom+rest, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var orgs []*redress.OrgUnit
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		orgs = append(orgs, o)
	}
	return orgs, rows.Err()
}
