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

// A text whose lower case is longer or shorter than itself (Ⱥ → ⱥ grows a
// byte, İ → i loses one) is cut where the match is in the text itself
// (issue 11, item 5): before, the offsets of the lower-cased text cut
// 理财 apart, or ran past the end (a panic, a 500 of the search).
func TestFindFragmentWhereLowerCaseChangesLength_Issue11Item5(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ q, text, before, match, after string }{
		{"理财", "ȺȺȺȺ理财", "ȺȺȺȺ", "理财", ""},
		{"理财", "İİİİ理财产品", "İİİİ", "理财", "产品"},
		{"ⱥb", "xȺB理", "x", "ȺB", "理"},
		{"abc", "ABC", "", "ABC", ""},
	} {
		f, ok := FindFragment(tc.q, 40, "subject", tc.text)
		if !ok || f.Before != tc.before || f.Match != tc.match || f.After != tc.after {
			t.Errorf("FindFragment(%q, %q) = %+v %v, want %q|%q|%q", tc.q, tc.text, f, ok, tc.before, tc.match, tc.after)
		}
	}
}
