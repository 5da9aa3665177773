package sqldb

import (
	"strconv"
	"strings"
	"testing"

	"redress"
)

// TestEvidenceNamesAreCleaned_Issue11Item6: the store keeps a file under
// redress.EvidenceName's name and refuses "..", and a name stored before the
// rule is shown as the rule would have kept it.
func TestEvidenceNamesAreCleaned_Issue11Item6(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.register(t, "staff.bj")
	svc := NewEvidenceService(f.db)
	e, err := svc.AddEvidence(f.as("staff.bj"), c.No, redress.NewEvidence{Name: "C:\\扫描\\invoice\u202Efdp.exe\u200B", Body: strings.NewReader("MZ")})
	if err != nil || e.Name != "invoicefdp.exe" {
		t.Fatalf("add: %+v %v", e, err)
	}
	_, err = svc.AddEvidence(f.as("staff.bj"), c.No, redress.NewEvidence{Name: "\u200B..", Body: strings.NewReader("x")})
	if redress.ErrorCode(err) != redress.EINVALID {
		t.Fatalf(`a file named "..": %v`, err)
	}
	for stored, shown := range map[string]string{"old\u202Efdp.exe": "oldfdp.exe", "..": "evidence-" + strconv.FormatInt(e.ID, 10)} {
		if _, err := f.db.write.Exec(f.db.dialect.rebind(`UPDATE evidence SET name = ? WHERE id = ?`), stored, e.ID); err != nil {
			t.Fatal(err)
		}
		list, err := svc.ListEvidence(f.as("staff.bj"), c.No)
		if err != nil || len(list) != 1 || list[0].Name != shown {
			t.Fatalf("stored %q: listed %+v %v, want %q", stored, list, err, shown)
		}
		got, _, err := svc.EvidenceContent(f.as("staff.bj"), c.No, e.ID)
		if err != nil || got.Name != shown {
			t.Fatalf("stored %q: downloaded as %+v %v, want %q", stored, got, err, shown)
		}
	}
}
