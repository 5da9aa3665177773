package sqldb

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"redress"
)

// RotationReport counts what a key rotation did.
type RotationReport struct {
	KeyVersion int   // the version everything is now sealed under
	Cases      int64 // cases examined
	Resealed   int64 // cases whose fields were re-encrypted
	Remaining  int64 // cases still holding an older version (written concurrently; run again)
	Users      int64 // staff mobile numbers re-encrypted
	Lost       int64 // receivers' ID numbers of the lost-property register re-encrypted
	Reception  int64 // visits of the reception log whose visitor's phone or ID number was re-encrypted
}

// rotateBatch is how many cases one rotation transaction re-encrypts: small
// enough that the single writer is never held for long, so serving goes on.
const rotateBatch = 200

// RotateKeys re-encrypts every protected field that is not sealed under the
// current key version, in short transactions. Each update is conditional on
// the ciphertext it read, so a concurrent change is never overwritten; such
// a row is counted as remaining. The blind indexes do not change.
func (db *DB) RotateKeys(ctx context.Context) (*RotationReport, error) {
	ring := db.keyring()
	report := &RotationReport{KeyVersion: ring.Current()}
	var after int64
	for {
		n, last, err := db.rotateBatch(ctx, ring, after, report)
		if err != nil {
			return report, fmt.Errorf("rotate keys: %w", err)
		}
		if n == 0 {
			break
		}
		after = last
	}
	if err := db.rotateUserMobiles(ctx, ring, report); err != nil {
		return report, fmt.Errorf("rotate keys: %w", err)
	}
	if err := db.rotateLost(ctx, ring, report); err != nil {
		return report, fmt.Errorf("rotate keys: %w", err)
	}
	if err := db.rotateReception(ctx, ring, report); err != nil {
		return report, fmt.Errorf("rotate keys: %w", err)
	}
	err := db.inTx(ctx, func(tx *Tx) error {
		return db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectKeys, ""), Actor: actorOr(ctx, "operator"), Action: "keys.rotate", At: db.now(),
			Changes: []redress.Change{{Field: "key_version", After: strconv.Itoa(report.KeyVersion)}},
			Detail:  fmt.Sprintf("%d cases examined, %d re-encrypted, %d remaining", report.Cases, report.Resealed, report.Remaining)})
	})
	if err != nil {
		return report, fmt.Errorf("rotate keys: %w", err)
	}
	return report, nil
}

type sealedRow struct {
	id      int64
	no      string
	columns [len(sealedColumns)]string // as sealedColumns
}

// sealedColumns are the sealed columns of a case and sealedFields the
// fields they hold (the seal's associated data names the field).
var (
	sealedColumns = [...]string{"c_id_number_enc", "c_phone_enc", "c_account_enc", "c_address_enc", "c_email_enc"}
	sealedFields  = [len(sealedColumns)]string{"id_number", "phone", "account", "address", "email"}
)

// rotateSelect and rotateUpdate read and conditionally rewrite the sealed
// columns of a case, in sealedColumns' order.
var (
	rotateSelect = `SELECT id, no, ` + strings.Join(sealedColumns[:], ", ") + ` FROM cases WHERE id > ? ORDER BY id LIMIT ?`
	rotateUpdate = `UPDATE cases SET ` + strings.Join(sealedColumns[:], " = ?, ") + ` = ? WHERE id = ? AND ` +
		strings.Join(sealedColumns[:], " = ? AND ") + ` = ?`
)

func (db *DB) rotateBatch(ctx context.Context, ring *redress.Keyring, after int64, report *RotationReport) (int, int64, error) {
	rows, err := db.reads().QueryContext(ctx, rotateSelect, after, rotateBatch)
	if err != nil {
		return 0, 0, err
	}
	var batch []sealedRow
	for rows.Next() {
		var r sealedRow
		dest := []any{&r.id, &r.no}
		for i := range r.columns {
			dest = append(dest, &r.columns[i])
		}
		if err := rows.Scan(dest...); err != nil {
			rows.Close()
			return 0, 0, err
		}
		batch = append(batch, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, 0, err
	}
	if len(batch) == 0 {
		return 0, after, nil
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		for _, r := range batch {
			resealed, changed, err := db.reseal(ring, r)
			if err != nil {
				return err
			}
			report.Cases++
			if !changed {
				continue
			}
			args := make([]any, 0, 2*len(sealedColumns)+1)
			for _, v := range resealed {
				args = append(args, v)
			}
			args = append(args, r.id)
			for _, v := range r.columns {
				args = append(args, v)
			}
			res, err := tx.ExecContext(ctx, rotateUpdate, args...)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 1 {
				report.Resealed++
			} else {
				report.Remaining++
			}
		}
		return nil
	})
	return len(batch), batch[len(batch)-1].id, err
}

// reseal opens each old-version field of a row and seals it under the current key.
func (db *DB) reseal(ring *redress.Keyring, r sealedRow) ([len(sealedColumns)]string, bool, error) {
	out, changed := r.columns, false
	for i, sealed := range r.columns {
		if sealed == "" || redress.SealedVersion(sealed) == ring.Current() {
			continue
		}
		aad := piiAAD(r.no, sealedFields[i])
		plain, err := ring.Open(sealed, aad)
		if err != nil {
			return out, false, fmt.Errorf("case %s %s: %w", r.no, sealedColumns[i], err)
		}
		out[i], changed = ring.Seal(plain, aad), true
	}
	return out, changed, nil
}

// rotateUserMobiles re-encrypts the staff mobile numbers, a few thousand rows
// at most, in one transaction, each update conditional on what it read.
func (db *DB) rotateUserMobiles(ctx context.Context, ring *redress.Keyring, report *RotationReport) error {
	type row struct {
		id            int64
		login, sealed string
	}
	rows, err := db.reads().QueryContext(ctx, `SELECT id, login, mobile_enc FROM users WHERE mobile_enc <> ''`)
	if err != nil {
		return err
	}
	var old []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.login, &r.sealed); err != nil {
			rows.Close()
			return err
		}
		if redress.SealedVersion(r.sealed) != ring.Current() {
			old = append(old, r)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		for _, r := range old {
			aad := mobileAAD(r.login)
			plain, err := ring.Open(r.sealed, aad)
			if err != nil {
				return fmt.Errorf("user %s mobile: %w", r.login, err)
			}
			res, err := tx.ExecContext(ctx, `UPDATE users SET mobile_enc = ? WHERE id = ? AND mobile_enc = ?`,
				ring.Seal(plain, aad), r.id, r.sealed)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 1 {
				report.Users++
			}
		}
		return nil
	})
}
