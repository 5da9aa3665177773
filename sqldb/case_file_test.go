package sqldb

import (
	"strings"
	"testing"

	"redress"
)

// TestCaseFileReadsInFullOnlyForRevealers_Issue16Item4: the case file's
// read opens the personal data in full for the roles that may reveal it
// (manager, unit head, head-office service), and masks it as every read
// does for the others (staff, auditor); its events are the case's with
// their chain hashes and the head is the chain's; out of scope is not
// found; the download's event names its subject, the case.
func TestCaseFileReadsInFullOnlyForRevealers_Issue16Item4(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.register(t, "staff.bj")
	files := NewExportService(f.db)
	for login, full := range map[string]bool{"mgr.bj": true, "head.bj": true, "hq.svc": true, "staff.bj": false, "auditor": false} {
		cf, err := files.CaseFile(f.as(login), c.No)
		if err != nil {
			t.Fatalf("%s: %v", login, err)
		}
		got := cf.Case.Complainant
		if cf.Full != full || (got.IDNumber == "110101199003071234") != full || (got.Phone == "13812345678") != full ||
			(got.Address == "北京市海淀区中关村大街1号院3号楼502") != full {
			t.Errorf("%s: full %v, personal data %q %q %q", login, cf.Full, got.IDNumber, got.Phone, got.Address)
		}
		if !full && (got.IDNumber != redress.MaskID("110101199003071234") || got.Address != "北京市海淀区****") {
			t.Errorf("%s: not masked as every read: %q %q", login, got.IDNumber, got.Address)
		}
		events, err := f.cases.CaseEvents(f.as(login), c.No)
		if err != nil || len(cf.Events) == 0 || len(cf.Events) != len(events) || cf.Events[0].Hash != events[0].Hash {
			t.Errorf("%s: events %d, the case's %d (%v)", login, len(cf.Events), len(events), err)
		}
		report, err := NewAuditService(f.db).VerifyAudit(f.as("auditor"))
		if err != nil || cf.HeadSeq != report.HeadSeq || cf.HeadHash != report.HeadHash {
			t.Errorf("%s: head %d %s, the chain's %+v (%v)", login, cf.HeadSeq, cf.HeadHash, report, err)
		}
	}
	_, err := files.CaseFile(f.as("mgr.sh"), c.No)
	wantCode(t, err, redress.ENOTFOUND)
	_, err = files.CaseFile(f.as("admin"), c.No)
	wantCode(t, err, redress.EFORBIDDEN)

	if err := files.RecordCaseFile(f.as("mgr.bj"), c.No, redress.CaseFileRecord{Files: 5, Bytes: 1234, Full: true, Manifest: "ab12"}); err != nil {
		t.Fatal(err)
	}
	page, err := NewAuditService(f.db).ListEvents(f.as("auditor"), redress.AuditFilter{Action: "case.export_file", CaseNo: c.No})
	if err != nil || len(page.Events) != 1 || page.Events[0].Subject != redress.NewSubject(redress.SubjectCase, c.No) ||
		page.Events[0].Actor != "mgr.bj" || !strings.Contains(page.Events[0].Detail, "manifest sha256 ab12") {
		t.Fatalf("the case file's event: %+v %v", page, err)
	}
}
