package redress

import (
	"strings"
	"unicode/utf8"
)

// StorableTextProblem returns the problem key of text that no engine may
// store: ProblemNotUTF8 for bytes that are not UTF-8, ProblemControlChars
// for a NUL character (PostgreSQL's text refuses both); "" when s may be
// stored. The edge (web) asks it of every path value, query parameter, form
// value and JSON string before anything reaches a service.
func StorableTextProblem(s string) string {
	switch {
	case !utf8.ValidString(s):
		return ProblemNotUTF8
	case strings.IndexByte(s, 0) >= 0:
		return ProblemControlChars
	}
	return ""
}

// CutText returns s cut to at most n bytes, on a character boundary: a
// character that would be split is left out whole, so valid UTF-8 stays
// valid.
func CutText(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
