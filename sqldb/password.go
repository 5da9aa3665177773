package sqldb

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"

	"redress"
)

// argon2id parameters (RFC 9106's second recommended option, with less memory
// to suit a server that signs many people in): 64 MiB, 3 passes, 2 lanes.
const (
	argonTime    = 3
	argonMemory  = 64 * 1024
	argonThreads = 2
	argonKeyLen  = 32
)

// HashBytes is the memory one argon2id hash takes: 64 MiB.
const HashBytes = argonMemory * 1024

// DefaultHashMemory is the memory budget of the password hashes running at
// once, by default: 256 MiB, four hashes.
const DefaultHashMemory = 256 << 20

// hashWait is the longest a password check waits for a hash slot; past it,
// the caller is told to try again (ETOOMANY), rather than queue for ever.
const hashWait = 10 * time.Second

// hashGate bounds the argon2id hashes running at once, from a memory budget:
// every hash and check of a password goes through it, the unknown login's
// dummy check included, so sign-in attempts, however many, hold at most
// slots × 64 MiB. A slot is freed only after the hash's memory is given back
// to the heap (runtime.GC: the 64 MiB is pointer-free, so the collection is
// quick), so the next hash reuses it instead of the heap growing to twice
// the budget before the collector runs.
type hashGate struct {
	slots chan struct{}
	wait  time.Duration
}

// newHashGate returns a gate of budget bytes: one hash per HashBytes, at least one.
func newHashGate(budget int64) *hashGate {
	return &hashGate{slots: make(chan struct{}, max(1, budget/HashBytes)), wait: hashWait}
}

// run runs hash in a free slot, waiting for one until ctx ends or the gate's
// wait runs out (ETOOMANY).
func (g *hashGate) run(ctx context.Context, hash func()) error {
	timer := time.NewTimer(g.wait)
	defer timer.Stop()
	select {
	case g.slots <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("wait for a password hash: %w", ctx.Err())
	case <-timer.C:
		return redress.TooMany(time.Second, "the server is busy checking other passwords: try again in a moment")
	}
	defer func() { <-g.slots }()
	hash()
	runtime.GC()
	return nil
}

// SetHashMemory sets the memory budget of the password hashes running at
// once (DefaultHashMemory unless set): budget / HashBytes of them, at least
// one. Call it before serving.
func (db *DB) SetHashMemory(budget int64) { db.hashes = newHashGate(budget) }

// HashSlots returns how many password hashes may run at once.
func (db *DB) HashSlots() int { return cap(db.hashes.slots) }

// hashPassword returns an argon2id hash of password in the PHC string
// format, computed in a slot of the hash gate.
func (db *DB) hashPassword(ctx context.Context, password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	var key []byte
	if err := db.hashes.run(ctx, func() {
		key = argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	}); err != nil {
		return "", err
	}
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// checkPassword reports whether password matches a hash made by
// hashPassword, computed in a slot of the hash gate. A hash that is not one
// (empty, malformed, or asking for more memory or passes than hashPassword
// uses) is checked against dummyHash instead, so it costs the same and
// never matches.
func (db *DB) checkPassword(ctx context.Context, hash, password string) (bool, error) {
	p, ok := parseHash(hash)
	if !ok {
		p, _ = parseHash(dummyHash)
	}
	var got []byte
	if err := db.hashes.run(ctx, func() {
		got = argon2.IDKey([]byte(password), p.salt, p.passes, p.memory, p.threads, uint32(len(p.key)))
	}); err != nil {
		return false, err
	}
	return ok && subtle.ConstantTimeCompare(got, p.key) == 1, nil
}

// dummyHash is checked against when the login does not exist or has no
// password, so that a wrong login costs the same time as a wrong password.
const dummyHash = "$argon2id$v=19$m=65536,t=3,p=2$c29tZXNhbHRzb21lc2FsdA$2vN0bLNbTf+0oGFd6aFRtG4Ia8LZlEoaCUBZR0AsRZI"

// argonHash is a parsed PHC argon2id string.
type argonHash struct {
	memory, passes uint32
	threads        uint8
	salt, key      []byte
}

// parseHash parses a hash made by hashPassword; a hash asking for more
// memory or passes than hashPassword uses is refused (the gate counts
// HashBytes a hash).
func parseHash(hash string) (argonHash, bool) {
	var p argonHash
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return p, false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memory, &p.passes, &p.threads); err != nil {
		return p, false
	}
	if p.memory > argonMemory || p.passes > argonTime || p.passes == 0 || p.threads == 0 {
		return p, false
	}
	var err error
	if p.salt, err = base64.RawStdEncoding.DecodeString(parts[4]); err != nil {
		return p, false
	}
	if p.key, err = base64.RawStdEncoding.DecodeString(parts[5]); err != nil || len(p.key) == 0 {
		return p, false
	}
	return p, true
}
