package web_test

import (
	"os"
	"sync"
	"testing"

	"redress/sqldb/sqldbtest"
	"redress/web"
)

// testEngine is the database engine of this run of the package's tests:
// TestMain runs them all on SQLite, then on PostgreSQL when
// REDRESS_TEST_POSTGRES names a server (see sqldbtest). newAPI opens a new
// database of it for each test.
var testEngine sqldbtest.Engine

func TestMain(m *testing.M) { os.Exit(sqldbtest.Main(m, &testEngine)) }

// parsedUI is the pages' templates and messages, parsed once for every
// server the package's tests build (web.Services.UI).
var parsedUI = sync.OnceValues(web.ParseUI)

// testUI returns the shared UI of the tests' servers.
func testUI(t testing.TB) *web.UI {
	t.Helper()
	ui, err := parsedUI()
	if err != nil {
		t.Fatal(err)
	}
	return ui
}
