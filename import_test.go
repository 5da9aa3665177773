package redress

import (
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"
)

var importHeader = []string{"\ufeff外部编号", "类型", "渠道", "受理日期", "投诉人", "证件号码", "联系电话", "主题", "投诉内容",
	"机构代码", "状态", "答复日期", "办结日期", "办结原因", "备注"}

func TestImportMapping_Issue16Item5(t *testing.T) {
	m, err := NewImportMapping(importHeader)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Ignored, []string{"备注"}) {
		t.Fatalf("ignored: %v", m.Ignored)
	}
	english := []string{"External_No", "kind", "channel", "received_at", "complainant_name", "subject", "description", "org", "status"}
	if _, err := NewImportMapping(english); err != nil {
		t.Fatalf("English headers: %v", err)
	}
	_, err = NewImportMapping([]string{"外部编号", "编号", "类型"})
	problems := ErrorProblems(err)
	if problems["header.external_no"].Key != ProblemImportHeaderTwice || problems["header.subject"].Key != ProblemImportHeaderMissing {
		t.Fatalf("header problems: %v", err)
	}
}

func TestReadImportRow_Issue16Item5(t *testing.T) {
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, Beijing)
	m, err := NewImportMapping(importHeader)
	if err != nil {
		t.Fatal(err)
	}
	good := []string{"ZJ-1", "投诉", "电话", "2023-03-06 09:30", "张三", "110101199003071234", "13812345678", "年费", "收取年费。",
		"BJ", "已办结", "2023-03-15", "2023-03-20", "", "x"}
	with := func(i int, v string) []string { row := slices.Clone(good); row[i] = v; return row }
	tests := []struct {
		name string
		row  []string
		want map[string]string // field → problem key
	}{
		{"a closed complaint", good, nil},
		{"a short row is read as blank cells", good[:11], map[string]string{"closed_at": ProblemImportEndedNeeds}},
		{"the case's own rules (NewCase.Validate)", with(6, "12345"), map[string]string{"complainant.phone": ProblemPhone}},
		{"an unknown status", with(10, "挂起"), map[string]string{"status": ProblemChoice}},
		{"a status in English", with(10, "closed"), nil},
		{"an open case has no closing date", with(10, "已受理"), map[string]string{"closed_at": ProblemImportOpenDated}},
		{"a withdrawal needs its reason", with(10, "已撤回"), map[string]string{"end_reason": ProblemRequired}},
		{"closed before received", with(12, "2023-03-01"), map[string]string{"closed_at": ProblemImportDateOrder}},
		{"decided before received", with(11, "2023-03-01"), map[string]string{"decided_at": ProblemImportDateOrder}},
		{"a date in the future", with(12, "2027-01-01"), map[string]string{"closed_at": ProblemFuture}},
		{"not a date", with(3, "3月6日"), map[string]string{"received_at": ProblemImportDate}},
		{"no external number", with(0, ""), map[string]string{"external_no": ProblemRequired}},
		{"an external number too long", with(0, strings.Repeat("x", 65)), map[string]string{"external_no": ProblemTooLong}},
		{"an unknown kind", with(1, "表扬"), map[string]string{"kind": ""}},
		{"an unknown channel", with(2, "飞鸽"), map[string]string{"channel": ""}},
		{"no unit", with(9, ""), map[string]string{"org": ProblemRequired}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ic, err := m.ReadImportRow(tc.row, now)
			fields := ErrorFields(err)
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("want no problem, got %v", err)
				}
				if ic.Status != StatusClosed || ic.Kind != KindComplaint || ic.Channel != ChannelPhone ||
					!ic.ReceivedAt.Equal(time.Date(2023, 3, 6, 9, 30, 0, 0, Beijing)) || ic.Complainant.IDType != IDResident {
					t.Fatalf("read: %+v", ic)
				}
				return
			}
			for field, key := range tc.want {
				if _, ok := fields[field]; !ok {
					t.Errorf("no problem on %s: %v", field, fields)
				}
				if key != "" && ErrorProblems(err)[field].Key != key {
					t.Errorf("%s: want %s, got %v", field, key, ErrorProblems(err)[field])
				}
			}
		})
	}
}

func TestParseImportTime_Issue16Item5(t *testing.T) {
	day := time.Date(2023, 3, 6, 0, 0, 0, 0, Beijing)
	for in, want := range map[string]time.Time{
		"2023-03-06": day, "2023/3/6": day, "2023年3月6日": day, "20230306": day, "2023.03.06": day,
		"2023-03-06 09:30":          day.Add(9*time.Hour + 30*time.Minute),
		"44991":                     day, // Excel's serial day of 2023-03-06
		"44991.5":                   day.Add(12 * time.Hour),
		"2023-03-06T09:30:00+08:00": day.Add(9*time.Hour + 30*time.Minute),
	} {
		got, err := ParseImportTime(in)
		if err != nil || !got.Equal(want) {
			t.Errorf("%q: %v %v, want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "3/6", "1e5", "12", "yesterday"} {
		if _, err := ParseImportTime(bad); err == nil {
			t.Errorf("%q read as a date", bad)
		}
	}
}

// TestImportOverdueClocks_Issue16Item5: the clocks an open imported case has
// overdue on the day of the import, which the sweep is not to notice.
func TestImportOverdueClocks_Issue16Item5(t *testing.T) {
	today := Date{2026, 11, 21}
	open := &Case{Status: StatusAccepted, ReplyDue: "2025-01-09", DecisionDue: "2025-01-27"}
	if got := ImportOverdueClocks(open, today); !slices.Equal(got, []DueClock{DueReply, DueDecision}) {
		t.Fatalf("open: %v", got)
	}
	fresh := &Case{Status: StatusRegistered, ReplyDue: "2026-11-24", DecisionDue: "2026-12-08"}
	if got := ImportOverdueClocks(fresh, today); len(got) != 0 {
		t.Fatalf("clocks not yet due are left to the sweep: %v", got)
	}
	closed := &Case{Status: StatusClosed, ReplyDue: "2023-03-09", DecisionDue: "2023-03-27"}
	if got := ImportOverdueClocks(closed, today); len(got) != 0 {
		t.Fatalf("a closed case runs no clock: %v", got)
	}
}

func TestReadImportLines_Issue16Item5(t *testing.T) {
	rows := [][]string{{"外部编号"}, {"A"}, {"", " "}, {"B"}}
	next := func() ([]string, error) {
		if len(rows) == 0 {
			return nil, io.EOF
		}
		r := rows[0]
		rows = rows[1:]
		return r, nil
	}
	header, lines, err := ReadImportLines(next)
	if err != nil || header[0] != "外部编号" {
		t.Fatal(header, err)
	}
	var got []int64
	for l, err := range lines {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, l.Row)
	}
	if !slices.Equal(got, []int64{2, 4}) {
		t.Fatalf("rows %v: a blank row is left out, the numbers stay the file's", got)
	}
	_, _, err = ReadImportLines(func() ([]string, error) { return nil, io.EOF })
	if ErrorCode(err) != EINVALID {
		t.Fatalf("empty file: %v", err)
	}
	_, _, err = ReadImportLines(func() ([]string, error) { return nil, errors.New("broken") })
	if err == nil {
		t.Fatal("a broken header is an error")
	}
}
