package redress

import (
	"strings"
	"testing"
	"time"
)

func validCase() NewCase {
	return NewCase{Kind: KindComplaint, Channel: ChannelCounter,
		ReceivedAt:  time.Date(2026, 11, 20, 9, 30, 0, 0, Beijing),
		Complainant: Complainant{Name: "张三", IDType: IDResident, IDNumber: "110101199003071234", Phone: "13812345678"},
		Subject:     "理财产品收益与宣传不符", Description: "客户称收益低于宣传", Request: "赔偿", Amount: "5000.00"}
}

func TestNewCaseValidate(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, Beijing)
	tests := []struct {
		name   string
		change func(*NewCase)
		field  string
	}{
		{"valid", func(*NewCase) {}, ""},
		{"lower-case x in ID", func(n *NewCase) { n.Complainant.IDNumber = "11010119900307123x" }, ""},
		{"unknown kind", func(n *NewCase) { n.Kind = "rant" }, "kind"},
		{"unknown channel", func(n *NewCase) { n.Channel = "pigeon" }, "channel"},
		{"no time", func(n *NewCase) { n.ReceivedAt = time.Time{} }, "received_at"},
		{"future", func(n *NewCase) { n.ReceivedAt = now.Add(time.Hour) }, "received_at"},
		{"no name", func(n *NewCase) { n.Complainant.Name = " " }, "complainant.name"},
		{"bad ID", func(n *NewCase) { n.Complainant.IDNumber = "12345" }, "complainant.id_number"},
		{"ID without type", func(n *NewCase) { n.Complainant.IDType = "" }, "complainant.id_type"},
		{"bad phone", func(n *NewCase) { n.Complainant.Phone = "12345" }, "complainant.phone"},
		{"landline", func(n *NewCase) { n.Complainant.Phone = "010-12345678" }, ""},
		{"bad account", func(n *NewCase) { n.Complainant.Account = "62x" }, "complainant.account"},
		{"bad credit code", func(n *NewCase) { n.Complainant.CreditCode = "ABC" }, "complainant.credit_code"},
		{"no subject", func(n *NewCase) { n.Subject = "" }, "subject"},
		{"long subject", func(n *NewCase) { n.Subject = strings.Repeat("投", 201) }, "subject"},
		{"control chars", func(n *NewCase) { n.Description = "a\x00b" }, "description"},
		{"bad amount", func(n *NewCase) { n.Amount = "12.345" }, "amount"},
		{"negative amount", func(n *NewCase) { n.Amount = "-5" }, "amount"},
		{"bad risk", func(n *NewCase) { n.Risk = "extreme" }, "risk"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := validCase()
			tt.change(&n)
			err := n.Validate(now)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				if n.Risk != RiskLow || n.Priority != PriorityNormal {
					t.Fatalf("defaults not filled: %s %s", n.Risk, n.Priority)
				}
				return
			}
			if _, ok := ErrorFields(err)[tt.field]; !ok {
				t.Fatalf("want a problem with %s, got %v", tt.field, err)
			}
		})
	}
}

func TestTrackingNumber(t *testing.T) {
	at := time.Date(2026, 11, 20, 17, 0, 0, 0, time.UTC) // 01:00 on the 21st in Beijing
	no := TrackingNumber(KindComplaint, at, 42)
	if no != "TS20261121-00042" || !ValidTrackingNumber(no) {
		t.Fatalf("got %s", no)
	}
	if ValidTrackingNumber("TS2026-1") || ValidTrackingNumber("../etc") {
		t.Fatal("malformed numbers must be refused")
	}
}

func TestAmounts(t *testing.T) {
	for in, fen := range map[string]int64{"5000.00": 500000, "0.5": 50, "12": 1200, "0.01": 1} {
		got, err := ParseAmount(in)
		if err != nil || got != fen {
			t.Errorf("ParseAmount(%s) = %d %v", in, got, err)
		}
	}
	for fen, out := range map[int64]string{500000: "5000.00", 50: "0.50", 1: "0.01", 0: "0.00"} {
		if got := FormatAmount(fen); got != out {
			t.Errorf("FormatAmount(%d) = %s", fen, got)
		}
	}
}

// TestComplainantNoticeBy_Issue14Item2: the customer's chosen notice method
// is one a notice goes by, with the contact it needs.
func TestComplainantNoticeBy_Issue14Item2(t *testing.T) {
	for _, tt := range []struct {
		who   Complainant
		field string
	}{
		{Complainant{Name: "张三", NoticeBy: "pigeon"}, "complainant.notice_by"},
		{Complainant{Name: "张三", NoticeBy: NoticeLetter}, "complainant.address"},
		{Complainant{Name: "张三", NoticeBy: NoticeEmail}, "complainant.email"},
		{Complainant{Name: "张三", NoticeBy: NoticeSMS}, "complainant.phone"},
		{Complainant{Name: "张三", NoticeBy: NoticeLetter, Address: "北京市海淀区中关村大街1号"}, ""},
		{Complainant{Name: "张三"}, ""},
	} {
		var p Problems
		tt.who.validate(&p)
		fields := ErrorFields(p.Err())
		if tt.field == "" && len(fields) != 0 || tt.field != "" && fields[tt.field] == "" {
			t.Errorf("%+v: problems %v, want %q", tt.who, fields, tt.field)
		}
	}
}
