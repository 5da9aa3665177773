package sqldb

import (
	"context"
	"fmt"
	"strings"
)

// markLaterRepeats carries a new case's part of the repeat flags (migration
// 0044) onto the complainant's other cases. caseInsert gives the new case
// its own flags from the cases already stored; but a case may arrive out of
// time order (a letter registered days after it came in, an import of
// closed cases, the bulk loader, two registrations of one batch), and then
// the complainant's cases received after it now have an earlier case, and,
// if it was closed before they came in, a closed one. It runs in the
// inserting transaction; a case without a blind index changes nothing, and
// nor does one received last of all (in a batch or a bulk load, which know
// the latest receipt: latestReceipt), as most intakes are.
func markLaterRepeats(ctx context.Context, tx *Tx, c *caseRow) error {
	var ors []string
	var keys []any
	for i, idx := range c.blindIndexes() {
		if idx != "" {
			ors = append(ors, blindIndexColumns[i]+" = ?")
			keys = append(keys, idx)
		}
	}
	if len(ors) == 0 {
		return nil
	}
	if latest := tx.latestReceipt(); latest != nil {
		// No case received after this one: none to mark (a case closes after
		// it came in, so none received after its closing either).
		later, err := latest.receivedBefore(ctx, tx, timeText(c.ReceivedAt))
		if err != nil || !later {
			return err
		}
	}
	same := " AND (" + strings.Join(ors, " OR ") + ")"
	_, err := tx.ExecContext(ctx, `UPDATE cases SET repeat_prior = 1 WHERE repeat_prior = 0 AND id <> ? AND received_at > ?`+same,
		append([]any{c.ID, timeText(c.ReceivedAt)}, keys...)...)
	if err != nil {
		return fmt.Errorf("mark the later repeats of %s: %w", c.No, err)
	}
	if c.ClosedAt == nil {
		return nil
	}
	_, err = tx.ExecContext(ctx, `UPDATE cases SET repeat_after_closed = 1 WHERE repeat_after_closed = 0 AND id <> ? AND received_at > ?`+same,
		append([]any{c.ID, timeText(*c.ClosedAt)}, keys...)...)
	if err != nil {
		return fmt.Errorf("mark the repeats after %s was closed: %w", c.No, err)
	}
	return nil
}
