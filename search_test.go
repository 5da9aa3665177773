package redress

import (
	"strings"
	"testing"
)

func TestSearchTerms(t *testing.T) {
	tests := []struct{ text, want string }{
		{"理财产品", "理财 财产 产品"},
		{"理财", "理财"},
		{"卡", "卡"},
		{"信用卡年费，ATM吞卡 TS20261120-00001", "信用 用卡 卡年 年费 atm 吞卡 ts20261120 00001"},
		{"客户A投诉", "客户 a 投诉"},
		{"  ", ""},
	}
	for _, tt := range tests {
		if got := strings.Join(SearchTerms(tt.text), " "); got != tt.want {
			t.Errorf("SearchTerms(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestFindFragment(t *testing.T) {
	f, ok := FindFragment("理财", 10, "subject", "信用卡年费", "description", "客户在网点购买理财产品后发现收益远低于宣传的预期收益率")
	if !ok || f.Field != "description" || f.Match != "理财" || f.Before != "…在网点购买" || f.After != "产品后发现…" {
		t.Fatalf("%+v %v", f, ok)
	}
	if _, ok := FindFragment("贷款", 10, "subject", "信用卡"); ok {
		t.Fatal("no match expected")
	}
	for _, bad := range []SearchQuery{{Q: "卡"}, {Q: "  "}, {Q: "！？"}, {Q: strings.Repeat("长", 51)}, {Q: "理财", Limit: 99}} {
		if err := bad.Validate(); ErrorCode(err) != EINVALID {
			t.Errorf("%+v: want invalid", bad)
		}
	}
}
