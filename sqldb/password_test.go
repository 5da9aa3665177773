package sqldb

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
)

// A DB hashes at the production cost unless told otherwise; a DB set to the
// fixtures' cost makes cheap hashes that still check, that a DB at the
// production cost checks at their own cost, and checks an unknown login
// against a dummy of its own cost; no cost above the production one is
// accepted.
func TestPasswordCost(t *testing.T) {
	t.Parallel()
	f := newFixture(t) // at FixturePasswordCost, like every fixture
	ctx := context.Background()
	production, err := Open(ctx, f.dsn, f.db.keyring(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer production.Close()
	hash, err := production.hashPassword(ctx, "a password of mine")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Fatalf("the production hash: %s", hash)
	}
	if production.dummyHash != dummyHash {
		t.Fatalf("the production dummy: %s", production.dummyHash)
	}
	if ok, err := production.checkPassword(ctx, hash, "a password of mine"); err != nil || !ok {
		t.Fatalf("the production hash does not check: %v %v", ok, err)
	}

	cheap := f.db
	fixture, err := cheap.hashPassword(ctx, "a password of mine")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(fixture, "$argon2id$v=19$m=8,t=1,p=1$") || !strings.HasPrefix(cheap.dummyHash, "$argon2id$v=19$m=8,t=1,p=1$") {
		t.Fatalf("the fixture cost's hash %s, dummy %s", fixture, cheap.dummyHash)
	}
	// Each hash checks at the cost it records, whatever the DB's cost.
	for _, h := range []string{fixture, hash} {
		if ok, err := cheap.checkPassword(ctx, h, "a password of mine"); err != nil || !ok {
			t.Errorf("%s does not check: %v %v", h, ok, err)
		}
		if ok, err := cheap.checkPassword(ctx, h, "another password"); err != nil || ok {
			t.Errorf("a wrong password checks against %s: %v %v", h, ok, err)
		}
	}
	if ok, err := cheap.checkPassword(ctx, "", "a password of mine"); err != nil || ok {
		t.Errorf("no hash checks: %v %v", ok, err)
	}

	for _, c := range []PasswordCost{
		{MemoryKiB: 2 * argonMemory, Passes: 1, Lanes: 1},
		{MemoryKiB: 64, Passes: argonTime + 1, Lanes: 1},
		{MemoryKiB: 64, Passes: 1, Lanes: argonThreads + 1},
		{MemoryKiB: 7, Passes: 1, Lanes: 1},
		{MemoryKiB: 64, Passes: 0, Lanes: 1},
		{MemoryKiB: 64, Passes: 1, Lanes: 0},
	} {
		if err := cheap.SetPasswordCost(c); err == nil {
			t.Errorf("cost %+v accepted", c)
		}
	}
	if cheap.cost != FixturePasswordCost {
		t.Errorf("a refused cost changed the cost: %+v", cheap.cost)
	}
	if err := cheap.SetPasswordCost(DefaultPasswordCost); err != nil || cheap.dummyHash != dummyHash {
		t.Errorf("back to the production cost: %v, dummy %s", err, cheap.dummyHash)
	}
}
