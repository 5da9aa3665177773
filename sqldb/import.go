package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"redress"
)

// This file imports a bank's history (issue 16 item 5): a run reads the
// rows of a file, checks each with the root's rules (ImportMapping,
// NewCase.Validate) and the units it names, skips the rows whose external
// number is already a case, and writes the others through the bulk loader
// (bulk.go) in transactions of importBatch rows: sealed personal data, blind
// indexes, tracking numbers, deadlines, the search document and a case.import
// event each. A dry run does the same in transactions rolled back. The run's
// counts and rejected rows are written after each batch, so the page follows
// it; the run ends with an import.run event.

var _ redress.ImportService = (*ImportService)(nil)

// importCaseAction is the audit action of a case brought in by an import.
const importCaseAction = "case.import"

// importRunAction is the audit action of a finished import run.
const importRunAction = "import.run"

// importBatch is how many rows one import transaction reads.
const importBatch = 2000

// ImportService implements redress.ImportService.
type ImportService struct{ db *DB }

// NewImportService returns the import service of db.
func NewImportService(db *DB) *ImportService { return &ImportService{db: db} }

const importRunSelect = `SELECT id, file, dry_run, state, rows_read, imported, skipped, rejected, started_by,
	started_at, finished_at, error FROM import_runs`

func scanImportRun(row interface{ Scan(...any) error }) (*redress.ImportRun, error) {
	r := &redress.ImportRun{}
	var started string
	var finished sql.NullString
	if err := row.Scan(&r.ID, &r.File, &r.DryRun, &r.State, &r.Rows, &r.Imported, &r.Skipped, &r.Rejected,
		&r.StartedBy, &started, &finished, &r.Error); err != nil {
		return nil, err
	}
	var err error
	if r.StartedAt, err = parseTime(started); err != nil {
		return nil, err
	}
	if r.FinishedAt, err = parseNullTime(finished); err != nil {
		return nil, err
	}
	return r, nil
}

// ImportUserAsOperator returns the user the command's import registers its
// cases as: a user holding case.import (the admin), not disabled. Whoever
// runs the command holds the database already; the cases still name a user.
func (db *DB) ImportUserAsOperator(ctx context.Context, login string) (*redress.User, error) {
	u, err := db.userByLogin(ctx, db.reads(), "as", login)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, redress.Errorf(redress.EFORBIDDEN, "user %s is disabled", login)
	}
	if err := redress.Require(u, redress.PermCaseImport); err != nil {
		return nil, err
	}
	return u, nil
}

// StartImport records a new run of the named file.
func (s *ImportService) StartImport(ctx context.Context, file string, dryRun bool) (*redress.ImportRun, error) {
	u := redress.UserFrom(ctx)
	if err := redress.Require(u, redress.PermCaseImport); err != nil {
		return nil, err
	}
	var p redress.Problems
	switch {
	case file == "":
		p.AddKey("file", redress.ProblemRequired)
	case redress.StorableTextProblem(file) != "":
		p.AddKey("file", redress.StorableTextProblem(file))
	case len(file) > 255:
		p.AddKey("file", redress.ProblemTooLongBytes, "255")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	now := s.db.now()
	var id int64
	err := s.db.writes().QueryRowContext(ctx, s.db.dialect.rebind(`INSERT INTO import_runs (file, dry_run, state, started_by, started_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`), file, dryRun, redress.ImportRunning, u.Login, timeText(now)).Scan(&id)
	if err != nil {
		return nil, fmt.Errorf("start import: %w", err)
	}
	return &redress.ImportRun{ID: id, File: file, DryRun: dryRun, State: redress.ImportRunning, StartedBy: u.Login, StartedAt: now}, nil
}

// ImportRun returns a run of the history import.
func (s *ImportService) ImportRun(ctx context.Context, id int64) (*redress.ImportRun, error) {
	if err := redress.Require(redress.UserFrom(ctx), redress.PermCaseImport); err != nil {
		return nil, err
	}
	r, err := scanImportRun(s.db.reads().QueryRowContext(ctx, importRunSelect+` WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, redress.Errorf(redress.ENOTFOUND, "no import run %d", id)
	}
	if err != nil {
		return nil, fmt.Errorf("import run %d: %w", id, err)
	}
	return r, nil
}

// ImportRuns lists the latest runs, newest first.
func (s *ImportService) ImportRuns(ctx context.Context, limit int) ([]redress.ImportRun, error) {
	if err := redress.Require(redress.UserFrom(ctx), redress.PermCaseImport); err != nil {
		return nil, err
	}
	rows, err := s.db.reads().QueryContext(ctx, importRunSelect+` ORDER BY id DESC LIMIT ?`, max(limit, 1))
	if err != nil {
		return nil, fmt.Errorf("import runs: %w", err)
	}
	defer rows.Close()
	var out []redress.ImportRun
	for rows.Next() {
		r, err := scanImportRun(rows)
		if err != nil {
			return nil, fmt.Errorf("import runs: %w", err)
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}

// ImportRejects yields the rejected rows of a run in row order.
func (s *ImportService) ImportRejects(ctx context.Context, id int64, yield func(redress.ImportReject) error) error {
	if _, err := s.ImportRun(ctx, id); err != nil {
		return err
	}
	rows, err := s.db.reads().QueryContext(ctx, `SELECT row_no, external_no, field, reason, problem FROM import_rejects
		WHERE run_id = ? ORDER BY row_no, field`, id)
	if err != nil {
		return fmt.Errorf("import rejects: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r redress.ImportReject
		if err := rows.Scan(&r.Row, &r.ExternalNo, &r.Field, &r.Reason, &r.Problem); err != nil {
			return fmt.Errorf("import rejects: %w", err)
		}
		if err := yield(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// RunImport reads a started run's rows (see the file comment). A row whose
// external number is already a case is skipped; a row that breaks a rule is
// rejected with every reason; a failure of the store ends the run failed,
// keeping the batches committed before it (a re-run skips them).
func (s *ImportService) RunImport(ctx context.Context, id int64, in redress.ImportInput) (*redress.ImportRun, error) {
	u := redress.UserFrom(ctx)
	run, err := s.ImportRun(ctx, id)
	if err != nil {
		return nil, err
	}
	if run.State != redress.ImportRunning || run.StartedBy != u.Login || run.Rows != 0 {
		return nil, redress.Errorf(redress.ECONFLICT, "import run %d is not waiting to run", id)
	}
	runErr := s.db.runImport(ctx, u, run, in)
	if runErr != nil {
		run.State, run.Error = redress.ImportFailed, redress.CutText(runErr.Error(), 2000)
	} else {
		run.State = redress.ImportDone
	}
	if err := s.db.finishImport(context.WithoutCancel(ctx), u, run); err != nil {
		return run, errors.Join(runErr, err)
	}
	return run, runErr
}

// runImport reads the rows in batches; see RunImport.
func (db *DB) runImport(ctx context.Context, u *redress.User, run *redress.ImportRun, in redress.ImportInput) error {
	mapping, err := redress.NewImportMapping(in.Header)
	if err != nil {
		run.Rejected = 1
		if werr := db.writeImportProgress(ctx, run, redress.ImportRejectsOf(1, "", err)); werr != nil {
			return werr
		}
		return fmt.Errorf("the header row: %w", err)
	}
	l, err := db.newCaseLoader(ctx)
	if err != nil {
		return err
	}
	known, err := db.externalNumbers(ctx)
	if err != nil {
		return err
	}
	seen := map[string]int64{} // external number → its row in this file
	now := db.now()
	var tx *Tx
	var stmt *sql.Stmt
	var rejects []redress.ImportReject
	inBatch := 0
	flush := func() error {
		if tx != nil {
			stmt.Close()
			var err error
			if run.DryRun {
				err = tx.rollback()
				clear(l.dirty)
				clear(l.held)
			} else if err = l.writeCounters(ctx, tx); err == nil {
				err = tx.commit()
			}
			tx, stmt = nil, nil
			if err != nil {
				return fmt.Errorf("commit: %w", err)
			}
		}
		if err := db.writeImportProgress(ctx, run, rejects); err != nil {
			return err
		}
		rejects, inBatch = rejects[:0], 0
		if in.Progress != nil {
			in.Progress(*run)
		}
		return nil
	}
	defer func() {
		if tx != nil {
			stmt.Close()
			tx.rollback()
		}
	}()
	for line, err := range in.Rows {
		row, cells := line.Row, line.Cells
		if err != nil {
			return errors.Join(fmt.Errorf("row %d: %w", row, err), flush())
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		run.Rows++
		inBatch++
		ic, err := mapping.ReadImportRow(cells, now)
		var problems []redress.ImportReject
		if err != nil {
			problems = redress.ImportRejectsOf(row, mapping.ExternalNo(cells), err)
		} else if first, dup := seen[ic.ExternalNo]; dup {
			problems = redress.ImportRejectsOf(row, ic.ExternalNo, redress.FieldError(redress.EINVALID, "invalid input",
				string(redress.ImportExternalNo), redress.ProblemImportDuplicate, strconv.FormatInt(first, 10)))
		}
		if org := mapping.Cell(cells, redress.ImportOrg); org != "" {
			if _, ok := l.units[org]; !ok {
				problems = append(problems, redress.ImportRejectsOf(row, mapping.ExternalNo(cells), redress.FieldError(redress.EINVALID,
					"invalid input", string(redress.ImportOrg), redress.ProblemNoSuchOrg, org))...)
			}
		}
		switch {
		case len(problems) > 0:
			run.Rejected++
			rejects = append(rejects, problems...)
		case known[ic.ExternalNo]:
			seen[ic.ExternalNo] = row
			run.Skipped++
		default:
			seen[ic.ExternalNo] = row
			if tx == nil {
				if tx, err = db.beginTx(ctx); err != nil {
					return err
				}
				tx.loaded = &latestReceipt{}
				if stmt, err = tx.prepare(ctx, tx.dialect.insertIDQuery(caseInsert)); err != nil {
					return fmt.Errorf("prepare: %w", err)
				}
			}
			if err := l.insert(ctx, tx, stmt, importedBulkCase(ic, u.Login, run, now)); err != nil {
				return fmt.Errorf("row %d: %w", row, err)
			}
			run.Imported++
		}
		if inBatch >= importBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// importedBulkCase is the bulk case of an imported row: its own dates and
// status; the reply clock of an ended case answered when it was decided
// (else when it ended).
func importedBulkCase(ic *redress.ImportedCase, login string, run *redress.ImportRun, now time.Time) *BulkCase {
	b := &BulkCase{NewCase: ic.NewCase, FirstResponder: login, RegisteredAt: ic.ReceivedAt, UpdatedAt: now,
		Status: ic.Status, RepliedAt: ic.DecidedAt, ClosedAt: ic.ClosedAt, EndReason: ic.EndReason,
		Import: &BulkImport{ExternalNo: ic.ExternalNo, Run: run.ID, File: run.File, At: now}}
	if ic.Status.Archived() {
		b.ReplySatisfiedAt = ic.ClosedAt
		if ic.DecidedAt != nil {
			b.ReplySatisfiedAt = ic.DecidedAt
		}
	}
	return b
}

// externalNumbers reads the external numbers of the cases imported before.
func (db *DB) externalNumbers(ctx context.Context) (map[string]bool, error) {
	rows, err := db.writes().QueryContext(ctx, `SELECT external_no FROM cases WHERE external_no IS NOT NULL`)
	if err != nil {
		return nil, fmt.Errorf("read external numbers: %w", err)
	}
	defer rows.Close()
	known := map[string]bool{}
	for rows.Next() {
		var no string
		if err := rows.Scan(&no); err != nil {
			return nil, fmt.Errorf("read external numbers: %w", err)
		}
		known[no] = true
	}
	return known, rows.Err()
}

// writeImportProgress stores a run's counts and the rejects of its last batch.
func (db *DB) writeImportProgress(ctx context.Context, run *redress.ImportRun, rejects []redress.ImportReject) error {
	return db.inTx(ctx, func(tx *Tx) error {
		for _, r := range rejects {
			_, err := tx.ExecContext(ctx, `INSERT INTO import_rejects (run_id, row_no, external_no, field, reason, problem)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, run.ID, r.Row, r.ExternalNo, r.Field, r.Reason, r.Problem)
			if err != nil {
				return fmt.Errorf("record rejected row %d: %w", r.Row, err)
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE import_runs SET rows_read = ?, imported = ?, skipped = ?, rejected = ? WHERE id = ?`,
			run.Rows, run.Imported, run.Skipped, run.Rejected, run.ID)
		if err != nil {
			return fmt.Errorf("record import progress: %w", err)
		}
		return nil
	})
}

// finishImport stores a run's end and its import.run audit event.
func (db *DB) finishImport(ctx context.Context, u *redress.User, run *redress.ImportRun) error {
	now := db.now()
	run.FinishedAt = &now
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE import_runs SET state = ?, rows_read = ?, imported = ?, skipped = ?, rejected = ?,
			finished_at = ?, error = ? WHERE id = ?`, run.State, run.Rows, run.Imported, run.Skipped, run.Rejected,
			timeText(now), run.Error, run.ID)
		if err != nil {
			return fmt.Errorf("finish import run %d: %w", run.ID, err)
		}
		count := func(n int64) string { return strconv.FormatInt(n, 10) }
		return db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectImport, count(run.ID)),
			Actor: u.Login, Action: importRunAction, At: now, Changes: []redress.Change{
				{Field: "file", After: run.File}, {Field: "dry_run", After: strconv.FormatBool(run.DryRun)},
				{Field: "state", After: string(run.State)}, {Field: "rows", After: count(run.Rows)},
				{Field: "imported", After: count(run.Imported)}, {Field: "skipped", After: count(run.Skipped)},
				{Field: "rejected", After: count(run.Rejected)}, {Field: "error", After: run.Error}}})
	})
}

// acknowledgeImportedClocks records the clocks an imported open case had
// overdue on the day of the import as notified, so the sweep sends no
// notice and no escalation for them (redress.ImportOverdueClocks).
func (db *DB) acknowledgeImportedClocks(ctx context.Context, tx *Tx, c *caseRow, at time.Time) error {
	for _, clock := range redress.ImportOverdueClocks(c.Case, redress.DateOf(at)) {
		_, err := tx.ExecContext(ctx, `INSERT INTO deadline_alerts (case_id, clock, kind, due_date, created_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, c.ID, clock, redress.NotifyOverdue, c.Due(clock), timeText(at))
		if err != nil {
			return fmt.Errorf("acknowledge %s of %s: %w", clock, c.No, err)
		}
	}
	return nil
}
