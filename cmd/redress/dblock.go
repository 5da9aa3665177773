package main

import (
	"errors"
	"fmt"
	"os"
	"syscall"

	"redress/sqldb"
)

// errServerRunning is the answer of a command that needs a SQLite database
// to itself while a server has it open.
var errServerRunning = errors.New("a server is running on this database; stop it, then run the command again")

// errDatabaseReplacing is a server's answer when a command is replacing its
// SQLite database (the demo's load).
var errDatabaseReplacing = errors.New("another command is replacing this database (redress demo loading the demo bank); start the server when it has finished")

// dbLock is an advisory lock (flock) on a SQLite database file. A server
// holds it shared for as long as it serves; a command that replaces the
// file (the demo's load, a restore) takes it exclusive and fails at once
// when a server holds it. flock is independent of SQLite's own (fcntl)
// locks, so neither disturbs the other. PostgreSQL databases are not locked.
type dbLock struct{ f *os.File }

// lockDatabase locks the SQLite database at dsn, shared or exclusive,
// without waiting: errServerRunning (exclusive) or errDatabaseReplacing
// (shared) when another process holds a lock that conflicts. A PostgreSQL DSN, or a file that does not exist yet, gives a
// lock that holds nothing.
func lockDatabase(dsn string, exclusive bool) (*dbLock, error) {
	if sqldb.EngineOf(dsn) != "sqlite" {
		return &dbLock{}, nil
	}
	f, err := os.Open(sqldb.SQLitePath(dsn))
	if errors.Is(err, os.ErrNotExist) {
		return &dbLock{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("lock the database: %w", err)
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	if err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) && exclusive {
			return nil, errServerRunning
		}
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, errDatabaseReplacing
		}
		return nil, fmt.Errorf("lock the database: %w", err)
	}
	return &dbLock{f: f}, nil
}

// Release gives the lock up.
func (l *dbLock) Release() {
	if l != nil && l.f != nil {
		l.f.Close() // closing the file releases its flock
		l.f = nil
	}
}
