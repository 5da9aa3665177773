package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"redress"
	"redress/demo/scenario"
	"redress/sqldb"
	"redress/sqldb/sqldbtest"
)

// engine is the database engine of the current test run: SQLite, then
// PostgreSQL when REDRESS_TEST_POSTGRES names a server.
var engine sqldbtest.Engine

func TestMain(m *testing.M) { os.Exit(sqldbtest.Main(m, &engine)) }

// firstCases returns the first n cases of a generator, encoded.
func firstCases(t *testing.T, g *generator, n int) []string {
	t.Helper()
	var out []string
	for c := range g.cases() {
		data, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(data))
		if len(out) == n {
			break
		}
	}
	return out
}

func TestGeneratorIsDeterministic(t *testing.T) {
	t.Parallel()
	a := firstCases(t, newGenerator(5000, 7), 300)
	b := firstCases(t, newGenerator(5000, 7), 300)
	c := firstCases(t, newGenerator(5000, 8), 300)
	if strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Error("the same size and seed gave different cases")
	}
	if strings.Join(a, "\n") == strings.Join(c, "\n") {
		t.Error("another seed gave the same cases")
	}
}

func TestGeneratorCoversEveryStatusChannelAndKind(t *testing.T) {
	t.Parallel()
	g := newGenerator(20000, 2026)
	mix := scenario.NewMix()
	var last time.Time
	for c := range g.cases() {
		mix.Add(c.Kind, c.Channel, c.Status)
		if c.ReceivedAt.Before(datasetStart) || !c.ReceivedAt.Before(datasetEnd) {
			t.Fatalf("case received %s, outside the timeline", c.ReceivedAt)
		}
		if c.RegisteredAt.Before(last.Add(-24 * time.Hour)) {
			t.Fatalf("registrations run back in time: %s after %s", c.RegisteredAt, last)
		}
		last = c.RegisteredAt
	}
	for _, missing := range mix.Missing() {
		t.Errorf("no case has %s", missing)
	}
	if want := branchCount(20000) * subBranchesPerBranch * outletsPerSubBranch; len(g.bank.outlets) != want {
		t.Errorf("%d outlets, want %d", len(g.bank.outlets), want)
	}
	if n := branchCount(100000); n != 40 {
		t.Errorf("%d branches at 100,000 cases, want 40", n)
	}
}

// TestBulkLoad loads a small dataset and checks that the
// services read it as their own: the audit chain verifies, the queue and
// search find cases, the blind index finds a phone number, and a case
// registered afterwards continues the day's tracking numbers.
func TestBulkLoad(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "redress.key")
	if err := writeKeyFile(keyFile); err != nil {
		t.Fatal(err)
	}
	keys, err := readKeyFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqldb.Open(ctx, engine.NewDatabase(t), keys, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Bootstrap(ctx, "Bootstrap-pass-1"); err != nil {
		t.Fatal(err)
	}
	g := newGenerator(1500, 1)
	var cases []*sqldb.BulkCase
	for c := range g.cases() {
		cases = append(cases, c)
	}
	report, err := db.BulkLoad(ctx, sqldb.BulkData{Orgs: g.bank.orgs, Users: g.bank.users, Batch: 400,
		Cases: func(yield func(*sqldb.BulkCase) bool) {
			for _, c := range cases {
				if !yield(c) {
					return
				}
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	if report.Cases != 1500 || report.Orgs != int64(len(g.bank.orgs)) || report.Users != int64(len(g.bank.users)) {
		t.Fatalf("loaded %+v", report)
	}
	if _, err := db.BulkLoad(ctx, sqldb.BulkData{Cases: func(func(*sqldb.BulkCase) bool) {}}); err == nil {
		t.Error("a second bulk load into a database with cases was accepted")
	}

	audit, err := db.VerifyAuditAsOperator(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := 1 + report.Orgs + report.Users + report.Cases; !audit.OK || audit.Events != want {
		t.Fatalf("audit chain: ok %v, %d events, want %d: %s", audit.OK, audit.Events, want, audit.Problem)
	}

	tokens := sqldb.NewTokenService(db)
	as := func(login string) context.Context {
		t.Helper()
		token, err := tokens.CreateToken(ctx, login, "test", nil)
		if err != nil {
			t.Fatal(err)
		}
		u, err := tokens.Authenticate(ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		return redress.WithUser(ctx, u)
	}
	cs := sqldb.NewCaseService(db)
	hq := as(g.bank.hqService[0])

	sb := g.bank.subBranches[0]
	page, err := cs.ListCases(as(sb.manager), redress.CaseFilter{Org: sb.code, Status: []redress.Status{redress.StatusClosed}, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Cases) == 0 {
		t.Error("the sub-branch's manager sees no closed cases of the sub-branch")
	}
	for _, c := range page.Cases {
		if c.Status != redress.StatusClosed || !strings.HasPrefix(c.Org, sb.code) && c.Org != sqldb.RootOrgCode {
			t.Errorf("queue of %s holds %s, %s at %s", sb.code, c.No, c.Status, c.Org)
		}
	}

	found, err := sqldb.NewSearchService(db).Search(hq, redress.SearchQuery{Q: "信用卡", Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) == 0 {
		t.Error("search for 信用卡 found nothing")
	}

	var withPhone *sqldb.BulkCase
	for _, c := range cases {
		if c.Complainant.Phone != "" {
			withPhone = c
			break
		}
	}
	byPhone, err := cs.ListCases(hq, redress.CaseFilter{Phone: withPhone.Complainant.Phone})
	if err != nil {
		t.Fatal(err)
	}
	if len(byPhone.Cases) == 0 || byPhone.Cases[0].Complainant.Phone != redress.MaskPhone(withPhone.Complainant.Phone) {
		t.Errorf("the blind index did not find the case of phone %s", withPhone.Complainant.Phone)
	}

	last := cases[len(cases)-1]
	got, err := cs.Case(hq, page.Cases[0].No)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version < 2 || got.Handler == "" || got.Reply == nil || got.ClosedAt == nil || len(got.DeadlineHistory) != 1 {
		t.Errorf("closed case %s lacks its state: %+v", got.No, got)
	}
	clerk := g.bank.outlets[0]
	n := last.NewCase
	n.Org, n.Respondent = clerk.code, redress.Respondent{}
	db.Now = func() time.Time { return last.RegisteredAt.Add(time.Hour) }
	created, err := cs.CreateCase(as(clerk.staff[0]), n)
	if err != nil {
		t.Fatalf("register after the bulk load: %v", err)
	}
	if day := redress.BankDay(n.ReceivedAt); !strings.Contains(created.No, day+"-") {
		t.Errorf("tracking number %s is not of day %s", created.No, day)
	}
}
