package sqldb

import (
	"context"
	"encoding/base64"
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
func overdueSQL(today string) (string, []any) {
	open, args := statusIn("c.status", redress.OpenStatuses)
	return open + " AND c.paused_since IS NULL AND c.decision_due < ?", append(args, today)
}

// caseFilterSQL returns the WHERE conditions (each starting with AND) and
// arguments of a case filter for the user: their scope first, then each
// filter. The filter is normalised and validated by the domain
// (redress.CaseFilter.Normalize); this checks the cursor and writes SQL.
func (db *DB) caseFilterSQL(ctx context.Context, u *redress.User, f *redress.CaseFilter) (string, []any, error) {
	var p redress.Problems
	f.Normalize(&p)
	var cursorKey string
	var cursorID int64
	if f.Cursor != "" {
		var ok bool
		if cursorKey, cursorID, ok = decodeCursor(f.Cursor, f.Sort); !ok {
			p.Add("cursor", "not a cursor from a previous page")
		}
	}
	if err := p.Err(); err != nil {
		return "", nil, err
	}
	where, args := caseScopeSQL(u)
	add := func(cond string, values ...any) {
		where += " AND " + cond
		args = append(args, values...)
	}
	if len(f.Status) > 0 {
		cond, values := statusIn("c.status", f.Status)
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
			return "", nil, err
		}
		add("c.org_id IN (SELECT id FROM org_units WHERE path LIKE ?)", org.Path+"%")
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
	if f.DueBy != "" {
		open, values := statusIn("c.status", redress.OpenStatuses)
		add(open+" AND c.decision_due <= ?", append(values, f.DueBy)...)
	}
	if f.Cursor != "" {
		// The first bound, implied by the rest, is what lets both engines
		// seek the index to the cursor: without it SQLite scanned the index
		// from the top on every page (an export of 100,000 cases read 25
		// million index entries).
		if f.Sort == "due" {
			add("c.decision_due >= ? AND (c.decision_due > ? OR (c.decision_due = ? AND c.id > ?))", cursorKey, cursorKey, cursorKey, cursorID)
		} else {
			add("c.received_at <= ? AND (c.received_at < ? OR (c.received_at = ? AND c.id < ?))", cursorKey, cursorKey, cursorKey, cursorID)
		}
	}
	return where, args, nil
}

// caseOrder is the ORDER BY of a case list's sort.
func caseOrder(sort string) string {
	if sort == "due" {
		return ` ORDER BY c.decision_due, c.id`
	}
	return ` ORDER BY c.received_at DESC, c.id DESC`
}

// encodeCursor makes the keyset cursor after c for the list's order.
func encodeCursor(c *caseRow, sort string) string {
	key := timeText(c.ReceivedAt)
	if sort == "due" {
		key = c.DecisionDue
	}
	return base64.RawURLEncoding.EncodeToString([]byte(key + "|" + strconv.FormatInt(c.ID, 10)))
}

func decodeCursor(s, sort string) (string, int64, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return "", 0, false
	}
	key, idText, ok := strings.Cut(string(raw), "|")
	if !ok {
		return "", 0, false
	}
	if sort == "due" {
		if _, err := redress.ParseDate(key); err != nil {
			return "", 0, false
		}
	} else if _, err := parseTime(key); err != nil {
		return "", 0, false
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	return key, id, err == nil
}
