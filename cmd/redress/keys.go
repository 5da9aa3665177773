package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"redress"
)

// cmdKeysRotate adds a new key version to the key file and re-encrypts every
// protected field under it while servers keep running: a server that meets a
// value sealed under a version it has not loaded reads the key file again.
// Old versions stay in the file so that older backups remain readable.
func cmdKeysRotate(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("keys rotate", flag.ContinueOnError)
	cfg.bindStorage(fs)
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	cfg.resolve()
	old, _, err := loadKeyring(cfg.KeyFile)
	if err != nil {
		return err
	}
	if err := appendKey(cfg.KeyFile, old.Current()+1); err != nil {
		return err
	}
	db, err := openDB(ctx, cfg, newLogger(stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	report, err := db.RotateKeys(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "key version %d: %d cases examined, %d re-encrypted, %d remaining\n",
		report.KeyVersion, report.Cases, report.Resealed, report.Remaining)
	if report.Remaining > 0 {
		fmt.Fprintln(stdout, "some cases changed during the rotation; run `redress keys rotate` again to finish them")
	}
	return nil
}

// appendKey adds a new random key with the given version to the key file,
// replacing the file atomically so that a reader never sees half of it.
func appendKey(path string, version int) error {
	current, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("key file: %w", err)
	}
	key := make([]byte, redress.KeySize)
	if _, err := rand.Read(key); err != nil {
		return fmt.Errorf("key file: %w", err)
	}
	body := strings.TrimRight(string(current), "\n") + "\n" + fmt.Sprintf("%d %s\n", version, hex.EncodeToString(key))
	tmp, err := os.CreateTemp(filepath.Dir(path), ".redress.key.*")
	if err != nil {
		return fmt.Errorf("key file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("key file: %w", err)
	}
	if _, err := tmp.WriteString(body); err != nil {
		tmp.Close()
		return fmt.Errorf("key file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("key file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("key file: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("key file: %w", err)
	}
	return nil
}
