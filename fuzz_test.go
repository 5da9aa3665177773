package redress

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// The decoders of the root package, fuzzed (issue 11, item 9): the holiday
// notice an admin types, a case list's filter, the cut of a text, the
// search fragment and the statistics page's period. The
// seed corpus is in testdata/fuzz/<target>; make test fuzzes each target
// for a few seconds.

// FuzzScheduleFromNotice reads a notice of one holiday line and one
// make-up day: it answers a schedule or problems, never a panic, and a
// schedule it answers reads back as a notice that gives the same schedule.
func FuzzScheduleFromNotice(f *testing.F) {
	f.Add("CN", 2027, "holiday", "春节", "2027-02-05", "2027-02-11", "workday", "2027-02-14")
	f.Fuzz(func(t *testing.T, region string, year int, kind, name, from, to, kind2, day string) {
		n := Notice{Region: region, Year: year, Entries: []NoticeEntry{
			{Kind: NoticeKind(kind), Name: name, From: from, To: to}, {Kind: NoticeKind(kind2), From: day, To: day}}}
		sched, probs := ScheduleFromNotice(n)
		if len(probs) > 0 {
			return
		}
		again, probs := ScheduleFromNotice(NoticeOf(sched))
		if len(probs) > 0 {
			t.Fatalf("the notice of an accepted schedule is refused: %v (%+v)", probs, n)
		}
		if again.Region != sched.Region || again.Year != sched.Year || len(again.Holidays) != len(sched.Holidays) || len(again.Workdays) != len(sched.Workdays) {
			t.Fatalf("schedule %+v reads back as %+v", sched, again)
		}
	})
}

// FuzzCaseFilterNormalize normalises any filter: a filter without problems
// has a limit in range and personal-data lookups without spaces.
func FuzzCaseFilterNormalize(f *testing.F) {
	f.Add("registered,accepted", "complaint", "counter", 2, "2026-11-01", "2026-11-30", 50, "due", "138 1234 5678")
	f.Fuzz(func(t *testing.T, statuses, kind, channel string, level int, from, to string, limit int, sort, phone string) {
		filter := CaseFilter{Kind: Kind(kind), Channel: Channel(channel), Level: level, ReceivedFrom: from, ReceivedTo: to,
			Limit: limit, Sort: sort, Phone: phone}
		for _, st := range strings.Split(statuses, ",") {
			filter.Status = append(filter.Status, Status(st))
		}
		var p Problems
		filter.Normalize(&p)
		if p.Err() != nil {
			return
		}
		if filter.Limit < 1 || filter.Limit > MaxListLimit || strings.Contains(filter.Phone, " ") {
			t.Fatalf("accepted %+v", filter)
		}
	})
}

// FuzzCutText cuts any text: never longer than asked, and UTF-8 stays UTF-8.
func FuzzCutText(f *testing.F) {
	f.Add(strings.Repeat("a", 63)+"王芳", 64)
	f.Fuzz(func(t *testing.T, s string, n int) {
		got := CutText(s, n)
		if len(got) > max(n, 0) || !strings.HasPrefix(s, got) {
			t.Fatalf("CutText(%q, %d) = %q", s, n, got)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("CutText(%q, %d) = %q is not UTF-8", s, n, got)
		}
		if utf8.ValidString(s) && n < len(s) && n >= 0 && len(got) < n-utf8.UTFMax+1 {
			t.Fatalf("CutText(%q, %d) = %q cut too much", s, n, got)
		}
	})
}

// FuzzFindFragment cuts a search result's fragment from any text: never a
// panic, and a match found is the query itself when case is ignored.
func FuzzFindFragment(f *testing.F) {
	f.Add("理财", "ȺȺȺȺ理财产品", 40)
	f.Fuzz(func(t *testing.T, q, text string, width int) {
		if !utf8.ValidString(q) || !utf8.ValidString(text) || width < 0 || width > 1000 {
			return // the edge refuses text that is not UTF-8; widths are the store's constants
		}
		frag, ok := FindFragment(q, width, "subject", text)
		if ok && !strings.EqualFold(frag.Match, q) && strings.ToLower(frag.Match) != strings.ToLower(q) {
			t.Fatalf("FindFragment(%q, %q) matched %q", q, text, frag.Match)
		}
	})
}

// FuzzPeriodOf reads the statistics page's period (kind and value): it
// answers a period of at most a year, first day before last, or a problem
// naming period or value, never a panic.
func FuzzPeriodOf(f *testing.F) {
	for _, seed := range [][2]string{{"month", "2026-11"}, {"quarter", "2026-Q4"}, {"year", "2026"}, {"month", "2026-13"},
		{"quarter", "2026-Q0"}, {"week", "1"}, {"month", "-001-01"}} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, kind, value string) {
		from, to, err := PeriodOf(kind, value)
		if err != nil {
			fields := ErrorFields(err)
			if ErrorCode(err) != EINVALID || (fields["period"] == "" && fields["value"] == "") {
				t.Fatalf("PeriodOf(%q, %q): %v", kind, value, err)
			}
			return
		}
		if to.Before(from) || to.Sub(from) > 365 {
			t.Fatalf("PeriodOf(%q, %q) = %s–%s", kind, value, from, to)
		}
	})
}
