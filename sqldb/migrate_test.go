package sqldb

import (
	"slices"
	"strings"
	"testing"
)

// TestMigrationFoldersMatch: every migration exists once per engine, under
// the same file name, so that both engines reach the same schema version.
func TestMigrationFoldersMatch(t *testing.T) {
	t.Parallel()
	folders := map[string][]string{}
	for _, d := range []dialect{sqlite, postgres} {
		entries, err := migrations.ReadDir("migrations/" + d.name)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			folders[d.name] = append(folders[d.name], e.Name())
		}
	}
	if len(folders["sqlite"]) == 0 {
		t.Fatal("no SQLite migrations found")
	}
	for _, pair := range [][2]string{{"sqlite", "postgres"}, {"postgres", "sqlite"}} {
		for _, name := range folders[pair[0]] {
			if !slices.Contains(folders[pair[1]], name) {
				t.Errorf("migrations/%s/%s has no counterpart in migrations/%s/", pair[0], name, pair[1])
			}
			if !strings.HasSuffix(name, ".sql") {
				t.Errorf("migrations/%s/%s: a migration is a .sql file", pair[0], name)
			}
		}
	}
}

// TestDialectFor: the DSN picks the engine, and a PostgreSQL password never
// reaches a log line.
func TestDialectFor(t *testing.T) {
	t.Parallel()
	for dsn, want := range map[string]string{
		"data/redress.db":                          "sqlite",
		"file:data/redress.db?mode=rwc":            "sqlite",
		"postgres://u:p@db:5432/redress":           "postgres",
		"postgresql://u@db/redress?sslmode=verify": "postgres",
	} {
		if got := dialectFor(dsn).name; got != want {
			t.Errorf("%s: %s, want %s", dsn, got, want)
		}
	}
	if got := RedactDSN("postgres://redress:s3cret@db:5432/redress"); strings.Contains(got, "s3cret") {
		t.Errorf("redacted DSN %s shows the password", got)
	}
	if got := RedactDSN("data/redress.db"); got != "data/redress.db" {
		t.Errorf("a SQLite path is shown as it is: %s", got)
	}
	if got := postgres.rebind(`SELECT a FROM t WHERE b = ? AND c IN (?, ?)`); got != `SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)` {
		t.Errorf("rebind: %s", got)
	}
}
