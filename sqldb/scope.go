package sqldb

import (
	"context"
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
func caseScopeSQL(u *redress.User) (string, []any) {
	hidden := ` AND NOT (c.accusation = ? AND c.respondent_staff_id = ?)`
	if isRootPath(u.OrgPath) {
		return hidden, []any{true, u.ID}
	}
	prefix := u.OrgPath + "%"
	return hidden + ` AND (c.org_id IN (SELECT id FROM org_units WHERE path LIKE ?)
		OR c.origin_org_id IN (SELECT id FROM org_units WHERE path LIKE ?))`, []any{true, u.ID, prefix, prefix}
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
