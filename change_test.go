package redress

import (
	"strings"
	"testing"
)

func TestDiffCase(t *testing.T) {
	before := &Case{No: "TS20261120-00001", Status: StatusAccepted, Level: 2, Handler: "mgr.sub",
		Complainant: Complainant{Phone: "138****8000"}}
	after := *before
	after.Status, after.Handler = StatusInvestigating, ""
	after.Determination = &Determination{Liability: LiabilityNoFault, RootCause: "误解"}
	changes := DiffCase(before, &after)
	got := map[string]Change{}
	for i, c := range changes {
		got[c.Field] = c
		if i > 0 && changes[i-1].Field > c.Field {
			t.Errorf("changes not sorted by field: %v", changes)
		}
	}
	if c := got["status"]; c.Before != "accepted" || c.After != "investigating" {
		t.Errorf("status change %+v", c)
	}
	if c := got["handler"]; c.Before != "mgr.sub" || c.After != "" {
		t.Errorf("handler change %+v", c)
	}
	if c := got["liability"]; c.Before != "" || c.After != "no_fault" {
		t.Errorf("liability change %+v", c)
	}
	if _, ok := got["level"]; ok {
		t.Error("an unchanged field is not a change")
	}
	for _, c := range DiffCase(nil, &after) {
		if c.Field == "complainant.phone" && c.After != "138****8000" {
			t.Errorf("a new case's phone is recorded as the case carries it, masked: %+v", c)
		}
	}
}

func TestSearchDocument(t *testing.T) {
	c := &Case{No: "TS20261120-00001", Complainant: Complainant{Name: "王建国", Phone: "13800138000"}, Subject: "信用卡年费",
		Description: "客户称未开卡被收年费", Findings: []Entry{{Text: "柜员未告知年费规则"}},
		Reply: &Reply{Facts: "已核实", Basis: "领用合约", Redress: "退还年费"}}
	doc := " " + SearchDocument(c) + " "
	for _, term := range []string{"年费", "王建", "柜员", "退还", "合约", "ts20261120"} {
		if !strings.Contains(doc, " "+term+" ") {
			t.Errorf("the document lacks %q: %s", term, doc)
		}
	}
	if strings.Contains(doc, "13800138000") {
		t.Error("personal data (the phone) is never searchable text")
	}
}
