package redress

// Permission names something a user may do outside the case lifecycle,
// whose own role rules (including who registers) are the Lifecycle table. Together the two tables are
// the whole permission model; the services consult them, so the API, the
// pages, the CLI and the jobs all give the same answer.
type Permission string

// The permissions.
const (
	PermCaseRead    Permission = "case.read"    // read cases in scope, their events and lists
	PermCaseReveal  Permission = "case.reveal"  // see a full ID, phone or account number, with a reason
	PermAuditRead   Permission = "audit.read"   // read the audit trail across cases, with filters
	PermAuditVerify Permission = "audit.verify" // verify the hash chain
	PermOrgManage   Permission = "org.manage"   // create org units
	PermUserRead    Permission = "user.read"    // list users in scope
	PermUserManage  Permission = "user.manage"  // create users, change roles, reset passwords, disable
	PermCodeManage  Permission = "code.manage"  // edit the JR/T 0169 code lists
	// PermCalendarManage allows editing the holiday calendar and deadline policies.
	PermCalendarManage Permission = "calendar.manage"
	PermTokenManage    Permission = "token.manage" // list and revoke every user's API tokens
	PermSelfService    Permission = "self.service" // own tokens, own password, own sessions
	// PermRetentionManage allows setting the retention periods and running
	// the retention job (its counts hold no complaint contents).
	PermRetentionManage Permission = "retention.manage"
	// PermLegalHold allows placing and releasing a legal hold on a case in scope.
	PermLegalHold Permission = "hold.manage"
	// PermErasure allows a complainant's hold and erasure (PIPL Art.47), across
	// every case of the person: head office's consumer-protection function.
	PermErasure Permission = "erasure.manage"
	// PermCaseImport imports a bank's history of cases from a spreadsheet
	// (import.go): the admin, who loads the bank's data, sees only the
	// rejected rows' numbers, fields and reasons, never their contents.
	PermCaseImport Permission = "case.import"
)

// Permissions lists every permission.
var Permissions = []Permission{PermCaseRead, PermCaseReveal, PermAuditRead, PermAuditVerify, PermOrgManage,
	PermUserRead, PermUserManage, PermCodeManage, PermCalendarManage, PermTokenManage, PermSelfService,
	PermRetentionManage, PermLegalHold, PermErasure, PermCaseImport}

// rolePermissions is the role × permission table.
var rolePermissions = map[Role][]Permission{
	RoleStaff:      {PermCaseRead, PermUserRead, PermSelfService},
	RoleManager:    {PermCaseRead, PermCaseReveal, PermUserRead, PermSelfService, PermLegalHold},
	RoleBranchHead: {PermCaseRead, PermCaseReveal, PermUserRead, PermSelfService},
	RoleHQService:  {PermCaseRead, PermCaseReveal, PermAuditVerify, PermUserRead, PermSelfService, PermLegalHold, PermErasure},
	RoleAuditor:    {PermCaseRead, PermAuditRead, PermAuditVerify, PermUserRead, PermSelfService},
	RoleAdmin: {PermAuditVerify, PermOrgManage, PermUserRead, PermUserManage, PermCodeManage, PermCalendarManage,
		PermTokenManage, PermSelfService, PermRetentionManage, PermCaseImport},
}

// Can reports whether the role holds the permission.
func Can(role Role, p Permission) bool {
	return oneOf(p, rolePermissions[role])
}

// Require checks that u holds the permission: EUNAUTHORIZED without a user,
// EFORBIDDEN without the permission.
func Require(u *User, p Permission) error {
	if u == nil {
		return Errorf(EUNAUTHORIZED, "sign in or send an API token")
	}
	if !Can(u.Role, p) {
		return Errorf(EFORBIDDEN, "role %s lacks permission %s", u.Role, p)
	}
	return nil
}
