package sqldb

import (
	"bytes"
	"strings"
	"testing"

	"redress"
)

func TestRevealIsAudited(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.register(t, "staff.bj")
	_, err := f.cases.Reveal(f.as("staff.bj"), c.No, redress.RevealRequest{Field: redress.PIIPhone, Reason: "回访客户"})
	wantCode(t, err, redress.EFORBIDDEN)
	_, err = f.cases.Reveal(f.as("mgr.sh"), c.No, redress.RevealRequest{Field: redress.PIIPhone, Reason: "回访客户"})
	wantCode(t, err, redress.ENOTFOUND)
	_, err = f.cases.Reveal(f.as("mgr.bj"), c.No, redress.RevealRequest{Field: redress.PIIPhone})
	wantCode(t, err, redress.EINVALID)
	got, err := f.cases.Reveal(f.as("mgr.bj"), c.No, redress.RevealRequest{Field: redress.PIIPhone, Reason: "回访客户确认满意度"})
	if err != nil || got.Value != "13812345678" {
		t.Fatalf("reveal: %v %v", got, err)
	}
	id, _ := f.cases.Reveal(f.as("mgr.bj"), c.No, redress.RevealRequest{Field: redress.PIIIDNumber, Reason: "核对身份"})
	if id.Value != "110101199003071234" {
		t.Fatalf("reveal id: %v", id)
	}
	// The address a letter is posted to and the e-mail are sealed as the
	// numbers are: masked on every read, in full only by a reveal.
	read, err := f.cases.Case(f.as("mgr.bj"), c.No)
	if err != nil || read.Complainant.Address != "北京市海淀区****" || read.Complainant.Email != "z***@mail.example" {
		t.Fatalf("address and e-mail as read: %+v %v", read.Complainant, err)
	}
	address, err := f.cases.Reveal(f.as("mgr.bj"), c.No, redress.RevealRequest{Field: redress.PIIAddress, Reason: "邮寄处理意见书"})
	if err != nil || address.Value != "北京市海淀区中关村大街1号院3号楼502" {
		t.Fatalf("reveal address: %v %v", address, err)
	}
	page, err := NewAuditService(f.db).ListEvents(f.as("auditor"), redress.AuditFilter{Action: "case.reveal", CaseNo: c.No})
	if err != nil || len(page.Events) != 3 || page.Events[2].Actor != "mgr.bj" || page.Events[2].Detail != "回访客户确认满意度" {
		t.Fatalf("reveals in the audit trail: %+v %v", page, err)
	}
	for _, e := range page.Events {
		for _, ch := range e.Changes {
			if strings.Contains(ch.Before+ch.After, "13812345678") {
				t.Fatal("the revealed value must not enter the audit trail")
			}
		}
	}
}

func TestLookupByBlindIndex(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.register(t, "staff.bj")
	other := sampleCase()
	other.Complainant.Phone, other.Complainant.IDNumber, other.Complainant.Account = "13900001111", "310115198001011234", "6222020000000000001"
	f.cases.CreateCase(f.as("staff.bj"), other)
	for _, filter := range []redress.CaseFilter{{Phone: "138 1234 5678"}, {IDNumber: "110101199003071234"}, {Account: "6222021234567890123"}} {
		page, err := f.cases.ListCases(f.as("mgr.bj"), filter)
		if err != nil || len(page.Cases) != 1 || page.Cases[0].No != c.No {
			t.Fatalf("lookup %+v: %v %v", filter, page, err)
		}
	}
	page, _ := f.cases.ListCases(f.as("mgr.sh"), redress.CaseFilter{Phone: "13812345678"})
	if len(page.Cases) != 0 {
		t.Fatal("lookups keep the scope")
	}
}

func TestAccusationHiddenFromTheAccused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	n := sampleCase()
	n.Accusation, n.Respondent = true, redress.Respondent{Org: "BJ-HD-01", Staff: "staff2.bj"}
	c, err := f.cases.CreateCase(f.as("staff.bj"), n)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.cases.Case(f.as("staff2.bj"), c.No)
	wantCode(t, err, redress.ENOTFOUND)
	_, err = f.cases.CaseEvents(f.as("staff2.bj"), c.No)
	wantCode(t, err, redress.ENOTFOUND)
	page, _ := f.cases.ListCases(f.as("staff2.bj"), redress.CaseFilter{})
	if len(page.Cases) != 0 {
		t.Fatal("the accused lists the accusation")
	}
	if _, err := f.cases.Case(f.as("staff.bj"), c.No); err != nil {
		t.Fatalf("colleagues still see it: %v", err)
	}
	n.Respondent.Staff = ""
	_, err = f.cases.CreateCase(f.as("staff.bj"), n)
	wantCode(t, err, redress.EINVALID) // an accusation names the person accused
}

func TestDeclaredConflict(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.register(t, "staff.bj")
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionAccept})
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionDeclareConflict, Reason: "投诉人是我的亲属"})
	if c.Handler != "" || len(c.Conflicts) != 1 || c.Conflicts[0].Author != "mgr.bj" {
		t.Fatalf("after declaring: handler %q conflicts %+v", c.Handler, c.Conflicts)
	}
	_, err := f.cases.Act(f.as("mgr.bj"), c.No, redress.ActionRequest{Action: redress.ActionAssign, Version: c.Version, Handler: "staff2.bj"})
	wantCode(t, err, redress.EFORBIDDEN)
	_, err = f.cases.Act(f.as("head.bj"), c.No, redress.ActionRequest{Action: redress.ActionAssign, Version: c.Version, Handler: "mgr.bj"})
	if _, ok := redress.ErrorFields(err)["handler"]; !ok {
		t.Fatalf("a conflicted user cannot be made handler: %v", err)
	}
	f.act(t, "head.bj", c, redress.ActionRequest{Action: redress.ActionAssign, Handler: "staff2.bj"})
}

func TestKeyRotation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for range 5 {
		f.register(t, "staff.bj")
	}
	mobile := "13911112222"
	if _, err := NewUserService(f.db).UpdateUser(f.as("admin"), "mgr.bj", redress.UserUpdate{Mobile: &mobile}); err != nil {
		t.Fatal(err)
	}
	k1 := bytes.Repeat([]byte{7}, redress.KeySize)
	k2 := bytes.Repeat([]byte{8}, redress.KeySize)
	rotated, err := redress.NewKeyring(map[int][]byte{1: k1, 2: k2})
	if err != nil {
		t.Fatal(err)
	}
	f.db.keys.Store(rotated)
	report, err := f.db.RotateKeys(f.as("admin"))
	if err != nil || report.Cases != 5 || report.Resealed != 5 || report.Remaining != 0 || report.KeyVersion != 2 || report.Users != 1 {
		t.Fatalf("rotate: %+v %v", report, err)
	}
	var old int
	f.db.read.QueryRow(`SELECT (SELECT COUNT(*) FROM cases WHERE c_phone_enc LIKE 'v1:%' OR c_id_number_enc LIKE 'v1:%'
		OR c_address_enc LIKE 'v1:%' OR c_email_enc LIKE 'v1:%')
		+ (SELECT COUNT(*) FROM users WHERE mobile_enc LIKE 'v1:%')`).Scan(&old)
	if old != 0 {
		t.Fatalf("%d fields still under key 1", old)
	}
	again, _ := f.db.RotateKeys(f.as("admin"))
	if again.Resealed != 0 {
		t.Fatal("a second rotation has nothing to do")
	}
	// A server that loaded only key 1 meets key-2 values: it reloads the key file.
	f.db.keys.Store(mustRing(t, map[int][]byte{1: k1}))
	f.db.SetKeyLoader(func() (*redress.Keyring, error) { return rotated, nil })
	page, err := f.cases.ListCases(f.as("mgr.bj"), redress.CaseFilter{Phone: "13812345678"})
	if err != nil || len(page.Cases) != 5 || page.Cases[0].Complainant.Phone != "138****5678" {
		t.Fatalf("after rotation, lookups and masking still work: %v %v", page, err)
	}
	report2, err := NewAuditService(f.db).VerifyAudit(f.as("auditor"))
	if err != nil || !report2.OK {
		t.Fatalf("audit after rotation: %+v %v", report2, err)
	}
}

func mustRing(t *testing.T, keys map[int][]byte) *redress.Keyring {
	t.Helper()
	ring, err := redress.NewKeyring(keys)
	if err != nil {
		t.Fatal(err)
	}
	return ring
}

// TestNoPersonalDataInTheFile writes cases through every path that touches
// personal data and greps the database for the numbers: on SQLite the file
// and its WAL, on PostgreSQL every value of every table.
func TestNoPersonalDataInTheFile(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.register(t, "staff.bj")
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionAccept})
	f.cases.Reveal(f.as("mgr.bj"), c.No, redress.RevealRequest{Field: redress.PIIPhone, Reason: "回访"})
	f.cases.ListCases(f.as("mgr.bj"), redress.CaseFilter{Phone: "13812345678"})
	f.db.RotateKeys(f.as("admin"))
	before := testEngine.Contents(t, f.dsn) // with the WAL, before closing checkpoints it
	if err := f.db.Close(); err != nil {
		t.Fatal(err)
	}
	after := testEngine.Contents(t, f.dsn)
	if !bytes.Contains(after, []byte("理财产品收益与宣传不符")) {
		t.Fatal("the database's contents do not show the case's subject: the check below would prove nothing")
	}
	for _, secret := range []string{"110101199003071234", "13812345678", "6222021234567890123", "中关村大街1号院", "zhang.san@mail.example"} {
		if bytes.Contains(after, []byte(secret)) || bytes.Contains(before, []byte(secret)) {
			t.Errorf("the %s database holds %s in clear", testEngine.Name, secret)
		}
	}
}
