package sqldb

import (
	"context"
	"fmt"
	"strings"

	"redress"
)

// isRootPath reports whether an org path is the head office's: a user there
// sees the whole bank.
func isRootPath(path string) bool { return strings.Count(path, "/") == 2 }

// caseScopeSQL returns the condition that limits cases (alias c) to what the
// user may see: cases whose responsible or registering unit lies in the
// user's subtree. Users at head office see every case.
//
// A report or accusation (检举控告) is never visible to the staff member it
// accuses, whatever their unit.
//
// The subtree's units are read first, once, and named by id (subtree): a
// condition on the units' paths left both planners guessing how many cases
// it matched, and PostgreSQL walked every investigating case of the bank
// for one sub-branch's queue.
func (db *DB) caseScopeSQL(ctx context.Context, u *redress.User) (string, []any, error) {
	units, unitArgs, err := db.unitScopeSQL(ctx, u)
	if err != nil {
		return "", nil, err
	}
	hidden, args := accusationHiddenSQL(u)
	return hidden + units, append(args, unitArgs...), nil
}

// accusationHiddenSQL is the part of caseScopeSQL that hides from the user
// the reports and accusations against them.
func accusationHiddenSQL(u *redress.User) (string, []any) {
	cond, args := accusingSQL(u)
	return ` AND NOT ` + cond, args
}

// accusingSQL is the condition of a case (alias c) that is a report or
// accusation against the user.
func accusingSQL(u *redress.User) (string, []any) {
	return `(c.accusation = ? AND c.respondent_staff_id = ?)`, []any{true, u.ID}
}

// unitScopeSQL is the part of caseScopeSQL that keeps the cases of the
// user's subtree: nothing for a user at head office.
func (db *DB) unitScopeSQL(ctx context.Context, u *redress.User) (string, []any, error) {
	if isRootPath(u.OrgPath) {
		return "", nil, nil
	}
	units, err := db.subtree(ctx, u.OrgPath)
	if err != nil {
		return "", nil, err
	}
	return ` AND (` + units.in("c.org_id") + ` OR ` + units.in("c.origin_org_id") + `)`, nil, nil
}

// unitSet is the units of a subtree, by id, and whether the condition on
// them should keep off the indexes (in).
type unitSet struct {
	ids      []int64
	unseeked bool
}

// subtree reads the ids of the units of the subtree at path. On SQLite,
// which keeps no statistics, a subtree of at least a hundredth of the
// bank's units is marked to be written so that no index serves it: a
// branch's cases are a large share of the bank's, and the engine does
// better to walk the index of the list's order, checking each case's unit,
// than to gather every case of the branch by unit and sort them; a smaller
// subtree (an outlet, most sub-branches) is sought by unit. PostgreSQL's
// planner knows the shares from its statistics and chooses itself.
func (db *DB) subtree(ctx context.Context, path string) (unitSet, error) {
	// Only the subtree's rows come back, each with the bank's count of
	// units: a sub-branch's queue asked this twice a request, and reading
	// every unit of a bank of 845 through the driver was a fifth of it.
	rows, err := db.reads().QueryContext(ctx, `SELECT id, (SELECT COUNT(*) FROM org_units) FROM org_units WHERE path LIKE ?`, path+"%")
	if err != nil {
		return unitSet{}, fmt.Errorf("units of %s: %w", path, err)
	}
	defer rows.Close()
	var set unitSet
	all := 0
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id, &all); err != nil {
			return unitSet{}, fmt.Errorf("units of %s: %w", path, err)
		}
		set.ids = append(set.ids, id)
	}
	if err := rows.Err(); err != nil {
		return unitSet{}, fmt.Errorf("units of %s: %w", path, err)
	}
	set.unseeked = db.dialect.name == "sqlite" && len(set.ids)*100 >= all
	return set, nil
}

// in returns the condition "column names one of the units", the ids
// written out (numbers from the database), +column when no index is to
// serve it.
func (set unitSet) in(column string) string {
	if len(set.ids) == 0 {
		return "1 = 0" // a unit removed meanwhile: nothing is in scope
	}
	if set.unseeked {
		column = "+" + column
	}
	return column + " IN (" + idList(set.ids) + ")"
}

// sees reports whether the user's scope covers a case held by orgPath and
// registered by originPath.
func sees(u *redress.User, orgPath, originPath string) bool {
	return redress.InSubtree(orgPath, u.OrgPath) || redress.InSubtree(originPath, u.OrgPath)
}

// caseReaderFrom returns the signed-in user of the context if they may read
// complaint contents: EUNAUTHORIZED without a user, EFORBIDDEN for a role
// that reads none (admin).
func caseReaderFrom(ctx context.Context) (*redress.User, error) {
	u, err := redress.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	return u, caseReader(u)
}

// registerKeeper returns the signed-in user of the context if they keep the
// outlet's registers (the lost-property register, the reception log): a
// case role (redress.MayRegister).
func registerKeeper(ctx context.Context, register string) (*redress.User, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	if !redress.MayRegister(u.Role) {
		return nil, redress.Errorf(redress.EFORBIDDEN, "role %s does not keep the %s", u.Role, register)
	}
	return u, nil
}

// caseReader returns the acting user if they may read complaint contents.
func caseReader(u *redress.User) error {
	if !u.Role.ReadsCases() {
		return redress.Reasonf(redress.EFORBIDDEN, redress.ReasonNoCaseContents, string(u.Role))
	}
	return nil
}
