package web_test

import (
	"strings"
	"testing"
)

// TestOpinionRegisterOfAnOutlet_Seed002Arts3And10_意见登记簿: the outlet's
// opinion register lists the complaints the outlet received in the month,
// oldest first, each with its handling, its reply to the customer and the
// head's sign-off column (signed by name and date once signed off, blank to
// sign on paper before); another branch's manager sees none of them.
func TestOpinionRegisterOfAnOutlet_Seed002Arts3And10_意见登记簿(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	signed := f.repliedCase(t)
	f.act(t, "head", signed, "sign_off", `,"text":"同意"}`)
	later := f.create(t)["no"].(string) // received at the same time, registered later
	mgr := pageClient(t, f, "mgr")
	page := pageText(t, f, mgr, "/registers/opinion?org=BJ-01&month=2026-11")
	reg := between(page, `id="opinion-register"`, "</section>")
	if !strings.Contains(reg, signed) || !strings.Contains(reg, later) || strings.Index(reg, signed) > strings.Index(reg, later) {
		t.Fatalf("the register does not list the outlet's complaints in order: %s", reg)
	}
	row := between(reg, signed, "</tr>")
	for _, want := range []string{"张三", "138****5678", "理财产品收益与宣传不符", "不支持", "张伟", "2026年"} {
		if !strings.Contains(row, want) {
			t.Errorf("the signed row lacks %q: %s", want, row)
		}
	}
	if strings.Contains(reg, "13812345678") {
		t.Error("the register shows a phone number in full")
	}
	if other := pageText(t, f, pageClient(t, f, "mgr.sh"), "/registers/opinion?org=BJ-01&month=2026-11"); strings.Contains(other, signed) {
		t.Error("another branch's manager reads the outlet's register")
	}
	if bad := pageText(t, f, mgr, "/registers/opinion?org=BJ-01&month=2026-13"); !strings.Contains(bad, `id="err-month"`) {
		t.Error("a month that does not exist is not named")
	}
}
