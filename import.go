package redress

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// This file is the import of a bank's history (issue 16 item 5): the
// column mapping of a spreadsheet (Chinese or English headers), a row read
// into a registration plus the state and dates it had reached, and the rules
// an imported case keeps. The store (sqldb/import.go) writes the rows
// through the bulk loader; docs/import.md documents the mapping.

// ImportField names a column of an import file. The names are the fields
// NewCase validation reports, so a rejected row names the same field.
type ImportField string

// The columns of an import file.
const (
	ImportExternalNo ImportField = "external_no" // the bank's own number: unique, what makes a re-run skip the row
	ImportKind       ImportField = "kind"
	ImportChannel    ImportField = "channel"
	ImportReceived   ImportField = "received_at"
	ImportName       ImportField = "complainant.name"
	ImportIDType     ImportField = "complainant.id_type"
	ImportIDNumber   ImportField = "complainant.id_number"
	ImportPhone      ImportField = "complainant.phone"
	ImportAccount    ImportField = "complainant.account"
	ImportSubject    ImportField = "subject"
	ImportDesc       ImportField = "description"
	ImportRequest    ImportField = "request"
	ImportAmount     ImportField = "amount"
	ImportOrg        ImportField = "org"
	ImportStatus     ImportField = "status"
	ImportDecided    ImportField = "decided_at"
	ImportClosed     ImportField = "closed_at"
	ImportEndReason  ImportField = "end_reason"
)

// ImportColumn is one column of the mapping: its field, whether every file
// must have it, and the headers that name it (the first is the Chinese
// header of the sample file, the second the English one).
type ImportColumn struct {
	Field    ImportField `json:"field"`
	Required bool        `json:"required"`
	Headers  []string    `json:"headers"`
}

// ImportColumns is the documented column mapping (docs/import.md).
var ImportColumns = []ImportColumn{
	{ImportExternalNo, true, []string{"外部编号", "external_no", "原编号", "编号"}},
	{ImportKind, true, []string{"类型", "kind", "事项类型"}},
	{ImportChannel, true, []string{"渠道", "channel", "来源渠道"}},
	{ImportReceived, true, []string{"受理日期", "received_at", "接收日期", "登记日期"}},
	{ImportName, true, []string{"投诉人", "complainant_name", "姓名", "信访人"}},
	{ImportIDType, false, []string{"证件类型", "id_type"}},
	{ImportIDNumber, false, []string{"证件号码", "id_number"}},
	{ImportPhone, false, []string{"联系电话", "phone", "电话"}},
	{ImportAccount, false, []string{"账号", "account"}},
	{ImportSubject, true, []string{"主题", "subject"}},
	{ImportDesc, true, []string{"投诉内容", "description", "内容"}},
	{ImportRequest, false, []string{"诉求", "request"}},
	{ImportAmount, false, []string{"涉及金额", "amount", "金额"}},
	{ImportOrg, true, []string{"机构代码", "org", "机构"}},
	{ImportStatus, true, []string{"状态", "status"}},
	{ImportDecided, false, []string{"答复日期", "decided_at", "处理日期"}},
	{ImportClosed, false, []string{"办结日期", "closed_at"}},
	{ImportEndReason, false, []string{"办结原因", "end_reason", "原因"}},
}

// ImportStatuses are the statuses an imported case may have: waiting to be
// handled in Redress (registered, accepted) or ended (closed, withdrawn,
// rejected). The statuses between need the handler and the reply the
// history does not carry.
var ImportStatuses = []Status{StatusRegistered, StatusAccepted, StatusClosed, StatusWithdrawn, StatusRejected}

// importNames are the Chinese names a file may use for a code value, beside
// the code itself.
var importNames = map[ImportField]map[string]string{
	ImportKind: {"投诉": string(KindComplaint), "信访": string(KindPetition), "咨询": string(KindInquiry),
		"建议": string(KindSuggestion), "其他": string(KindOther)},
	ImportChannel: {"现场口头": string(ChannelCounter), "柜面": string(ChannelCounter), "来访": string(ChannelVisit),
		"客户意见簿": string(ChannelOpinionBook), "信函": string(ChannelLetter), "电话": string(ChannelPhone),
		"客服热线转办": string(ChannelHotline), "客服热线": string(ChannelHotline), "网上银行": string(ChannelOnlineBanking),
		"手机银行": string(ChannelMobileApp), "自助机具": string(ChannelSelfService), "电子邮件": string(ChannelEmail),
		"微信": string(ChannelWeChat), "监管转办": string(ChannelRegulator), "网络舆情": string(ChannelOnlinePost)},
	ImportStatus: {"已登记": string(StatusRegistered), "待受理": string(StatusRegistered), "已受理": string(StatusAccepted),
		"处理中": string(StatusAccepted), "已办结": string(StatusClosed), "办结": string(StatusClosed),
		"已撤回": string(StatusWithdrawn), "撤回": string(StatusWithdrawn), "不予受理": string(StatusRejected)},
	ImportIDType: {"居民身份证": string(IDResident), "身份证": string(IDResident), "护照": string(IDPassport),
		"港澳居民来往内地通行证": string(IDHKMacao), "台湾居民来往大陆通行证": string(IDTaiwan),
		"外国人永久居留身份证": string(IDForeigner), "其他": string(IDOther)},
}

// ImportMapping is the column of each field in a file, from its header row.
type ImportMapping struct {
	index map[ImportField]int
	// Ignored lists the headers that name no field, as written.
	Ignored []string
}

// NewImportMapping reads a header row: each cell is matched, trimmed and
// without case, against the headers of ImportColumns. A header named twice,
// or a required column missing, is an EINVALID error naming every one.
func NewImportMapping(header []string) (*ImportMapping, error) {
	byHeader := map[string]ImportField{}
	for _, col := range ImportColumns {
		for _, h := range col.Headers {
			byHeader[strings.ToLower(h)] = col.Field
		}
	}
	m := &ImportMapping{index: map[ImportField]int{}}
	var p Problems
	for i, cell := range header {
		h := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(cell, "\ufeff")))
		f, ok := byHeader[h]
		switch {
		case h == "":
		case !ok:
			m.Ignored = append(m.Ignored, strings.TrimSpace(cell))
		default:
			if _, seen := m.index[f]; seen {
				p.AddKey("header."+string(f), ProblemImportHeaderTwice, cell)
				continue
			}
			m.index[f] = i
		}
	}
	for _, col := range ImportColumns {
		if _, ok := m.index[col.Field]; col.Required && !ok {
			p.AddKey("header."+string(col.Field), ProblemImportHeaderMissing, col.Headers[0])
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return m, nil
}

// value returns the trimmed cell of a field in a row, "" when the file has
// no such column or the row is shorter.
func (m *ImportMapping) value(cells []string, f ImportField) string {
	i, ok := m.index[f]
	if !ok || i >= len(cells) {
		return ""
	}
	return strings.TrimSpace(cells[i])
}

// ExternalNo returns a row's external number as written, for the report of
// a row rejected before it was read.
func (m *ImportMapping) ExternalNo(cells []string) string {
	return CutText(m.value(cells, ImportExternalNo), 4*ImportExternalNoLimit)
}

// Cell returns a row's trimmed cell of a field ("" when the file has none).
func (m *ImportMapping) Cell(cells []string, f ImportField) string { return m.value(cells, f) }

// ImportedCase is one row of an import file as read: the registration, the
// status it had reached and its dates, and the bank's own number.
type ImportedCase struct {
	ExternalNo string
	NewCase
	Status    Status
	DecidedAt *time.Time // when the decision was notified (答复); closed cases only
	ClosedAt  *time.Time // when it was closed, withdrawn or rejected
	EndReason string
}

// ImportExternalNoLimit is the most characters an external number holds.
const ImportExternalNoLimit = 64

// ReadImportRow reads one data row into an ImportedCase and validates it
// with the registration's own rules (NewCase.Validate, given now) plus the
// import's: a known status, dates in order (received ≤ decided ≤ closed,
// none in the future), an ended case's closing date, a withdrawal's or
// rejection's reason. Every problem is reported at once, as one EINVALID
// error by field. The case's unit (org) is checked by the store.
func (m *ImportMapping) ReadImportRow(cells []string, now time.Time) (*ImportedCase, error) {
	var p Problems
	v := func(f ImportField) string { return m.value(cells, f) }
	code := func(f ImportField) string {
		s := v(f)
		if c, ok := importNames[f][s]; ok {
			return c
		}
		return strings.ToLower(s)
	}
	ic := &ImportedCase{ExternalNo: v(ImportExternalNo), Status: Status(code(ImportStatus)), EndReason: v(ImportEndReason)}
	n := &ic.NewCase
	n.Kind, n.Channel, n.Org = Kind(code(ImportKind)), Channel(code(ImportChannel)), v(ImportOrg)
	n.Complainant = Complainant{Name: v(ImportName), IDNumber: v(ImportIDNumber), Phone: v(ImportPhone), Account: v(ImportAccount)}
	if s := v(ImportIDType); s != "" {
		n.Complainant.IDType = IDType(code(ImportIDType))
	} else if n.Complainant.IDNumber != "" {
		n.Complainant.IDType = IDResident // a number without its type: the resident ID, checked as one
	}
	n.Subject, n.Description, n.Request, n.Amount = v(ImportSubject), v(ImportDesc), v(ImportRequest), v(ImportAmount)
	dates := map[ImportField]*time.Time{}
	for _, f := range []ImportField{ImportReceived, ImportDecided, ImportClosed} {
		if s := v(f); s != "" {
			t, err := ParseImportTime(s)
			if err != nil {
				p.AddKey(string(f), ProblemImportDate)
				continue
			}
			if t.After(now.Add(5 * time.Minute)) {
				p.AddKey(string(f), ProblemFuture)
			}
			dates[f] = &t
		}
	}
	if t := dates[ImportReceived]; t != nil {
		n.ReceivedAt = *t
	}
	ic.DecidedAt, ic.ClosedAt = dates[ImportDecided], dates[ImportClosed]
	err := n.Validate(now)
	if e, ok := err.(*Error); ok {
		for field, msg := range e.Fields {
			if pr, ok := e.Problems[field]; ok {
				p.AddKey(field, pr.Key, pr.Args...)
			} else {
				p.Add(field, msg)
			}
		}
	} else if err != nil {
		return nil, err
	}
	switch {
	case ic.ExternalNo == "":
		p.AddKey(string(ImportExternalNo), ProblemRequired)
	case len([]rune(ic.ExternalNo)) > ImportExternalNoLimit:
		p.AddKey(string(ImportExternalNo), ProblemTooLong, strconv.Itoa(ImportExternalNoLimit))
	}
	if n.Org == "" {
		p.AddKey(string(ImportOrg), ProblemRequired)
	}
	switch {
	case v(ImportStatus) == "":
		p.AddKey(string(ImportStatus), ProblemRequired)
	case !slices.Contains(ImportStatuses, ic.Status):
		p.AddKey(string(ImportStatus), ProblemChoice, valueList(ImportStatuses))
	case ic.Status.Archived() && ic.ClosedAt == nil && v(ImportClosed) == "":
		p.AddKey(string(ImportClosed), ProblemImportEndedNeeds)
	case ic.Status.Open() && (ic.ClosedAt != nil || ic.DecidedAt != nil):
		field := ImportClosed
		if ic.ClosedAt == nil {
			field = ImportDecided
		}
		p.AddKey(string(field), ProblemImportOpenDated)
	case (ic.Status == StatusWithdrawn || ic.Status == StatusRejected) && ic.EndReason == "":
		p.AddKey(string(ImportEndReason), ProblemRequired)
	}
	checkText(&p, string(ImportEndReason), ic.EndReason, 0, 2000)
	received := dates[ImportReceived]
	if d := ic.DecidedAt; d != nil && received != nil && d.Before(*received) {
		p.AddKey(string(ImportDecided), ProblemImportDateOrder)
	}
	if c := ic.ClosedAt; c != nil && ((received != nil && c.Before(*received)) || (ic.DecidedAt != nil && c.Before(*ic.DecidedAt))) {
		p.AddKey(string(ImportClosed), ProblemImportDateOrder)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return ic, nil
}

// importLayouts are the forms of a date or time a file may hold, read in
// Beijing time.
var importLayouts = []string{
	"2006-01-02", "2006-01-02 15:04", "2006-01-02 15:04:05", "2006/01/02", "2006/1/2", "2006/01/02 15:04",
	"2006/1/2 15:04", "2006/01/02 15:04:05", "2006/1/2 15:04:05", "2006-1-2", "2006.01.02", "2006年1月2日",
	"2006-01-02T15:04:05", "20060102",
}

// ParseImportTime reads a date or time of an import file: one of the
// layouts above in Beijing time, an RFC 3339 time with its offset, or an
// Excel serial day number (days since 1899-12-30, the fraction the time of
// day) as a cell without a date format holds it.
func ParseImportTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range importLayouts {
		if t, err := time.ParseInLocation(layout, s, Beijing); err == nil {
			return t, nil
		}
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 36526 && f < 2958466 && !strings.ContainsAny(s, "eE") { // 2000-01-01 to 9999
		days := math.Floor(f)
		secs := math.Round((f - days) * 86400)
		return time.Date(1899, 12, 30, 0, 0, 0, 0, Beijing).AddDate(0, 0, int(days)).Add(time.Duration(secs) * time.Second), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date", s)
}

// ImportOverdueClocks are the clocks of an imported open case that were
// already overdue on the day of the import. The store records them as
// notified (deadline_alerts), so the sweep neither notices nor escalates
// years of history at once; the lists still show the case overdue, and a
// clock that falls due after the import is noticed as usual.
func ImportOverdueClocks(c *Case, today Date) []DueClock {
	var out []DueClock
	for _, clock := range []DueClock{DueReply, DueDecision, DueAgreedReply} {
		due := c.Due(clock)
		if due == "" || !c.ClockRunning(clock) || !c.Status.Open() {
			continue
		}
		if d, err := ParseDate(due); err == nil && d.Before(today) {
			out = append(out, clock)
		}
	}
	return out
}

// ImportRunState is where an import run is.
type ImportRunState string

// The states of an import run.
const (
	ImportRunning ImportRunState = "running"
	ImportDone    ImportRunState = "done"
	ImportFailed  ImportRunState = "failed"
)

// ImportRun is one run of an import file, dry or real: what it read so
// far. Rows counts the data rows read; each is imported, skipped (its
// external number is already a case) or rejected (ImportReject).
type ImportRun struct {
	ID         int64          `json:"id"`
	File       string         `json:"file"`
	DryRun     bool           `json:"dry_run"`
	State      ImportRunState `json:"state"`
	Rows       int64          `json:"rows"`
	Imported   int64          `json:"imported"`
	Skipped    int64          `json:"skipped"`
	Rejected   int64          `json:"rejected"`
	StartedBy  string         `json:"started_by"`
	StartedAt  time.Time      `json:"started_at"`
	FinishedAt *time.Time     `json:"finished_at,omitempty"`
	Error      string         `json:"error,omitempty"`
}

// ImportReject is one problem of a rejected row: the row's number in the
// file (the header is row 1), its external number, the field and why.
type ImportReject struct {
	Row        int64  `json:"row"`
	ExternalNo string `json:"external_no"`
	Field      string `json:"field"`
	Reason     string `json:"reason"`
	// Problem is the reason by its stable key and arguments, "key|arg|…"
	// (error.go), from which the pages word it; "" when it has none.
	Problem string `json:"problem,omitempty"`
}

// ImportRejectsOf lists the problems of a rejected row from its error, a
// field at a time in the order of the fields' names.
func ImportRejectsOf(row int64, externalNo string, err error) []ImportReject {
	fields := ErrorFields(err)
	if len(fields) == 0 {
		return []ImportReject{{Row: row, ExternalNo: externalNo, Reason: ErrorMessage(err)}}
	}
	names := make([]string, 0, len(fields))
	for f := range fields {
		names = append(names, f)
	}
	slices.Sort(names)
	keyed := ErrorProblems(err)
	out := make([]ImportReject, len(names))
	for i, f := range names {
		out[i] = ImportReject{Row: row, ExternalNo: externalNo, Field: f, Reason: fields[f]}
		if p, ok := keyed[f]; ok {
			out[i].Problem = strings.Join(append([]string{p.Key}, p.Args...), "|")
		}
	}
	return out
}

// ImportLine is a data row of a file: its number (the header is row 1) and
// its cells.
type ImportLine struct {
	Row   int64
	Cells []string
}

// ImportInput is what an import run reads: the file's name (as the
// events name it), its header and its rows, and whether it is a dry run
// (everything is checked and written in transactions rolled back).
type ImportInput struct {
	File     string
	DryRun   bool
	Header   []string
	Rows     iter.Seq2[ImportLine, error] // an error ends the file
	Progress func(ImportRun)              // after each batch, when set
}

// ImportService imports a bank's history (case.import).
type ImportService interface {
	// StartImport records a new run of the named file; the caller then
	// runs it with RunImport.
	StartImport(ctx context.Context, file string, dryRun bool) (*ImportRun, error)
	// RunImport reads the rows into cases, records the rejects and the
	// run's counts as it goes, and answers the finished run.
	RunImport(ctx context.Context, id int64, in ImportInput) (*ImportRun, error)
	ImportRun(ctx context.Context, id int64) (*ImportRun, error)
	ImportRuns(ctx context.Context, limit int) ([]ImportRun, error)
	// ImportRejects yields a run's rejected rows, in row order.
	ImportRejects(ctx context.Context, id int64, yield func(ImportReject) error) error
}

// ReadImportLines reads a file's header row through next (which answers
// io.EOF after the last row), then yields its data rows numbered from 2,
// leaving out the rows whose cells are all blank. A file without a header
// is an EINVALID error on the field file.
func ReadImportLines(next func() ([]string, error)) ([]string, iter.Seq2[ImportLine, error], error) {
	header, err := next()
	if errors.Is(err, io.EOF) {
		return nil, nil, FieldError(EINVALID, "the file is empty", "file", ProblemRequired)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("the header row: %w", err)
	}
	rows := func(yield func(ImportLine, error) bool) {
		for row := int64(2); ; row++ {
			cells, err := next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				yield(ImportLine{Row: row}, err)
				return
			}
			if slices.ContainsFunc(cells, func(c string) bool { return strings.TrimSpace(c) != "" }) &&
				!yield(ImportLine{Row: row, Cells: cells}, nil) {
				return
			}
		}
	}
	return header, rows, nil
}
