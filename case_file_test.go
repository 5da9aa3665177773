package redress

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// TestCaseFileInFullIsTheRevealPermission_Issue16Item4: personal data in
// full only for the roles that may reveal it.
func TestCaseFileInFullIsTheRevealPermission_Issue16Item4(t *testing.T) {
	t.Parallel()
	for role, want := range map[Role]bool{RoleStaff: false, RoleManager: true, RoleBranchHead: true, RoleHQService: true,
		RoleAuditor: false, RoleAdmin: false} {
		if got := CaseFileInFull(role); got != want {
			t.Errorf("%s: %v, want %v", role, got, want)
		}
	}
}

// TestCheckCaseFileEvidence_Issue16Item4: the limits of a case file.
func TestCheckCaseFileEvidence_Issue16Item4(t *testing.T) {
	t.Parallel()
	many := make([]*Evidence, MaxCaseFileEvidence+1)
	for i := range many {
		many[i] = &Evidence{Size: 1}
	}
	for _, c := range []struct {
		name  string
		files []*Evidence
		ok    bool
	}{
		{"none", nil, true},
		{"at the limit", []*Evidence{{Size: MaxCaseFileEvidenceBytes}}, true},
		{"a byte over", []*Evidence{{Size: MaxCaseFileEvidenceBytes}, {Size: 1}}, false},
		{"a file too many", many, false},
		{"as many as allowed", many[1:], true},
	} {
		if err := CheckCaseFileEvidence(c.files); (err == nil) != c.ok || err != nil && ErrorCode(err) != EINVALID {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if a, b := CaseFileEvidenceName(&Evidence{ID: 1, Name: "凭证.pdf"}), CaseFileEvidenceName(&Evidence{ID: 12, Name: "凭证.pdf"}); a != "evidence/0001-凭证.pdf" || a == b {
		t.Errorf("evidence names %q %q", a, b)
	}
	if got := CaseFileEvidenceName(&Evidence{ID: 7, Name: `a<b>:c|d?e*.txt`}); got != "evidence/0007-a_b__c_d_e_.txt" {
		t.Errorf("a name Windows refuses: %q", got)
	}
}

// TestCanonicalFormIsWhatTheHashCovers: the canonical form a case file
// hands over hashes to the event's hash, for both forms; an unknown form
// has none.
func TestCanonicalFormIsWhatTheHashCovers(t *testing.T) {
	t.Parallel()
	for _, form := range []int{EventFormLegacy, EventFormSubject} {
		e := &Event{Seq: 3, PrevHash: GenesisHash, CaseNo: "TS20261120-00001", Subject: NewSubject(SubjectCase, "TS20261120-00001"),
			Actor: "mgr", Action: "case.note", At: time.Date(2026, 11, 20, 1, 2, 3, 4, time.UTC), Detail: "<&>", Form: form}
		sum := sha256.Sum256(e.CanonicalForm())
		if hex.EncodeToString(sum[:]) != e.ComputeHash() {
			t.Errorf("form %d: the canonical form does not hash to the hash", form)
		}
	}
	if (&Event{Form: 9}).CanonicalForm() != nil || (&Event{Form: 9}).ComputeHash() != "" {
		t.Error("an unknown form has a canonical form")
	}
}

// caseFileSample is a sealed chain of 4 events, of which the case has 1, 2
// and 4, with the manifest and files of its case file.
func caseFileSample(t *testing.T) (*CaseFileManifest, map[string][]byte) {
	t.Helper()
	prev, seq := GenesisHash, int64(0)
	var events []*Event
	for i, action := range []string{"case.register", "case.note", "user.update", "case.close"} {
		e := &Event{Subject: NewSubject(SubjectCase, "TS20261120-00001"), CaseNo: "TS20261120-00001", Actor: "mgr", Action: action,
			At: time.Date(2026, 11, 20, 1, i, 0, 0, time.UTC), Changes: []Change{{Field: "status", After: "x"}}, Detail: "备注 <b>&"}
		if action == "user.update" {
			e.Subject, e.CaseNo = NewSubject(SubjectUser, "staff"), ""
		}
		e.Seal(seq, prev)
		seq, prev = e.Seq, e.Hash
		if e.CaseNo != "" {
			events = append(events, e)
		}
	}
	f := &CaseFile{Case: &Case{No: "TS20261120-00001", Kind: KindComplaint}, Events: events, HeadSeq: seq, HeadHash: prev}
	m := NewCaseFileManifest(f, "mgr", time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	timeline, err := json.Marshal(CaseFileTimeline(events))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"01-registration.pdf": []byte("%PDF-1.4 登记表"), "timeline.json": timeline}
	for _, name := range []string{"01-registration.pdf", "timeline.json"} {
		sum := sha256.Sum256(files[name])
		m.Files = append(m.Files, CaseFileEntry{Name: name, Size: int64(len(files[name])), SHA256: hex.EncodeToString(sum[:])})
	}
	return m, files
}

// rehash alters timeline.json's first old into new and lists the altered
// file's hash in the manifest, as a forger would.
func rehash(m *CaseFileManifest, fs map[string][]byte, old, new string) {
	fs["timeline.json"] = bytes.Replace(fs["timeline.json"], []byte(old), []byte(new), 1)
	sum := sha256.Sum256(fs["timeline.json"])
	m.Files[1].SHA256, m.Files[1].Size = hex.EncodeToString(sum[:]), int64(len(fs["timeline.json"]))
}

// TestVerifyCaseFile_Issue16Item4: a case file as made verifies; each
// alteration a recipient must catch is caught.
func TestVerifyCaseFile_Issue16Item4(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		alter func(m *CaseFileManifest, files map[string][]byte)
		want  string
	}{
		{"as made", func(*CaseFileManifest, map[string][]byte) {}, ""},
		{"a file's byte", func(_ *CaseFileManifest, fs map[string][]byte) { fs["01-registration.pdf"][0] = 'X' }, "01-registration.pdf: its SHA-256"},
		{"a file cut", func(_ *CaseFileManifest, fs map[string][]byte) {
			fs["01-registration.pdf"] = fs["01-registration.pdf"][:4]
		}, "bytes, the manifest says"},
		{"a file missing", func(_ *CaseFileManifest, fs map[string][]byte) { delete(fs, "01-registration.pdf") }, "01-registration.pdf: missing"},
		{"an event's detail, the file's hash made again", func(m *CaseFileManifest, fs map[string][]byte) {
			rehash(m, fs, `\u003cb\u003e`, "<i>")
		}, "event 1: its fields are not those its canonical form holds"},
		{"an event's canonical form, the file's hash made again", func(m *CaseFileManifest, fs map[string][]byte) {
			rehash(m, fs, `\\u003cb\\u003e`, "<i>")
		}, "event 1: its canonical form does not hash to its hash"},
		{"an event dropped from the manifest", func(m *CaseFileManifest, _ map[string][]byte) { m.Events = m.Events[1:] }, "holds 3 events, the manifest 2"},
		{"an event's hash in the manifest", func(m *CaseFileManifest, _ map[string][]byte) { m.Events[2].Hash = GenesisHash }, "event 4: not the manifest's event"},
	} {
		m, files := caseFileSample(t)
		c.alter(m, files)
		problems := VerifyCaseFile(m, func(name string) (io.ReadCloser, error) {
			b, ok := files[name]
			if !ok {
				return nil, errors.New("missing")
			}
			return io.NopCloser(bytes.NewReader(b)), nil
		})
		got := strings.Join(problems, "; ")
		if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("%s: problems %q, want %q", c.name, got, c.want)
		}
	}
}

// TestCaseFileRecordDetail: the audit detail says whether the data was in
// full and names the manifest, or that the file was cut short.
func TestCaseFileRecordDetail(t *testing.T) {
	t.Parallel()
	if d := (CaseFileRecord{Files: 3, Bytes: 10, Full: true, Manifest: "ab"}).Detail(); d != "case file: 3 files, 10 bytes, personal data full, manifest sha256 ab" {
		t.Errorf("detail %q", d)
	}
	if d := (CaseFileRecord{Files: 1}).Detail(); !strings.Contains(d, "masked") || !strings.Contains(d, "cut short") {
		t.Errorf("detail %q", d)
	}
	m, _ := caseFileSample(t)
	if r := CaseFileReadme(m); !strings.Contains(r, "TS20261120-00001") || !strings.Contains(r, m.AuditHead.Hash) || strings.Contains(r, "%!") {
		t.Errorf("README: %s", r)
	}
}
