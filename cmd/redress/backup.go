package main

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"redress"
	"redress/sqldb"
)

// A backup is one tar file of three members: the database (a consistent
// copy made by VACUUM INTO while servers run), the key file as it was just
// after the copy (every version the copy may use), and a manifest with their
// SHA-256 sums, checked on restore. It holds the keys: keep it as safe as the
// key file itself.
const (
	backupDB       = "redress.db"
	backupKeys     = "redress.key"
	backupManifest = "manifest.json"
	backupFormat   = 1
)

// backupManifestData describes a backup.
type backupManifestData struct {
	Format     int               `json:"format"`
	CreatedAt  time.Time         `json:"created_at"`
	KeyVersion int               `json:"key_version"` // the newest version in the key file
	SHA256     map[string]string `json:"sha256"`      // member name → hex digest
}

func cmdBackup(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	cfg.bindStorage(fs)
	to := fs.String("to", "", "the backup file to write (required; must not exist)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if *to == "" {
		return fmt.Errorf("%w: backup needs --to FILE", errUsage)
	}
	cfg.resolve()
	if sqldb.EngineOf(cfg.DB) == "postgres" {
		return fmt.Errorf("backup: %w; copy the key file %s beside the dump (README: Backups)", sqldb.ErrBackupPostgres, cfg.KeyFile)
	}
	if _, err := os.Stat(*to); err == nil {
		return fmt.Errorf("backup: %s already exists", *to)
	}
	work, err := os.MkdirTemp(filepath.Dir(*to), ".redress-backup-")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer os.RemoveAll(work)
	copyPath := filepath.Join(work, backupDB)
	if err := sqldb.Backup(ctx, cfg.DB, copyPath); err != nil {
		return err
	}
	// The key file is read after the copy: a rotation appends its version to
	// the file before it seals anything under it, so every version the copy
	// uses is in the file now.
	keys, ring, err := readKeyFile(cfg.KeyFile)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	manifest := backupManifestData{Format: backupFormat, CreatedAt: time.Now().UTC(), KeyVersion: ring.Current(), SHA256: map[string]string{}}
	if err := writeBackup(*to, copyPath, keys, &manifest); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	info, _ := os.Stat(*to)
	fmt.Fprintf(stdout, "backed up %s and its key file (versions up to %d) to %s (%d bytes)\n",
		sqldb.RedactDSN(cfg.DB), ring.Current(), *to, info.Size())
	fmt.Fprintln(stderr, "The backup holds the personal-data keys: keep it as safe as the key file.")
	return nil
}

// readKeyFile reads the key file at path, refusing one that others may read
// or that does not parse.
func readKeyFile(path string) ([]byte, *redress.Keyring, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, nil, fmt.Errorf("key file: %w", err)
	}
	if info.Mode().Perm()&0o077 != 0 {
		return nil, nil, fmt.Errorf("key file %s is readable by others (mode %v)", path, info.Mode().Perm())
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("key file: %w", err)
	}
	ring, err := redress.ReadKeyFile(bytes.NewReader(raw))
	if err != nil {
		return nil, nil, fmt.Errorf("key file %s: %w", path, err)
	}
	return raw, ring, nil
}

// writeBackup writes the tar file at to (mode 0600, synced, renamed into
// place): the database copy, the key file, then the manifest with both sums.
func writeBackup(to, dbCopy string, keys []byte, manifest *backupManifestData) (err error) {
	partial := to + ".partial"
	f, err := os.OpenFile(partial, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(partial)
		}
	}()
	tw := tar.NewWriter(f)
	db, err := os.Open(dbCopy)
	if err != nil {
		return err
	}
	defer db.Close()
	info, err := db.Stat()
	if err != nil {
		return err
	}
	if manifest.SHA256[backupDB], err = addMember(tw, backupDB, info.Size(), db); err != nil {
		return err
	}
	if manifest.SHA256[backupKeys], err = addMember(tw, backupKeys, int64(len(keys)), bytes.NewReader(keys)); err != nil {
		return err
	}
	body, err := json.MarshalIndent(manifest, "", "  ")
	if err != nil {
		return err
	}
	if _, err = addMember(tw, backupManifest, int64(len(body)), bytes.NewReader(body)); err != nil {
		return err
	}
	if err = tw.Close(); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(partial, to); err != nil {
		return err
	}
	return syncDir(filepath.Dir(to))
}

// addMember writes one member of mode 0600 and returns its SHA-256.
func addMember(tw *tar.Writer, name string, size int64, r io.Reader) (string, error) {
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: size, ModTime: time.Now(), Typeflag: tar.TypeReg}); err != nil {
		return "", err
	}
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(tw, h), r); err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

func cmdRestore(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	cfg.bindStorage(fs)
	from := fs.String("from", "", "the backup file to restore (required)")
	force := fs.Bool("force", false, "replace an existing database and key file (stop the server first)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if *from == "" {
		return fmt.Errorf("%w: restore needs --from FILE", errUsage)
	}
	cfg.resolve()
	if sqldb.EngineOf(cfg.DB) == "postgres" {
		return errors.New("restore: a PostgreSQL database is restored with pg_restore, and the key file copied into --data (README: Backups)")
	}
	if !*force {
		for _, path := range []string{cfg.DB, cfg.DB + "-wal", cfg.KeyFile} {
			if _, err := os.Stat(path); err == nil {
				return fmt.Errorf("restore: %s exists; restore into a fresh --data, or give --force to replace it", path)
			}
		}
	}
	lock, err := lockDatabase(cfg.DB, true) // a server would go on with the file replaced
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer lock.Release()
	if err := os.MkdirAll(cfg.Data, 0o700); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(cfg.DB), 0o700); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	manifest, err := extractBackup(*from, map[string]string{backupDB: cfg.DB + ".restoring", backupKeys: cfg.KeyFile + ".restoring"})
	if err != nil {
		return fmt.Errorf("restore from %s: %w", *from, err)
	}
	// A write-ahead log left by the database being replaced would be applied
	// to the restored file: it goes first.
	for _, stale := range []string{cfg.DB + "-wal", cfg.DB + "-shm"} {
		if err := os.Remove(stale); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("restore: %w", err)
		}
	}
	for _, path := range []string{cfg.DB, cfg.KeyFile} {
		if err := os.Rename(path+".restoring", path); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		if err := syncDir(filepath.Dir(path)); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
	}
	fmt.Fprintf(stdout, "restored the backup of %s (key versions up to %d) into %s and %s; check it with: redress audit verify\n",
		manifest.CreatedAt.Format(time.RFC3339), manifest.KeyVersion, cfg.DB, cfg.KeyFile)
	return nil
}

// extractBackup writes the members of the backup at from to the paths of
// targets (mode 0600, synced), checks them against the manifest and returns
// it. On any error the files written are removed.
func extractBackup(from string, targets map[string]string) (manifest *backupManifestData, err error) {
	f, err := os.Open(from)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sums := map[string]string{}
	defer func() {
		if err != nil {
			for _, path := range targets {
				os.Remove(path)
			}
		}
	}()
	tr := tar.NewReader(f)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("not a Redress backup: %w", err)
		}
		if hdr.Name == backupManifest {
			manifest = &backupManifestData{}
			if err := json.NewDecoder(io.LimitReader(tr, 1<<20)).Decode(manifest); err != nil {
				return nil, fmt.Errorf("manifest: %w", err)
			}
			continue
		}
		path, ok := targets[hdr.Name]
		if !ok || hdr.Typeflag != tar.TypeReg {
			return nil, fmt.Errorf("not a Redress backup: unexpected member %q", hdr.Name)
		}
		if sums[hdr.Name], err = writeMember(path, tr); err != nil {
			return nil, fmt.Errorf("%s: %w", hdr.Name, err)
		}
	}
	if manifest == nil || manifest.Format != backupFormat {
		return nil, errors.New("not a Redress backup of format 1: no manifest")
	}
	for name := range targets {
		if sums[name] == "" || sums[name] != manifest.SHA256[name] {
			return nil, fmt.Errorf("%s is missing or damaged: its SHA-256 is not the manifest's", name)
		}
	}
	raw, err := os.ReadFile(targets[backupKeys])
	if err != nil {
		return nil, err
	}
	if _, err := redress.ReadKeyFile(bytes.NewReader(raw)); err != nil {
		return nil, fmt.Errorf("the key file: %w", err)
	}
	return manifest, nil
}

// writeMember copies r to a new file at path (mode 0600, synced) and returns
// its SHA-256.
func writeMember(path string, r io.Reader) (string, error) {
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(out, h), r); err != nil {
		out.Close()
		return "", err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return "", err
	}
	if err := out.Close(); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
