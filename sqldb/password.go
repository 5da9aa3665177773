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

// PasswordCost is the argon2id cost of the password hashes a DB makes:
// memory in KiB, passes and lanes. A hash records its cost, so it is checked
// at the cost it was made with, whatever the DB's cost is now.
type PasswordCost struct {
	MemoryKiB uint32
	Passes    uint32
	Lanes     uint8
}

// DefaultPasswordCost is the cost of every DB unless SetPasswordCost says
// otherwise: 64 MiB, 3 passes, 2 lanes. It is also the most a stored hash
// may ask for.
var DefaultPasswordCost = PasswordCost{MemoryKiB: argonMemory, Passes: argonTime, Lanes: argonThreads}

// FixturePasswordCost is the cheapest cost argon2id allows (8 KiB a lane,
// one pass): for the databases of tests that sign in, change or reset
// passwords but do not test the hash's cost, where the default's 64 MiB
// and ~0.15 s of CPU a hash would be most of a test's time. Never for a
// server.
var FixturePasswordCost = PasswordCost{MemoryKiB: 8, Passes: 1, Lanes: 1}

// collectAbove is the memory of a hash from which its slot is freed only
// after a collection (hashGate.run): the default cost's 64 MiB is worth
// giving back at once, a test fixture's few KiB are not.
const collectAbove = 1 << 20

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

// run runs hash, of memoryKiB KiB, in a free slot, waiting for one until ctx
// ends or the gate's wait runs out (ETOOMANY).
func (g *hashGate) run(ctx context.Context, memoryKiB uint32, hash func()) error {
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
	if int64(memoryKiB)*1024 >= collectAbove {
		runtime.GC()
	}
	return nil
}

// SetHashMemory sets the memory budget of the password hashes running at
// once (DefaultHashMemory unless set): budget / HashBytes of them, at least
// one. Call it before serving.
func (db *DB) SetHashMemory(budget int64) { db.hashes = newHashGate(budget) }

// SetPasswordCost sets the cost of the password hashes db makes from now on
// (DefaultPasswordCost unless set) and of the dummy hash an unknown login
// is checked against, so that a wrong login still costs what a wrong
// password does. The cost may not exceed DefaultPasswordCost, which bounds
// what a stored hash may ask for. Call it before serving; tests set
// FixturePasswordCost.
func (db *DB) SetPasswordCost(c PasswordCost) error {
	if c.Lanes == 0 || c.Passes == 0 || c.MemoryKiB < 8*uint32(c.Lanes) ||
		c.MemoryKiB > DefaultPasswordCost.MemoryKiB || c.Passes > DefaultPasswordCost.Passes || c.Lanes > DefaultPasswordCost.Lanes {
		return fmt.Errorf("sqldb: password cost %+v: want 1 to %d lanes, 1 to %d passes and 8 KiB a lane to %d KiB",
			c, DefaultPasswordCost.Lanes, DefaultPasswordCost.Passes, DefaultPasswordCost.MemoryKiB)
	}
	db.cost = c
	db.dummyHash = dummyHash
	if c != DefaultPasswordCost {
		// The dummy's key matches no password; only its cost matters.
		p, _ := parseHash(dummyHash)
		db.dummyHash = formatHash(c, p.salt, p.key)
	}
	return nil
}

// HashSlots returns how many password hashes may run at once.
func (db *DB) HashSlots() int { return cap(db.hashes.slots) }

// hashPassword returns an argon2id hash of password in the PHC string
// format, computed in a slot of the hash gate.
func (db *DB) hashPassword(ctx context.Context, password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	c := db.cost
	var key []byte
	if err := db.hashes.run(ctx, c.MemoryKiB, func() {
		key = argon2.IDKey([]byte(password), salt, c.Passes, c.MemoryKiB, c.Lanes, argonKeyLen)
	}); err != nil {
		return "", err
	}
	return formatHash(c, salt, key), nil
}

// formatHash writes an argon2id hash of cost c in the PHC string format.
func formatHash(c PasswordCost, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, c.MemoryKiB, c.Passes, c.Lanes,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// checkPassword reports whether password matches a hash made by
// hashPassword, computed in a slot of the hash gate. A hash that is not one
// (empty, malformed, or asking for more memory or passes than hashPassword
// uses) is checked against the DB's dummy hash instead, so it costs the
// same and never matches.
func (db *DB) checkPassword(ctx context.Context, hash, password string) (bool, error) {
	p, ok := parseHash(hash)
	if !ok {
		p, _ = parseHash(db.dummyHash)
	}
	var got []byte
	if err := db.hashes.run(ctx, p.memory, func() {
		got = argon2.IDKey([]byte(password), p.salt, p.passes, p.memory, p.threads, uint32(len(p.key)))
	}); err != nil {
		return false, err
	}
	return ok && subtle.ConstantTimeCompare(got, p.key) == 1, nil
}

// dummyHash is checked against when the login does not exist or has no
// password, so that a wrong login costs the same time as a wrong password:
// the dummy of DefaultPasswordCost (SetPasswordCost makes one for another
// cost).
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
