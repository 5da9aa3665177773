package redress

import (
	"context"
	"io"
	"mime"
	"path"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxEvidenceBytes is the largest evidence file accepted: 20 MiB.
const MaxEvidenceBytes = 20 << 20

// Evidence is a file kept with a case: a scanned letter, a voucher, a
// recording, a CCTV still. Its SHA-256 identifies the content; the content
// is encrypted at rest, as it may show personal data.
type Evidence struct {
	ID          int64     `json:"id"`
	CaseNo      string    `json:"case"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	Note        string    `json:"note,omitempty"`
	UploadedBy  string    `json:"uploaded_by"`
	UploadedAt  time.Time `json:"uploaded_at"`
}

// NewEvidence is a file to add to a case.
type NewEvidence struct {
	Name        string
	ContentType string
	Note        string
	Body        io.Reader // at most MaxEvidenceBytes
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

// CleanEvidence normalises a new file's name and type: the base name only,
// no control characters, at most 200 characters; a content type that is not
// on the safe list becomes application/octet-stream.
func CleanEvidence(name, contentType string) (string, string, error) {
	name = path.Base(strings.ReplaceAll(strings.TrimSpace(name), "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, name)
	if name == "" || name == "." || name == "/" || !utf8.ValidString(name) {
		return "", "", &Error{Code: EINVALID, Message: "invalid input", Fields: map[string]string{"file": "a file with a name is required"}}
	}
	if utf8.RuneCountInString(name) > 200 {
		name = string([]rune(name)[:200])
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
