package sqldb

import (
	"bytes"
	"testing"
	"time"

	"redress"
)

// TestLostPropertyReturned_Seed003_失物登记: an item found in the hall is
// registered with where and when, who found it, the CCTV reference and
// where it is kept; the owner's tracing is recorded; it is handed back
// against the receiver's name, a checked ID (sealed at rest, masked on read)
// and the signed slip, under its version, every step audited; another branch
// sees nothing; a disposal waits for the retention period.
func TestLostPropertyReturned_Seed003_失物登记(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	svc := NewLostService(f.db)
	n := redress.NewLostItem{Org: "BJ-HD-01", Description: "黑色资料袋，内有现金支票、公章", FoundAt: f.clock.Add(-time.Hour),
		Place: "大堂座椅旁", FoundBy: "大堂经理 王芳", CCTVRef: "监控 3 号 17:05", KeptAt: "网点保险柜"}
	if _, err := svc.RegisterLost(f.as("auditor"), n); redress.ErrorCode(err) != redress.EFORBIDDEN {
		t.Fatalf("an auditor registers: %v", err)
	}
	bad := redress.NewLostItem{Org: "BJ-HD-01", FoundAt: f.clock.Add(time.Hour)}
	if fields := redress.ErrorFields(func() error { _, err := svc.RegisterLost(f.as("staff.bj"), bad); return err }()); fields["description"] == "" || fields["found_at"] == "" || fields["kept_at"] == "" {
		t.Fatalf("an empty registration: %v", fields)
	}
	item, err := svc.RegisterLost(f.as("staff.bj"), n)
	if err != nil || item.Status != redress.LostKept || item.Ref != "SW-000001" || item.Version != 1 {
		t.Fatalf("registered: %+v %v", item, err)
	}
	if _, err := svc.Lost(f.as("mgr.sh"), item.ID); redress.ErrorCode(err) != redress.ENOTFOUND {
		t.Fatalf("another branch reads it: %v", err)
	}
	step := func(login string, req redress.LostRequest) (*redress.LostItem, error) {
		return svc.StepLost(f.as(login), item.ID, req)
	}
	if item, err = step("staff.bj", redress.LostRequest{Step: redress.LostStepTrace, Version: 1, Note: "调取监控，资料袋内名片，电话联系失主宋先生"}); err != nil {
		t.Fatal(err)
	}
	if _, err := step("staff.bj", redress.LostRequest{Step: redress.LostStepDispose, Version: item.Version, Note: "无人认领"}); redress.ErrorCode(err) != redress.ECONFLICT {
		t.Fatalf("a disposal the same day: %v", err)
	}
	missing := redress.LostRequest{Step: redress.LostStepReturn, Version: item.Version, ReceiverName: "宋先生", ReceiverIDType: redress.IDResident, ReceiverIDNumber: "123"}
	if fields := redress.ErrorFields(func() error { _, err := step("staff.bj", missing); return err }()); fields["receiver_id_number"] == "" || fields["signed"] == "" {
		t.Fatalf("a return with a bad ID and no signature: %v", fields)
	}
	back := redress.LostRequest{Step: redress.LostStepReturn, Version: item.Version, ReceiverName: "宋先生", ReceiverIDType: redress.IDResident,
		ReceiverIDNumber: "110101199003071234", Signed: true, Note: "失主当场清点无误"}
	if item, err = step("mgr.bj", back); err != nil || item.Status != redress.LostReturned || item.ReceiverIDNumber != "110***********1234" || item.ClosedBy != "mgr.bj" {
		t.Fatalf("returned: %+v %v", item, err)
	}
	if _, err := step("mgr.bj", back); redress.ErrorCode(err) != redress.ECONFLICT {
		t.Fatalf("returned twice: %v", err)
	}
	list, err := svc.LostItems(f.as("head.bj"), redress.LostFilter{Status: redress.LostReturned})
	if err != nil || len(list) != 1 || list[0].Traced == "" {
		t.Fatalf("the register: %+v %v", list, err)
	}
	page, err := NewAuditService(f.db).ListEvents(f.as("auditor"), redress.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range page.Events {
		if e.Subject.Kind == redress.SubjectLost {
			actions = append([]string{e.Action}, actions...)
		}
	}
	if len(actions) != 3 || actions[0] != "lost.register" || actions[1] != "lost.trace" || actions[2] != "lost.return" {
		t.Fatalf("audit: %v", actions)
	}
	if contents := testEngine.Contents(t, f.dsn); bytes.Contains(contents, []byte("110101199003071234")) {
		t.Fatal("the receiver's ID number is stored in clear")
	}
	// After the retention period an item that cannot be kept is disposed of.
	old, err := svc.RegisterLost(f.as("staff.bj"), redress.NewLostItem{Org: "BJ-HD-01", Description: "雨伞", FoundAt: f.clock.Add(-time.Hour),
		Place: "门口", FoundBy: "保安", KeptAt: "大堂柜"})
	if err != nil {
		t.Fatal(err)
	}
	f.clock = f.clock.AddDate(0, 0, redress.LostRetentionDays)
	if d, err := svc.StepLost(f.as("staff.bj"), old.ID, redress.LostRequest{Step: redress.LostStepDispose, Version: 1, Note: "保管期满无人认领，按规定处置"}); err != nil || d.Status != redress.LostDisposed {
		t.Fatalf("disposed after %d days: %+v %v", redress.LostRetentionDays, d, err)
	}
}
