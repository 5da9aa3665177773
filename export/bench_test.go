package export

import (
	"io"
	"testing"
	"time"
)

// benchmarkRows writes b.N rows of the case list's shape (16 columns, the
// kinds its sheet has) in the format: go test -bench . -cpuprofile shows
// where a row's time goes in the writers alone.
func benchmarkRows(b *testing.B, f Format) {
	cols := []Column{{Title: "案件编号", Width: 20}, {Title: "类型"}, {Title: "渠道"}, {Title: "受理时间", Kind: DateTime}, {Title: "姓名"},
		{Title: "证件号码"}, {Title: "电话"}, {Title: "事由", Width: 40}, {Title: "业务类别"}, {Title: "机构"}, {Title: "经办人"},
		{Title: "级别", Kind: Int}, {Title: "状态"}, {Title: "处理期限", Kind: Date}, {Title: "逾期"}, {Title: "金额", Kind: Amount}}
	at := time.Date(2026, 11, 20, 9, 30, 0, 0, beijing)
	w, err := NewWriter(f, io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	if err := w.Table("案件清单", cols); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := range b.N {
		if err := w.Row("TS20261120000123", "投诉", "柜面", at, "张三", "110***********1234", "138****5678", "理财产品收益与宣传不符",
			"B06", "BJ-HD-01", "staff.bj", i%4+1, "已办结", "2026-12-05", "", "5000.00"); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkCSVRows(b *testing.B)  { benchmarkRows(b, CSV) }
func BenchmarkXLSXRows(b *testing.B) { benchmarkRows(b, XLSX) }
