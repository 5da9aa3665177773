package redress

import (
	"errors"
	"strings"
	"testing"
)

// TestEvidenceName_NoBidiNoInvisibleNoDotNames is issue 11 item 6: a file
// name loses bidi controls and invisible characters, keeps no path, and may
// not be empty, "." or "..".
func TestEvidenceName_NoBidiNoInvisibleNoDotNames(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("账", MaxEvidenceNameChars+5)
	for _, tc := range []struct {
		name, in, want, problem string
	}{
		{"plain", "交易凭证.pdf", "交易凭证.pdf", ""},
		{"a unix path keeps its last segment", "../../etc/passwd", "passwd", ""},
		{"a windows path keeps its last segment", `C:\Users\李四\Desktop\扫描件.jpg`, "扫描件.jpg", ""},
		{"mixed separators", `..\..\evil<script>.pdf`, "evil<script>.pdf", ""},
		{"right-to-left override", "invoice\u202Efdp.exe", "invoicefdp.exe", ""},
		{"every bidi embedding, override, isolate and mark", "a\u202Ab\u202Bc\u202Cd\u202De\u2066f\u2067g\u2068h\u2069i\u200Ej\u200Fk\u061Cl", "abcdefghijkl", ""},
		{"zero-width characters, byte-order mark, soft hyphen", "\uFEFF身\u200B份\u200C证\u200D\u2060\u00AD.png", "身份证.png", ""},
		{"variation selectors, grapheme joiner, Hangul filler", "a\uFE0Fb\u034Fc\u3164d.txt", "abcd.txt", ""},
		{"control characters, line separators and quotes", "a\x00b\x1bc\x7fd\u0085e\u2028f\u2029\"g\".txt", "abcdefg.txt", ""},
		{"private use and unassigned code points", "a\uE000b\U000F0000c\u0378d.txt", "abcd.txt", ""},
		{"other spaces become one space each, trimmed", "\u3000 信函\u00A0扫描\u3000件.pdf \t", "信函 扫描 件.pdf", ""},
		{"cut to the limit", long, long[:len("账")*MaxEvidenceNameChars], ""},
		{"empty", "", "", ProblemRequired},
		{"spaces only", " \u3000 ", "", ProblemRequired},
		{"invisible only", "\u202E\u200B\uFEFF", "", ProblemRequired},
		{"a path ending in a separator", "scans/", "", ProblemRequired},
		{"dot", ".", "", ProblemFileName},
		{"dot dot", "..", "", ProblemFileName},
		{"dot dot behind a path", "a/b/..", "", ProblemFileName},
		{"dot dot behind invisible characters", "\u200B.\u202E.\u200B", "", ProblemFileName},
		{"dot dot behind spaces", "  ..  ", "", ProblemFileName},
		{"three dots is a name", "...", "...", ""},
		{"invalid UTF-8", "scan\xff.pdf", "", ProblemNotUTF8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := EvidenceName("file", tc.in)
			if tc.problem == "" {
				if err != nil || got != tc.want {
					t.Fatalf("EvidenceName(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
				}
				if strings.ContainsAny(got, `/\`) {
					t.Fatalf("EvidenceName(%q) = %q keeps a path separator", tc.in, got)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != EINVALID || e.Problems["file"].Key != tc.problem {
				t.Fatalf("EvidenceName(%q) = %q, %v; want the problem %s on file", tc.in, got, err, tc.problem)
			}
		})
	}
}

// TestCleanEvidence_TypeAndName: the name is EvidenceName's, the type is
// served as itself only from the safe list.
func TestCleanEvidence_TypeAndName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, typ, wantName, wantType string }{
		{"a.pdf", "application/pdf", "a.pdf", "application/pdf"},
		{"a.html", "text/html; charset=utf-8", "a.html", "application/octet-stream"},
		{"\u202Ea.jpg", "image/jpeg; q=1", "a.jpg", "image/jpeg"},
		{"b.bin", "not a type", "b.bin", "application/octet-stream"},
	} {
		name, typ, err := CleanEvidence(tc.name, tc.typ)
		if err != nil || name != tc.wantName || typ != tc.wantType {
			t.Errorf("CleanEvidence(%q, %q) = %q, %q, %v; want %q, %q", tc.name, tc.typ, name, typ, err, tc.wantName, tc.wantType)
		}
	}
	if _, _, err := CleanEvidence("..", "text/plain"); ErrorCode(err) != EINVALID {
		t.Errorf(`CleanEvidence("..") = %v, want EINVALID`, err)
	}
}
