package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"redress"
)

// loadKeyring reads the personal-data key file, creating it with one new
// key (mode 0600) when it does not exist. The file holds one line per key
// version: "<version> <64 hex digits>".
func loadKeyring(path string) (*redress.Keyring, bool, error) {
	created := false
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		if err := writeNewKeyFile(path); err != nil {
			return nil, false, err
		}
		created = true
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, false, fmt.Errorf("key file: %w", err)
	}
	if info.Mode().Perm()&0o077 != 0 {
		return nil, false, fmt.Errorf("key file %s is readable by others (mode %v); run: chmod 600 %s", path, info.Mode().Perm(), path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, false, fmt.Errorf("key file: %w", err)
	}
	defer f.Close()
	ring, err := redress.ReadKeyFile(f)
	if err != nil {
		return nil, false, fmt.Errorf("key file %s: %w", path, err)
	}
	return ring, created, nil
}

func writeNewKeyFile(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("key file: %w", err)
	}
	key := make([]byte, redress.KeySize)
	if _, err := rand.Read(key); err != nil {
		return fmt.Errorf("key file: %w", err)
	}
	body := "# Redress personal-data keys: <version> <key>. Back this file up apart from the database;\n" +
		"# without it the ID, phone and account numbers in the database cannot be read.\n" +
		"1 " + hex.EncodeToString(key) + "\n"
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("key file: %w", err)
	}
	if _, err := f.WriteString(body); err != nil {
		f.Close()
		return fmt.Errorf("key file: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("key file: %w", err)
	}
	return f.Close()
}
