package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// batchWrites holds what the jobs of a group-commit batch write and nothing
// in the batch reads back: the audit events with the chain's head, the new
// cases' first deadline entries and their search documents. The batch
// writes them after its jobs, each table in multi-row INSERTs (write): on
// PostgreSQL every statement is a round trip on the committer's one
// connection, and on SQLite one call through the driver, so an intake's
// event and deadline entry cost the batch a share of two statements
// instead of two of their own. The rows keep the order the jobs made them
// in, so the events' sequence numbers and hashes are those of the chain.
//
// The batch also takes the tracking numbers of its cases from the days'
// counters in one statement a day (caseNumber), not one a case.
type batchWrites struct {
	head      batchHead
	events    [][]any // event rows, in eventColumns order
	deadlines [][]any // case_deadline_changes rows, in deadlineChangeColumns order
	docs      [][]any // search documents: case id, text
	numbers   map[string]dayNumbers
	// jobsLeft is how many of the batch's jobs have yet to run, the one
	// running included: the most tracking numbers the batch may still need.
	jobsLeft int
	latest   latestReceipt // the latest receipt stored, for markLaterRepeats
}

// latestReceipt is the latest receipt time of the stored cases (timeText)
// as a transaction that inserts cases knows it: read once (an index's last
// entry), then moved on by the transaction's own cases (receivedBefore).
// A group-commit batch and the bulk loader's transactions keep one, so that
// markLaterRepeats runs its UPDATE only for a case received before another.
type latestReceipt struct {
	at   string
	read bool
}

// receivedBefore reports whether a case is stored that was received after
// received, the time of receipt of a case the transaction has just
// inserted. A job rolled back leaves its receipt in at, which can only make
// a later one look again.
func (l *latestReceipt) receivedBefore(ctx context.Context, tx *Tx, received string) (bool, error) {
	if !l.read {
		var latest sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT MAX(received_at) FROM cases`).Scan(&latest); err != nil {
			return false, fmt.Errorf("latest receipt: %w", err)
		}
		l.at, l.read = latest.String, true
	}
	later := l.at > received
	l.at = max(l.at, received)
	return later, nil
}

// dayNumbers are the tracking numbers of a bank day a batch has reserved:
// next is the next to hand out, last the last reserved.
type dayNumbers struct{ next, last int64 }

// caseNumber hands out the next tracking number of day. The first case of
// a day in the batch reserves a number for each job left (the day's counter
// row stays locked until the batch commits, so no one else takes them), and
// write gives back those not used, so the day's numbers have no gaps.
func (b *batchWrites) caseNumber(ctx context.Context, tx *Tx, day string) (int64, error) {
	r, ok := b.numbers[day]
	if !ok || r.next > r.last {
		n := int64(max(1, b.jobsLeft))
		last, err := reserveCaseNumbers(ctx, tx, day, n)
		if err != nil {
			return 0, err
		}
		if ok && r.last != last-n {
			return 0, fmt.Errorf("tracking numbers of %s: the counter moved from %d to %d in the batch", day, r.last, last-n)
		}
		if !ok {
			r.next = last - n + 1
		}
		r.last = last
	}
	if b.numbers == nil {
		b.numbers = map[string]dayNumbers{}
	}
	seq := r.next
	r.next++
	b.numbers[day] = r
	return seq, nil
}

// batchMark is how far a batch's writes had come before a job ran: a job
// rolled back to its savepoint gives back what it added (undo).
type batchMark struct {
	head                    batchHead
	events, deadlines, docs int
	numbers                 map[string]dayNumbers
}

// mark returns how far the writes have come.
func (b *batchWrites) mark() batchMark {
	return batchMark{head: b.head, events: len(b.events), deadlines: len(b.deadlines), docs: len(b.docs),
		numbers: maps.Clone(b.numbers)}
}

// undo drops what was added since m. The job's tracking numbers come back
// to be handed out again; a reservation it made stands (the savepoint's
// rollback undid its counter row's move, and the reservation is forgotten
// with it: the next case reserves again).
func (b *batchWrites) undo(m batchMark) {
	b.head = m.head
	b.events, b.deadlines, b.docs = b.events[:m.events], b.deadlines[:m.deadlines], b.docs[:m.docs]
	b.numbers = m.numbers
}

// write gives back the tracking numbers reserved and not used, and inserts
// the batch's rows after its jobs: the events, the chain's head, the
// deadline entries, and the search documents last (on SQLite, every writing
// statement that follows a write to the full-text table in a transaction
// makes FTS5 flush its pending terms).
func (b *batchWrites) write(ctx context.Context, tx *Tx) error {
	for _, day := range slices.Sorted(maps.Keys(b.numbers)) {
		if r := b.numbers[day]; r.next <= r.last { // reserved, not used: given back
			if _, err := tx.ExecContext(ctx, `UPDATE case_counters SET last = ? WHERE day = ?`, r.next-1, day); err != nil {
				return fmt.Errorf("tracking numbers of %s: %w", day, err)
			}
		}
	}
	if err := insertRows(ctx, tx, `INSERT INTO events (`+eventColumns+`)`, eventValues, b.events); err != nil {
		return fmt.Errorf("insert events: %w", err)
	}
	if b.head.moved {
		if err := writeAuditHead(ctx, tx, b.head.seq, b.head.hash); err != nil {
			return err
		}
	}
	if err := insertRows(ctx, tx, `INSERT INTO case_deadline_changes (`+deadlineChangeColumns+`)`, deadlineChangeValues,
		b.deadlines); err != nil {
		return fmt.Errorf("record deadline changes: %w", err)
	}
	head, row := tx.dialect.searchInsert()
	if err := insertRows(ctx, tx, head, row, b.docs); err != nil {
		return fmt.Errorf("search documents: %w", err)
	}
	return nil
}

// rowsPerInsert bounds the rows of one multi-row INSERT: a batch's jobs
// (maxBatch) fit in one (a job may write several events), and 64 rows of
// the widest table here (events, 13 columns) stay far below either
// engine's limit on arguments.
const rowsPerInsert = 64

// insertRows inserts rows with multi-row INSERTs of up to rowsPerInsert
// rows: head is the INSERT up to its VALUES, row the parenthesised values of
// one row (placeholders, possibly inside expressions).
func insertRows(ctx context.Context, tx *Tx, head, row string, rows [][]any) error {
	for len(rows) > 0 {
		n := min(len(rows), rowsPerInsert)
		var b strings.Builder
		b.WriteString(head)
		b.WriteString(" VALUES ")
		args := make([]any, 0, n*len(rows[0]))
		for i, r := range rows[:n] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(row)
			args = append(args, r...)
		}
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}
