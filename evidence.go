package redress

import (
	"context"
	"io"
	"maps"
	"mime"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxEvidenceBytes is the largest evidence file accepted: 20 MiB.
const MaxEvidenceBytes = 20 << 20

// Evidence is a file kept with a case: a scanned letter, a voucher, a
// recording, a CCTV still. Its SHA-256 identifies the content; the content
// is encrypted at rest, as it may show personal data.
type Evidence struct {
	ID          int64  `json:"id"`
	CaseNo      string `json:"case"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	Note        string `json:"note,omitempty"`
	// Kind is what the file is: a transcript (笔录), an audio or video
	// recording of the conversation (录音, 录像) or other (seed 000 4.2).
	Kind       EvidenceKind `json:"kind"`
	UploadedBy string       `json:"uploaded_by"`
	UploadedAt time.Time    `json:"uploaded_at"`
	// DeletedAt is when retention deleted the content (the SHA-256 is kept).
	DeletedAt *time.Time `json:"deleted_at,omitempty"`
}

// NewEvidence is a file to add to a case.
type NewEvidence struct {
	Name        string
	ContentType string
	Note        string
	Kind        EvidenceKind // "" is other
	Body        io.Reader    // at most MaxEvidenceBytes
}

// EvidenceKind is what an evidence file is.
type EvidenceKind string

// The kinds of evidence file: 对于重要问题，应及时进行笔录或录音录像 (seed 000 4.2).
const (
	EvidenceTranscript EvidenceKind = "transcript" // 笔录
	EvidenceAudio      EvidenceKind = "audio"      // 录音
	EvidenceVideo      EvidenceKind = "video"      // 录像
	EvidenceOther      EvidenceKind = "other"
)

// EvidenceKinds lists every kind of evidence file.
var EvidenceKinds = []EvidenceKind{EvidenceTranscript, EvidenceAudio, EvidenceVideo, EvidenceOther}

// CheckEvidenceKind answers the kind of a file as stored ("" is other) or
// the problem of the field kind.
func CheckEvidenceKind(k EvidenceKind) (EvidenceKind, error) {
	if k == "" {
		return EvidenceOther, nil
	}
	if !oneOf(k, EvidenceKinds) {
		var p Problems
		p.AddKey("kind", ProblemChoice, valueList(EvidenceKinds))
		return "", p.Err()
	}
	return k, nil
}

// safeTypes are the content types served back as themselves; anything else
// is served as application/octet-stream, so a browser never runs an upload.
var safeTypes = map[string]bool{
	"application/pdf": true, "image/jpeg": true, "image/png": true, "image/gif": true, "image/webp": true,
	"audio/mpeg": true, "audio/wav": true, "audio/x-wav": true, "audio/mp4": true, "audio/amr": true,
	"video/mp4": true, "text/plain": true, "application/zip": true,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": true,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":       true,
	"application/msword": true, "application/vnd.ms-excel": true,
}

// ServedEvidenceTypes lists the content types a file may be served as: the
// safe types, and application/octet-stream for every other.
func ServedEvidenceTypes() []string {
	return append(slices.Sorted(maps.Keys(safeTypes)), "application/octet-stream")
}

// MaxEvidenceNameChars is the longest evidence name kept, in characters.
const MaxEvidenceNameChars = 200

// EvidenceName cleans the name a file was uploaded under into the name it is
// kept and served under:
//
//   - only the last segment of a path is kept, whether its separators are
//     "/" or "\" (a browser may send C:\Users\…\scan.pdf), so a name has no
//     path separator;
//   - it loses every character that is not seen or that changes how the
//     others are seen: control characters (Cc), format characters (Cf:
//     the bidi embeddings, overrides and isolates U+202A–U+202E and
//     U+2066–U+2069, the marks U+200E, U+200F and U+061C, zero-width
//     spaces and joiners, the byte-order mark, the soft hyphen), the
//     line and paragraph separators, the other default-ignorable
//     characters (variation selectors, the combining grapheme joiner, the
//     Hangul fillers), private-use and unassigned code points, and '"';
//   - every other kind of space becomes a plain space, and the name is
//     trimmed of spaces at both ends;
//   - it is cut to MaxEvidenceNameChars characters.
//
// What is left may not be empty, "." or "..", and the name must have been
// valid UTF-8: each is an EINVALID problem of field.
func EvidenceName(field, name string) (string, error) {
	var p Problems
	if !utf8.ValidString(name) {
		p.AddKey(field, ProblemNotUTF8)
		return "", p.Err()
	}
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		switch {
		case invisibleInName(r):
			return -1
		case unicode.IsSpace(r) || unicode.Is(unicode.Zs, r):
			return ' '
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if r := []rune(name); len(r) > MaxEvidenceNameChars {
		name = strings.TrimSpace(string(r[:MaxEvidenceNameChars]))
	}
	switch name {
	case "":
		p.AddKey(field, ProblemRequired)
	case ".", "..":
		p.AddKey(field, ProblemFileName)
	}
	if err := p.Err(); err != nil {
		return "", err
	}
	return name, nil
}

// invisibleInName reports whether r is dropped from a file name: a
// character that is not seen, or that changes how the others are seen.
func invisibleInName(r rune) bool {
	switch {
	case r == '"', r == '\u2028', r == '\u2029':
		return true
	case unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co, unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point):
		return true
	}
	return !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z) // unassigned
}

// CleanEvidence cleans a new file's name (EvidenceName, field "file") and
// type: a content type that is not on the safe list becomes
// application/octet-stream.
func CleanEvidence(name, contentType string) (string, string, error) {
	name, err := EvidenceName("file", name)
	if err != nil {
		return "", "", err
	}
	mediaType, _, err := mime.ParseMediaType(contentType)
	if err != nil || !safeTypes[mediaType] {
		mediaType = "application/octet-stream"
	}
	return name, mediaType, nil
}

// EvidenceService keeps the files of cases. Who may read a case may read its
// evidence; the case roles may add evidence until the case is archived.
type EvidenceService interface {
	// AddEvidence stores a file with a case and records it in the audit trail.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, EINVALID (too large, empty), ECONFLICT (archived).
	AddEvidence(ctx context.Context, no string, n NewEvidence) (*Evidence, error)
	// ListEvidence lists a case's files, oldest first.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND.
	ListEvidence(ctx context.Context, no string) ([]*Evidence, error)
	// EvidenceContent returns one file and its content, checked against its hash.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND.
	EvidenceContent(ctx context.Context, no string, id int64) (*Evidence, []byte, error)
}
