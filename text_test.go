package redress

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestStorableTextProblem_Issue11Item5(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want string
	}{
		{"", ""},
		{"王芳 wang\n\ttab", ""},
		{"a\x00b", ProblemControlChars},
		{"\xff", ProblemNotUTF8},
		{"理财\xe7\x90", ProblemNotUTF8},   // a character cut short
		{"\xed\xa0\x80", ProblemNotUTF8}, // a UTF-16 surrogate
	} {
		if got := StorableTextProblem(tc.in); got != tc.want {
			t.Errorf("StorableTextProblem(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// A login cut for the audit actor (64 bytes) is cut between characters: 王
// is 3 bytes, so 63 bytes of a then 王 must not keep 王's first byte.
func TestCutTextOnRuneBoundary_Issue11Item5(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", 63) + "王芳"
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 64, "abc"},
		{"abc", 2, "ab"},
		{"abc", 0, ""},
		{long, 64, strings.Repeat("a", 63)},
		{long, 66, strings.Repeat("a", 63) + "王"},
		{"王芳", 5, "王"},
		{"王芳", 6, "王芳"},
	} {
		got := CutText(tc.in, tc.n)
		if got != tc.want || !utf8.ValidString(got) || len(got) > max(tc.n, 0) {
			t.Errorf("CutText(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}
