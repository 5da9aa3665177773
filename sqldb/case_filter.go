package sqldb

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"redress"
)

// statusIn returns the condition "column is one of the statuses" with its
// arguments: how SQL names a set of statuses defined once in the root
// (redress.OpenStatuses, redress.ArchivedStatuses), never as literals.
func statusIn(column string, statuses []redress.Status) (string, []any) {
	args := make([]any, len(statuses))
	for i, st := range statuses {
		args[i] = st
	}
	return column + " IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(statuses)), ", ") + ")", args
}

// overdueSQL is the condition "the decision clock of an open, unpaused case
// ended before today" (the argument), as redress.Case.MarkOverdue has it.
// The statuses are literals, not arguments: PostgreSQL's partial index of
// these cases (cases_overdue, migration 0048) serves only a query whose
// condition it can see implies the index's, whatever plan it caches.
func overdueSQL(today string) (string, []any) {
	return statusLiterals("c.status", redress.OpenStatuses) +
		" AND c.paused_since IS NULL AND c.merged_into_id IS NULL AND c.decision_due < ?", []any{today}
}

// statusLiterals is the condition "column is one of statuses", with the
// statuses written into the SQL: they are the domain's constants, plain
// lower-case words.
func statusLiterals(column string, statuses []redress.Status) string {
	quoted := make([]string, len(statuses))
	for i, st := range statuses {
		quoted[i] = "'" + strings.ReplaceAll(string(st), "'", "''") + "'"
	}
	return column + " IN (" + strings.Join(quoted, ", ") + ")"
}

// caseFilterSQL returns the WHERE conditions (each starting with AND) and
// arguments of a case filter for the user: their scope first, then each
// filter. The filter is normalised and validated by the domain
// (redress.CaseFilter.Normalize); this checks the cursor and writes SQL.
func (db *DB) caseFilterSQL(ctx context.Context, u *redress.User, f *redress.CaseFilter) (string, []any, error) {
	return db.filterSQL(ctx, u, f, true)
}

// filterSQL is caseFilterSQL, with the reports and accusations against the
// user left in when hideAccusations is false: only for a pass that hides
// them itself (the statistics' folded complainant count, foldsComplainants).
func (db *DB) filterSQL(ctx context.Context, u *redress.User, f *redress.CaseFilter, hideAccusations bool) (string, []any, error) {
	c, err := db.caseConditionsOf(ctx, u, f, hideAccusations)
	return c.where, c.args, err
}

// caseConditions are a case filter written as SQL for a user: the WHERE
// conditions (each starting with AND) and their arguments, and whether a
// list of them should gather its cases by unit and sort them (listOrder)
// rather than walk the index of its order.
type caseConditions struct {
	where string
	args  []any
	// gatherByUnit is set on SQLite, which keeps no statistics, when the
	// filter names a small subtree (an outlet, a sub-branch) and statuses:
	// the engine would otherwise walk the status's index in the list's
	// order, checking each case's unit, and a sub-branch's queue of
	// investigating cases read every investigating case of the bank (10,902
	// at 1,000,000 cases) for its 50; by unit and status it reads the
	// unit's few and sorts them.
	gatherByUnit bool
}

// caseConditionsOf is filterSQL with what a list needs to choose its order.
func (db *DB) caseConditionsOf(ctx context.Context, u *redress.User, f *redress.CaseFilter, hideAccusations bool) (caseConditions, error) {
	gather := false
	var p redress.Problems
	f.Normalize(&p)
	sort, _ := redress.ParseCaseSort(f.Sort) // Normalize checked it
	var cursor []any
	if f.Cursor != "" {
		var ok bool
		if cursor, ok = decodeCursor(f.Cursor, sort); !ok {
			p.Add("cursor", "not a cursor from a previous page")
		}
	}
	if err := p.Err(); err != nil {
		return caseConditions{}, err
	}
	where, args, err := db.unitScopeSQL(ctx, u)
	if err != nil {
		return caseConditions{}, err
	}
	if hideAccusations {
		hidden, hiddenArgs := accusationHiddenSQL(u)
		where, args = hidden+where, append(hiddenArgs, args...)
	}
	add := func(cond string, values ...any) {
		where += " AND " + cond
		args = append(args, values...)
	}
	if len(f.Status) > 0 {
		column := "c.status"
		if f.ReturnVisit && db.dialect.name == "sqlite" {
			// The 待回访 queue's cases are closed, most of the bank's: on
			// SQLite, which keeps no statistics, the status index would win
			// over the partial index of open return visits, and read them all.
			column = "+" + column
		}
		cond, values := statusIn(column, f.Status)
		add(cond, values...)
	}
	if f.Kind != "" {
		add("c.kind = ?", f.Kind)
	}
	if f.Channel != "" {
		add("c.channel = ?", f.Channel)
	}
	if f.Org != "" {
		org, err := db.orgByCode(ctx, db.reads(), "org", f.Org)
		if err != nil {
			return caseConditions{}, err
		}
		units, err := db.subtree(ctx, org.Path)
		if err != nil {
			return caseConditions{}, err
		}
		add(units.in("c.org_id"))
		gather = db.dialect.name == "sqlite" && !units.unseeked && len(units.ids) > 0 && len(f.Status) > 0 && !f.ReturnVisit
	}
	if f.OriginOrg != "" {
		org, err := db.orgByCode(ctx, db.reads(), "origin_org", f.OriginOrg)
		if err != nil {
			return caseConditions{}, err
		}
		add("c.origin_org_id = ?", org.ID)
	}
	if f.Handler != "" {
		add("c.handler_id = (SELECT id FROM users WHERE login = ?)", f.Handler)
	}
	if f.NotHandler != "" {
		add("(c.handler_id IS NULL OR c.handler_id <> (SELECT id FROM users WHERE login = ?))", f.NotHandler)
	}
	if f.FirstResponder != "" {
		add("c.first_responder_id = (SELECT id FROM users WHERE login = ?)", f.FirstResponder)
	}
	if f.Level != 0 {
		add("c.level = ?", f.Level)
	}
	if f.Overdue != nil {
		cond, values := overdueSQL(redress.Today(db.now()))
		if !*f.Overdue {
			cond = "NOT (" + cond + ")"
		}
		add(cond, values...)
	}
	start, end, _ := redress.DayRange(f.ReceivedFrom, f.ReceivedTo) // validated
	if f.ReceivedFrom != "" {
		add("c.received_at >= ?", timeText(start))
	}
	if f.ReceivedTo != "" {
		add("c.received_at < ?", timeText(end))
	}
	for _, l := range []struct{ kind, column, value string }{
		{"phone", "c.c_phone_idx", f.Phone}, {"id", "c.c_id_number_idx", f.IDNumber}, {"account", "c.c_account_idx", f.Account},
	} {
		if l.value != "" {
			add(l.column+" = ?", db.keyring().BlindIndex(l.kind, l.value))
		}
	}
	if f.Code != "" {
		// The code or any code below it (B03 holds B0301); Normalize let
		// only letters and digits through, so the pattern has no wildcard.
		prefix := f.Code + "%"
		add("(c.code_a LIKE ? OR c.code_b LIKE ? OR c.code_c LIKE ?)", prefix, prefix, prefix)
	}
	if f.ReturnVisit { // return_visit.go: the 待回访 queue
		// A literal, not an argument: the partial index of open visits
		// (cases_return_visit_open) serves only a condition it can see.
		add("c.return_visit_status = '" + string(redress.VisitOpen) + "'")
	}
	if f.DueBy != "" {
		open, values := statusIn("c.status", redress.OpenStatuses)
		add(open+" AND c.decision_due <= ?", append(values, f.DueBy)...)
	}
	if cursor != nil {
		// The rows after the cursor's (key, id) in the list's order.
		col, op := sortColumn(sort.Key), ">"
		if sort.Desc {
			op = "<"
		}
		// The first bound, implied by the rest, is what lets both engines
		// seek the index to the cursor: without it SQLite scanned the index
		// from the top on every page (an export of 100,000 cases read 25
		// million index entries).
		add(col+" "+op+"= ? AND ("+col+" "+op+" ? OR ("+col+" = ? AND c.id "+op+" ?))", cursor[0], cursor[0], cursor[0], cursor[1])
	}
	return caseConditions{where: where, args: args, gatherByUnit: gather}, nil
}

// sortColumn is the SQL of a sort's key. Priority compares by rank
// (redress.PriorityRank), written from the root's list: the values are
// the vocabulary's own lowercase words, never user input.
func sortColumn(key redress.SortKey) string {
	switch key {
	case redress.SortDue:
		return "c.decision_due"
	case redress.SortVisit:
		return "c.return_visit_due"
	case redress.SortLevel:
		return "c.level"
	case redress.SortPriority:
		var b strings.Builder
		b.WriteString("(CASE c.priority")
		for _, p := range redress.Priorities {
			fmt.Fprintf(&b, " WHEN '%s' THEN %d", p, redress.PriorityRank(p))
		}
		b.WriteString(" END)")
		return b.String()
	}
	return "c.received_at"
}

// caseOrder is the ORDER BY of a case list's sort (a value Normalize
// accepted): the key, then the id, both in the sort's direction.
func caseOrder(sortValue string) string { return orderBy(sortValue, "") }

// listOrder is the ORDER BY of a list of the cases of c: caseOrder, or,
// when c gathers its cases by unit, the same order written (+key) so that
// no index serves it and the engine sorts the cases it gathered.
func listOrder(sortValue string, c caseConditions) string {
	if c.gatherByUnit {
		return orderBy(sortValue, "+")
	}
	return caseOrder(sortValue)
}

// orderBy writes the ORDER BY of a sort, its key prefixed with prefix.
func orderBy(sortValue, prefix string) string {
	sort, _ := redress.ParseCaseSort(sortValue)
	dir := ""
	if sort.Desc {
		dir = " DESC"
	}
	return " ORDER BY " + prefix + sortColumn(sort.Key) + dir + ", c.id" + dir
}

// sortKeyOf is the value of a sort's key for one row, as the cursor keeps it.
func sortKeyOf(c *caseRow, key redress.SortKey) string {
	switch key {
	case redress.SortDue:
		return c.DecisionDue
	case redress.SortVisit:
		return c.returnVisitOrZero().Due
	case redress.SortLevel:
		return strconv.Itoa(c.Level)
	case redress.SortPriority:
		return strconv.Itoa(redress.PriorityRank(c.Priority))
	}
	return timeText(c.ReceivedAt)
}

// encodeCursor makes the keyset cursor after c for the list's order.
func encodeCursor(c *caseRow, sortValue string) string {
	sort, _ := redress.ParseCaseSort(sortValue)
	return base64.RawURLEncoding.EncodeToString([]byte(sortKeyOf(c, sort.Key) + "|" + strconv.FormatInt(c.ID, 10)))
}

// decodeCursor reads a cursor of the sort: its key (in the key's own type,
// so that both engines compare it as the column's) and the id after which
// the page starts. A cursor of another sort does not decode.
func decodeCursor(s string, sort redress.CaseSort) ([]any, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, false
	}
	keyText, idText, ok := strings.Cut(string(raw), "|")
	if !ok {
		return nil, false
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		return nil, false
	}
	var key any = keyText
	switch sort.Key {
	case redress.SortVisit:
		if keyText != "" { // a case with no return visit has no due date
			_, err = redress.ParseDate(keyText)
		}
	case redress.SortDue:
		_, err = redress.ParseDate(keyText)
	case redress.SortLevel, redress.SortPriority:
		var n int64
		n, err = strconv.ParseInt(keyText, 10, 64)
		key = n
	default:
		_, err = parseTime(keyText)
	}
	if err != nil {
		return nil, false
	}
	return []any{key, id}, true
}
