package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"redress"
)

// This file keeps the background exports (export_jobs): who started each,
// on which server, its progress and its end. The files are the web
// server's (its data directory).

var _ redress.ExportJobService = (*ExportService)(nil)

const exportJobSelect = `SELECT id, owner, node, what, format, filter, state, rows_done, total, error,
	started_at, finished_at, expires_at FROM export_jobs`

func scanExportJob(row interface{ Scan(...any) error }) (*redress.ExportJob, error) {
	j := &redress.ExportJob{}
	var started string
	var finished, expires sql.NullString
	if err := row.Scan(&j.ID, &j.Owner, &j.Node, &j.What, &j.Format, &j.Filter, &j.State, &j.Rows, &j.Total, &j.Error,
		&started, &finished, &expires); err != nil {
		return nil, err
	}
	var err error
	if j.StartedAt, err = parseTime(started); err != nil {
		return nil, err
	}
	if j.FinishedAt, err = parseNullTime(finished); err != nil {
		return nil, err
	}
	if j.ExpiresAt, err = parseNullTime(expires); err != nil {
		return nil, err
	}
	return j, nil
}

// StartExportJob records a new running job of the user in ctx, within the
// limits counted over the running jobs of every server sharing the database.
func (s *ExportService) StartExportJob(ctx context.Context, j redress.ExportJob, limits redress.ExportJobLimits) (*redress.ExportJob, error) {
	u, err := redress.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	if !redress.ValidExportJobID(j.ID) || j.Node == "" {
		return nil, fmt.Errorf("start export job: an ID of NewExportJobID and a node are required")
	}
	j.Owner, j.State, j.Rows, j.Error, j.StartedAt = u.Login, redress.JobRunning, 0, "", s.db.now().In(redress.Beijing)
	j.FinishedAt, j.ExpiresAt = nil, nil
	err = s.db.inTx(ctx, func(tx *Tx) error {
		if lock := s.db.dialect.exportJobsLock; lock != "" {
			if _, err := tx.ExecContext(ctx, lock); err != nil {
				return err
			}
		}
		var mine, all int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN owner = ? THEN 1 ELSE 0 END), 0), COUNT(*)
			FROM export_jobs WHERE state = ?`, u.Login, redress.JobRunning).Scan(&mine, &all); err != nil {
			return err
		}
		if err := limits.Admit(mine, all); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO export_jobs (id, owner, node, what, format, filter, state, total, started_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, j.ID, j.Owner, j.Node, j.What, j.Format, j.Filter, j.State, j.Total, timeText(j.StartedAt))
		return err
	})
	if err != nil {
		return nil, wrap("start export job", err)
	}
	return &j, nil
}

// ExportJob returns a job of the user in ctx; another user's answers
// ENOTFOUND, exactly as a missing one.
func (s *ExportService) ExportJob(ctx context.Context, id string) (*redress.ExportJob, error) {
	u, err := redress.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	notFound := redress.Errorf(redress.ENOTFOUND, "export job %s not found", id)
	if !redress.ValidExportJobID(id) {
		return nil, notFound
	}
	j, err := scanExportJob(s.db.reads().QueryRowContext(ctx, exportJobSelect+` WHERE id = ? AND owner = ?`, id, u.Login))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound
	}
	if err != nil {
		return nil, fmt.Errorf("export job %s: %w", id, err)
	}
	return j, nil
}

// ExportJobProgress records the rows a running job has written.
func (s *ExportService) ExportJobProgress(ctx context.Context, id string, rows int) error {
	return wrap("export job progress", s.db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE export_jobs SET rows_done = ? WHERE id = ? AND state = ?`, rows, id, redress.JobRunning)
		return err
	}))
}

// FinishExportJob ends a running job, done or failed; it expires keep
// after now.
func (s *ExportService) FinishExportJob(ctx context.Context, id string, rows int, failure string, keep time.Duration) error {
	state := redress.JobDone
	if failure != "" {
		state = redress.JobFailed
	}
	now := s.db.now()
	return wrap("finish export job", s.db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE export_jobs SET state = ?, rows_done = ?, error = ?, finished_at = ?, expires_at = ?
			WHERE id = ? AND state = ?`, state, rows, failure, timeText(now), timeText(now.Add(keep)), id, redress.JobRunning)
		return err
	}))
}

// FailInterruptedExportJobs marks failed every job still running on node:
// its server stopped before the job ended. They expire at once.
func (s *ExportService) FailInterruptedExportJobs(ctx context.Context, node string) (int, error) {
	var n int64
	now := timeText(s.db.now())
	err := s.db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE export_jobs SET state = ?, error = ?, finished_at = ?, expires_at = ?
			WHERE state = ? AND node = ?`, redress.JobFailed, redress.ReasonJobInterrupted, now, now, redress.JobRunning, node)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), wrap("fail interrupted export jobs", err)
}

// DeleteExpiredExportJobs deletes the finished jobs of node whose expiry
// has passed and returns their IDs.
func (s *ExportService) DeleteExpiredExportJobs(ctx context.Context, node string) ([]string, error) {
	var ids []string
	err := s.db.inTx(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `DELETE FROM export_jobs WHERE node = ? AND state <> ? AND expires_at <= ? RETURNING id`,
			node, redress.JobRunning, timeText(s.db.now()))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return rows.Err()
	})
	return ids, wrap("delete expired export jobs", err)
}
