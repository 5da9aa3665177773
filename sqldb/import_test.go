package sqldb

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"redress"
	"redress/export"
)

// importSample is the sample file of docs/import.md: 7 data rows, of which
// rows 2, 3 and 8 import and rows 4-7 are rejected.
const importSample = "../testdata/import/complaints.csv"

// importFile runs an import of a CSV file as the admin.
func (f *fixture) importFile(t *testing.T, path string, dryRun bool) *redress.ImportRun {
	t.Helper()
	file, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	st, _ := file.Stat()
	table, err := export.ReadTable(file, st.Size(), export.CSV, export.DefaultReadLimits)
	if err != nil {
		t.Fatal(err)
	}
	defer table.Close()
	header, rows, err := redress.ReadImportLines(table.Next)
	if err != nil {
		t.Fatal(err)
	}
	svc := NewImportService(f.db)
	run, err := svc.StartImport(f.as("admin"), "complaints.csv", dryRun)
	if err != nil {
		t.Fatal(err)
	}
	run, err = svc.RunImport(f.as("admin"), run.ID, redress.ImportInput{File: "complaints.csv", DryRun: dryRun, Header: header, Rows: rows})
	if err != nil {
		t.Fatal(err)
	}
	return run
}

func (f *fixture) importRejects(t *testing.T, id int64) map[int64][]string {
	t.Helper()
	out := map[int64][]string{}
	err := NewImportService(f.db).ImportRejects(f.as("admin"), id, func(r redress.ImportReject) error {
		out[r.Row] = append(out[r.Row], r.Field+": "+r.Reason)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (f *fixture) caseByExternalNo(t *testing.T, no string) *redress.Case {
	t.Helper()
	var tracking string
	if err := f.db.read.QueryRow(f.db.dialect.rebind(`SELECT no FROM cases WHERE external_no = ?`), no).Scan(&tracking); err != nil {
		t.Fatalf("case %s: %v", no, err)
	}
	c, err := f.cases.Case(f.as("hq.svc"), tracking)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestImportGoodAndBadRows_Issue16Item5: every row validated by the case's
// own rules, the rejected ones reported by row and reason; the imported
// cases keep their dates and statuses, are marked imported, their personal
// data sealed, each with a case.import event, the chain valid after.
func TestImportGoodAndBadRows_Issue16Item5(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	run := f.importFile(t, importSample, false)
	if run.State != redress.ImportDone || run.Rows != 7 || run.Imported != 3 || run.Rejected != 4 || run.Skipped != 0 {
		t.Fatalf("run: %+v", run)
	}
	rejects := f.importRejects(t, run.ID)
	want := map[int64][]string{
		4: {"complainant.phone", "status", "subject"},
		5: {"org: no org unit has code XX"},
		6: {"external_no: the external number appears already in row 2"},
		7: {"end_reason: required"},
	}
	if len(rejects) != len(want) {
		t.Fatalf("rejects: %v", rejects)
	}
	for row, fields := range want {
		got := strings.Join(rejects[row], "; ")
		for _, w := range fields {
			if !strings.Contains(got, w) {
				t.Errorf("row %d: %q lacks %q", row, got, w)
			}
		}
	}

	closed := f.caseByExternalNo(t, "ZJ-2023-0001")
	received := time.Date(2023, 3, 6, 9, 30, 0, 0, redress.Beijing)
	if !closed.Imported() || closed.ExternalNo != "ZJ-2023-0001" || closed.Status != redress.StatusClosed ||
		!closed.ReceivedAt.Equal(received) || closed.ClosedAt == nil || !closed.ClosedAt.Equal(time.Date(2023, 3, 20, 0, 0, 0, 0, redress.Beijing)) ||
		closed.RepliedAt == nil || !closed.RepliedAt.Equal(time.Date(2023, 3, 15, 0, 0, 0, 0, redress.Beijing)) ||
		!strings.HasPrefix(closed.No, "TS20230306-") || closed.Org != "BJ-HD-01" {
		t.Fatalf("closed case: %+v", closed)
	}
	if closed.ArchivedAt == nil || !closed.ArchivedAt.Equal(*closed.ClosedAt) {
		t.Fatalf("a case imported closed is archived as of its closing: %v", closed.ArchivedAt)
	}
	if closed.Complainant.Phone == "13812345678" || closed.Complainant.IDNumber == "110101199003071234" {
		t.Fatalf("personal data shown in clear: %+v", closed.Complainant)
	}
	var phoneEnc, phoneIdx string
	f.db.read.QueryRow(f.db.dialect.rebind(`SELECT c_phone_enc, c_phone_idx FROM cases WHERE no = ?`), closed.No).Scan(&phoneEnc, &phoneIdx)
	if strings.Contains(phoneEnc, "13812345678") || phoneIdx != f.db.keyring().BlindIndex("phone", "13812345678") {
		t.Fatalf("phone not sealed and indexed: %q %q", phoneEnc, phoneIdx)
	}
	page, err := f.cases.ListCases(f.as("hq.svc"), redress.CaseFilter{Phone: "13812345678"})
	if err != nil || len(page.Cases) != 1 || page.Cases[0].No != closed.No {
		t.Fatalf("the blind index finds the imported case: %v %v", page, err)
	}
	events, err := f.cases.CaseEvents(f.as("hq.svc"), closed.No)
	if err != nil || len(events) != 1 || events[0].Action != "case.import" || events[0].Actor != "admin" {
		t.Fatalf("events: %v %v", events, err)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM events WHERE action = 'import.run' AND subject_kind = 'import' AND subject_id = ?`,
		strconv.FormatInt(run.ID, 10)); n != 1 {
		t.Fatalf("import.run events: %d", n)
	}
	withdrawn := f.caseByExternalNo(t, "ZJ-2022-0006")
	if withdrawn.Status != redress.StatusWithdrawn || withdrawn.EndReason != "信访人撤回" || withdrawn.Kind != redress.KindPetition {
		t.Fatalf("withdrawn: %+v", withdrawn)
	}
	report, err := NewAuditService(f.db).VerifyAudit(f.as("auditor"))
	if err != nil || !report.OK {
		t.Fatalf("audit chain after the import: %+v %v", report, err)
	}
}

// TestImportedOpenCaseNotFlooded_Issue16Item5: an open case imported with
// its deadlines long past shows overdue, but the sweep neither notices nor
// escalates it for those dates; a closed one is never swept.
func TestImportedOpenCaseNotFlooded_Issue16Item5(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.importFile(t, importSample, false)
	open := f.caseByExternalNo(t, "ZJ-2025-0002")
	if open.Status != redress.StatusAccepted || !open.Overdue || open.Level != 1 {
		t.Fatalf("open imported case: %+v", open)
	}
	f.sweep(t, f.clock, SweepOptions{})
	if n := f.count(t, `SELECT COUNT(*) FROM notifications`); n != 0 {
		t.Fatalf("the sweep sent %d notices for imported history", n)
	}
	if after := f.caseByExternalNo(t, "ZJ-2025-0002"); after.Level != 1 || after.Version != open.Version {
		t.Fatalf("the sweep escalated the imported case: %+v", after)
	}
}

// TestImportRerunIdempotent_Issue16Item5: a second run of the same file
// imports nothing and counts the rows already imported as skipped.
func TestImportRerunIdempotent_Issue16Item5(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.importFile(t, importSample, false)
	cases := f.count(t, `SELECT COUNT(*) FROM cases`)
	again := f.importFile(t, importSample, false)
	if again.Imported != 0 || again.Skipped != 3 || again.Rejected != 4 {
		t.Fatalf("re-run: %+v", again)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM cases`); n != cases {
		t.Fatalf("re-run added cases: %d → %d", cases, n)
	}
}

// TestImportDryRunChangesNothing_Issue16Item5: a dry run checks every row
// as the real run would and reports it, but writes no case, number, clock or
// search entry.
func TestImportDryRunChangesNothing_Issue16Item5(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tables := []string{"cases", "case_counters", "deadline_alerts", "case_deadline_changes"}
	before := map[string]int{}
	for _, table := range tables {
		before[table] = f.count(t, `SELECT COUNT(*) FROM `+table)
	}
	run := f.importFile(t, importSample, true)
	if !run.DryRun || run.Imported != 3 || run.Rejected != 4 {
		t.Fatalf("dry run: %+v", run)
	}
	for _, table := range tables {
		if n := f.count(t, `SELECT COUNT(*) FROM `+table); n != before[table] {
			t.Errorf("%s: %d → %d", table, before[table], n)
		}
	}
	if n := f.count(t, `SELECT COUNT(*) FROM events WHERE subject_kind = 'case'`); n != 0 {
		t.Fatalf("case events after a dry run: %d", n)
	}
	if len(f.importRejects(t, run.ID)) != 4 {
		t.Fatal("a dry run reports its rejected rows")
	}
}

// TestImportRefusedWithoutPermission_Issue16Item5: only case.import runs it.
func TestImportRefusedWithoutPermission_Issue16Item5(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, err := NewImportService(f.db).StartImport(f.as("hq.svc"), "x.csv", true)
	wantCode(t, err, redress.EFORBIDDEN)
	if _, err := f.db.ImportUserAsOperator(context.Background(), "staff.bj"); redress.ErrorCode(err) != redress.EFORBIDDEN {
		t.Fatalf("a staff member imports: %v", err)
	}
}

// TestImportNumbersBesideIntake_Issue16Item5: an imported case takes its
// tracking number from its day's counter, as intake does, so the cases
// registered on that day before and after it keep their own numbers.
func TestImportNumbersBesideIntake_Issue16Item5(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	n := sampleCase()
	n.ReceivedAt = time.Date(2023, 3, 6, 15, 0, 0, 0, redress.Beijing)
	before, err := f.cases.CreateCase(f.as("staff.bj"), n)
	if err != nil {
		t.Fatal(err)
	}
	f.importFile(t, importSample, false)
	after, err := f.cases.CreateCase(f.as("staff.bj"), n)
	if err != nil {
		t.Fatal(err)
	}
	imported := f.caseByExternalNo(t, "ZJ-2023-0001")
	if before.No != "TS20230306-00001" || imported.No != "TS20230306-00002" || after.No != "TS20230306-00003" {
		t.Fatalf("numbers: %s, %s, %s", before.No, imported.No, after.No)
	}
}

// TestImportedEarlierCaseMakesLaterOnesRepeats_Order3Art18: a case imported
// from the bank's history, received and closed before a case the
// complainant has since registered, makes that case a repeat complaint, and
// one made after a closed case (重复投诉), though the import came later.
func TestImportedEarlierCaseMakesLaterOnesRepeats_Order3Art18(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	later := f.registerWith(t, "staff.bj", func(n *redress.NewCase) {
		n.Complainant = redress.Complainant{Name: "张三", Phone: "13812345678"}
	})
	flags := func() (prior, afterClosed int) {
		t.Helper()
		if err := f.db.reads().QueryRowContext(context.Background(), `SELECT repeat_prior, repeat_after_closed FROM cases WHERE no = ?`,
			later.No).Scan(&prior, &afterClosed); err != nil {
			t.Fatal(err)
		}
		return prior, afterClosed
	}
	if p, a := flags(); p != 0 || a != 0 {
		t.Fatalf("before the import: repeat flags %d, %d; want 0, 0", p, a)
	}
	f.importFile(t, importSample, false) // ZJ-2023-0001: received 2023-03-06, closed 2023-03-20, phone 13812345678
	if p, a := flags(); p != 1 || a != 1 {
		t.Fatalf("after importing the complainant's case of 2023: repeat flags %d, %d; want 1, 1", p, a)
	}
}
