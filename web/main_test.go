package web_test

import (
	"os"
	"testing"

	"redress/sqldb/sqldbtest"
)

// testEngine is the database engine of this run of the package's tests:
// TestMain runs them all on SQLite, then on PostgreSQL when
// REDRESS_TEST_POSTGRES names a server (see sqldbtest). newAPI opens a new
// database of it for each test.
var testEngine sqldbtest.Engine

func TestMain(m *testing.M) { os.Exit(sqldbtest.Main(m, &testEngine)) }
