package redress

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// A case file (卷宗) is what the bank hands a court, the regulator or its
// archive: one ZIP holding the registration form, the decision letter and
// every notice to the customer as PDFs, the timeline (PDF, CSV, JSON),
// every evidence file, a README and manifest.json. The manifest lists every
// other file with its size and SHA-256, and the case's audit events with
// their chain hashes; the audit event of the download records the
// manifest's own SHA-256, so the bank's audit trail vouches for the
// manifest and the manifest for every file.

// CaseFileFormat names the layout of a case file's manifest.
const CaseFileFormat = "redress-case-file/1"

// The limits of a case file: the evidence it carries, in files and bytes
// (each file at most MaxEvidenceBytes); a case beyond them is refused
// before the download starts (EINVALID), never cut half way.
const (
	MaxCaseFileEvidence      = 500
	MaxCaseFileEvidenceBytes = int64(1) << 30 // 1 GiB
)

// CaseFile is what the store reads for a case file, in one snapshot: the
// case (its personal data in full when Full, else masked as every answer
// masks it), its audit events oldest first with their chain hashes, and
// the head of the whole chain at that moment.
type CaseFile struct {
	Case     *Case
	Full     bool
	Events   []*Event
	HeadSeq  int64
	HeadHash string
}

// CaseFileInFull reports whether a role's case files show personal data
// in full: the roles that may reveal it (PermCaseReveal); every other
// role's show the masked forms.
func CaseFileInFull(role Role) bool { return Can(role, PermCaseReveal) }

// CaseFileRecord is the audit record of one case file downloaded.
type CaseFileRecord struct {
	Files    int    // files written, the manifest aside
	Bytes    int64  // bytes of those files
	Full     bool   // personal data in full
	Manifest string // SHA-256 of manifest.json; "" when the download was cut before it
}

// Detail is the record as the audit event's detail says it.
func (r CaseFileRecord) Detail() string {
	data := "masked"
	if r.Full {
		data = "full"
	}
	manifest := r.Manifest
	if manifest == "" {
		manifest = "none (cut short)"
	}
	return fmt.Sprintf("case file: %d files, %d bytes, personal data %s, manifest sha256 %s", r.Files, r.Bytes, data, manifest)
}

// CheckCaseFileEvidence refuses a case file whose evidence exceeds the
// limits.
func CheckCaseFileEvidence(files []*Evidence) error {
	var total int64
	for _, e := range files {
		total += e.Size
	}
	if len(files) > MaxCaseFileEvidence || total > MaxCaseFileEvidenceBytes {
		return Errorf(EINVALID, "the case has %d evidence files of %d bytes; a case file carries at most %d files and %d bytes",
			len(files), total, MaxCaseFileEvidence, MaxCaseFileEvidenceBytes)
	}
	return nil
}

// CaseFileEvidenceName is an evidence file's name in the ZIP: under
// evidence/, its number first, so two files of one name stay apart (the
// name itself is EvidenceName's: one path segment, never "." or ".."),
// with the characters Windows refuses in a file name (<>:"|?*) as "_", so
// that every system unpacks it.
func CaseFileEvidenceName(e *Evidence) string {
	name := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`<>:"|?*`, r) {
			return '_'
		}
		return r
	}, e.Name)
	return fmt.Sprintf("evidence/%04d-%s", e.ID, name)
}

// CaseFileEntry is one file of a case file as its manifest lists it.
type CaseFileEntry struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
	// Evidence is the evidence file's number in the case, for files
	// under evidence/; the SHA-256 is then also the one Redress keeps.
	Evidence int64 `json:"evidence_id,omitempty"`
}

// CaseFileEvent is one audit event of the case as the manifest lists it:
// its place in the chain and its hashes. timeline.json holds each event
// whole, with the canonical form its hash covers.
type CaseFileEvent struct {
	Seq      int64     `json:"seq"`
	Action   string    `json:"action"`
	At       time.Time `json:"at"`
	PrevHash string    `json:"prev_hash"`
	Hash     string    `json:"hash"`
}

// CaseFileHead is the head of the audit chain when the file was made.
type CaseFileHead struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

// CaseFileManifest is manifest.json.
type CaseFileManifest struct {
	Format       string          `json:"format"`
	Case         string          `json:"case"`
	Kind         Kind            `json:"kind"`
	Status       Status          `json:"status"`
	GeneratedAt  time.Time       `json:"generated_at"`
	GeneratedBy  string          `json:"generated_by"`
	PersonalData string          `json:"personal_data"` // "full" or "masked"
	Algorithm    string          `json:"algorithm"`     // "SHA-256"
	Files        []CaseFileEntry `json:"files"`
	Events       []CaseFileEvent `json:"events"`
	AuditHead    CaseFileHead    `json:"audit_head"`
}

// NewCaseFileManifest starts the manifest of a case file made at by a user.
func NewCaseFileManifest(f *CaseFile, by string, at time.Time) *CaseFileManifest {
	m := &CaseFileManifest{Format: CaseFileFormat, Case: f.Case.No, Kind: f.Case.Kind, Status: f.Case.Status,
		GeneratedAt: at.UTC(), GeneratedBy: by, PersonalData: "masked", Algorithm: "SHA-256",
		Files: []CaseFileEntry{}, Events: make([]CaseFileEvent, 0, len(f.Events)),
		AuditHead: CaseFileHead{Seq: f.HeadSeq, Hash: f.HeadHash}}
	if f.Full {
		m.PersonalData = "full"
	}
	for _, e := range f.Events {
		m.Events = append(m.Events, CaseFileEvent{Seq: e.Seq, Action: e.Action, At: e.At.UTC(), PrevHash: e.PrevHash, Hash: e.Hash})
	}
	return m
}

// CaseFileTimelineEvent is one event of timeline.json: the event as the
// audit trail holds it, and the canonical form its hash is the SHA-256 of.
type CaseFileTimelineEvent struct {
	*Event
	Canonical string `json:"canonical"`
}

// CaseFileTimeline is the content of timeline.json.
func CaseFileTimeline(events []*Event) []CaseFileTimelineEvent {
	out := make([]CaseFileTimelineEvent, 0, len(events))
	for _, e := range events {
		out = append(out, CaseFileTimelineEvent{Event: e, Canonical: string(e.CanonicalForm())})
	}
	return out
}

// VerifyCaseFile checks a case file as its recipient would: every file the
// manifest lists has its size and SHA-256 (open returns a file's content by
// its name), timeline.json's events are the manifest's, each event's
// canonical form hashes to its hash, holds its previous hash and is the
// form of its fields as listed (so the text a reader reads is the text
// hashed), and
// events that follow each other in the chain are linked. It returns every
// problem found; none means nothing listed was altered.
func VerifyCaseFile(m *CaseFileManifest, open func(name string) (io.ReadCloser, error)) []string {
	var problems []string
	for _, f := range m.Files {
		r, err := open(f.Name)
		if err != nil {
			problems = append(problems, f.Name+": "+err.Error())
			continue
		}
		h := sha256.New()
		n, err := io.Copy(h, r)
		r.Close()
		switch {
		case err != nil:
			problems = append(problems, f.Name+": "+err.Error())
		case n != f.Size:
			problems = append(problems, fmt.Sprintf("%s: %d bytes, the manifest says %d", f.Name, n, f.Size))
		case hex.EncodeToString(h.Sum(nil)) != f.SHA256:
			problems = append(problems, f.Name+": its SHA-256 is not the manifest's")
		}
	}
	r, err := open("timeline.json")
	if err != nil {
		return append(problems, "timeline.json: "+err.Error())
	}
	defer r.Close()
	var timeline []CaseFileTimelineEvent
	if err := json.NewDecoder(r).Decode(&timeline); err != nil {
		return append(problems, "timeline.json: "+err.Error())
	}
	if len(timeline) != len(m.Events) {
		problems = append(problems, fmt.Sprintf("timeline.json holds %d events, the manifest %d", len(timeline), len(m.Events)))
	}
	for i, e := range timeline {
		if e.Event == nil {
			e.Event = &Event{}
		}
		seq := strconv.FormatInt(e.Seq, 10)
		var form struct {
			Prev string `json:"p"`
			Seq  int64  `json:"s"`
		}
		sum := sha256.Sum256([]byte(e.Canonical))
		switch {
		case i < len(m.Events) && (m.Events[i].Seq != e.Seq || m.Events[i].Hash != e.Hash || m.Events[i].PrevHash != e.PrevHash):
			problems = append(problems, "event "+seq+": not the manifest's event")
		case hex.EncodeToString(sum[:]) != e.Hash:
			problems = append(problems, "event "+seq+": its canonical form does not hash to its hash")
		case json.Unmarshal([]byte(e.Canonical), &form) != nil || form.Prev != e.PrevHash || form.Seq != e.Seq:
			problems = append(problems, "event "+seq+": its canonical form is not of its place in the chain")
		case string(e.Event.CanonicalForm()) != e.Canonical:
			problems = append(problems, "event "+seq+": its fields are not those its canonical form holds")
		case i > 0 && timeline[i-1].Seq == e.Seq-1 && timeline[i-1].Hash != e.PrevHash:
			problems = append(problems, "event "+seq+": does not follow event "+strconv.FormatInt(e.Seq-1, 10))
		case i > 0 && timeline[i-1].Seq >= e.Seq:
			problems = append(problems, "event "+seq+": out of order")
		}
	}
	return problems
}

// CaseFileReadme is README.txt: what the case file holds and how its
// recipient checks that nothing was altered, in Chinese and English, with
// a script that needs nothing but Python 3.
func CaseFileReadme(m *CaseFileManifest) string {
	return fmt.Sprintf(caseFileReadme, m.Case, m.GeneratedAt.In(Beijing).Format("2006-01-02 15:04:05"), m.GeneratedBy, m.PersonalData,
		len(m.Events), m.AuditHead.Seq, m.AuditHead.Hash)
}

const caseFileReadme = `案件卷宗 Case file %s
生成时间 Made at (Beijing time): %s   生成人 By: %s   个人信息 Personal data: %s

内容 Contents
  01-registration.pdf      登记表 the registration form
  02-decision.pdf          答复函 / 处理意见书 the decision letter (when the case has one)
  03-notice-NN-*.pdf       告知书 every notice to the customer, with how it was given and its proof
  timeline.pdf / .csv      处理过程 the timeline: every audit event of the case
  timeline.json            同上，机器可读：每个事件的完整内容、哈希及其哈希所覆盖的规范形式
                           the same, machine-readable: each event whole, its hash and the
                           canonical form ("canonical") its hash is the SHA-256 of
  evidence/NNNN-*          证据材料 every evidence file, as uploaded
  manifest.json            清单：上述每个文件的大小与 SHA-256，案件的 %d 个审计事件及其链式哈希，
                           以及生成时审计链的链头
                           the manifest: each file above with its size and SHA-256, the case's
                           audit events with their chain hashes, and the head of the audit chain

如何核验 How to verify
1. 每个文件 Each file: its SHA-256 (sha256sum, certutil -hashfile F SHA256, shasum -a 256)
   and size must be those manifest.json lists. 任何改动都会改变哈希值。
2. 每个审计事件 Each audit event (timeline.json): SHA-256 of the UTF-8 bytes of "canonical"
   must be its "hash", and "canonical" holds its place in the chain ("s": seq, "p": the previous
   event's hash). Where two events of the case follow each other in the chain (seq N and N+1),
   the second's prev_hash is the first's hash. 事件在全行审计链中的位置由 seq 与 prev_hash 确定。
3. 清单本身 The manifest itself: this download is recorded in the bank's audit trail as the
   event case.export_file, whose detail names the SHA-256 of manifest.json. Ask the bank to
   confirm that event (and, with "redress audit verify", that its chain is intact up to and
   beyond head seq %d, hash %s). 银行审计链中的该事件确认清单未被改动，清单确认其余文件。

Python 3 (no other software needed), run in the unpacked folder:

import hashlib, json
m = json.load(open("manifest.json", encoding="utf-8"))
for f in m["files"]:
    b = open(f["name"], "rb").read()
    assert len(b) == f["size"] and hashlib.sha256(b).hexdigest() == f["sha256"], f["name"]
events = json.load(open("timeline.json", encoding="utf-8"))
assert [e["hash"] for e in events] == [e["hash"] for e in m["events"]]
for prev, e in zip([None] + events, events):
    assert hashlib.sha256(e["canonical"].encode("utf-8")).hexdigest() == e["hash"], e["seq"]
    c = json.loads(e["canonical"])
    assert c["s"] == e["seq"] and c["p"] == e["prev_hash"], e["seq"]
    assert (c["a"], c["x"], c["n"], c["d"]) == (e["actor"], e["action"], e.get("detail", ""), e["changes"]), e["seq"]
    if prev and prev["seq"] == e["seq"] - 1:
        assert e["prev_hash"] == prev["hash"], e["seq"]
print("OK:", len(m["files"]), "files,", len(events), "events")
`
