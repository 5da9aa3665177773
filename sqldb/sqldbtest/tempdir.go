package sqldbtest

import (
	"os"
	"testing"
)

// memoryRoom is the free space a memory-backed file system must have for
// TempDir to put the test databases there.
const memoryRoom = 1 << 30

// TempDir returns a new directory for the test's database files, removed
// when the test ends. Where the system has a memory-backed /dev/shm with
// room to spare it lies there, so that SQLite's fsyncs (synchronous=FULL)
// cost the tests nothing: durability is not what they test, just as the
// throwaway PostgreSQL cluster runs with fsync off. Elsewhere it is
// t.TempDir().
func TempDir(t testing.TB) string {
	t.Helper()
	base := memoryDir()
	if base == "" {
		return t.TempDir()
	}
	dir, err := os.MkdirTemp(base, "redress-test-")
	if err != nil {
		return t.TempDir()
	}
	t.Cleanup(func() {
		if err := os.RemoveAll(dir); err != nil {
			t.Errorf("sqldbtest: remove %s: %v", dir, err)
		}
	})
	return dir
}

// tempBase returns where the directories of the tests' databases go: the
// memory-backed directory if there is one, else os.TempDir().
func tempBase() string {
	if base := memoryDir(); base != "" {
		return base
	}
	return os.TempDir()
}
