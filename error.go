// Package redress is the domain vocabulary of Redress, a complaint and petition
// case-management system for Chinese banks: its nouns, the service interfaces
// the rest of the program implements, and every rule that needs no I/O
// (lifecycle transitions, deadlines, masking, the audit hash chain).
//
// It imports only the standard library; sqldb, web and cmd/redress depend on it.
package redress

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error codes a user may see. Only the web package maps them to HTTP status.
const (
	EINVALID      = "invalid"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	ETOOMANY      = "too_many_requests" // try again later: a rate limit or a full queue (see TooManyError)
	EINTERNAL     = "internal"
	// EUNSUPPORTED is a request body in a form that is not read: a media
	// type or charset other than the one an operation takes.
	EUNSUPPORTED = "unsupported_media_type"
)

// Error is an error meant for the user: a code, a message safe to show, and,
// for invalid input, the offending fields with what is wrong with each.
type Error struct {
	Code    string
	Message string
	Fields  map[string]string
	// Problems holds, for the fields of Fields that have one, the problem's
	// stable key and arguments, so that a page translates it by meaning
	// rather than by the English text of Fields.
	Problems map[string]Problem
	// Reason, when its Key is set, is Message by meaning (one of the
	// Reason* keys and its arguments): pages translate it as error.key.<key>.
	Reason Problem
}

// The stable keys of error messages a page translates (Error.Reason); the
// English text of each is in reasonTexts, %s taking the arguments in order.
const (
	// ReasonStaleVersion: args: the case, the version sent, the version now.
	ReasonStaleVersion = "stale_version"
	// ReasonStaleVersionBy: args: the case, the version sent, the version
	// now, the last change's action (an event action), its actor, its time.
	ReasonStaleVersionBy = "stale_version_by"
	// ReasonChangedMeanwhile: args: the case, changed by a racing writer.
	ReasonChangedMeanwhile = "changed_meanwhile"
	// ReasonNoCaseContents: args: the role, which reads no complaint contents.
	ReasonNoCaseContents = "no_case_contents"
	// ReasonNoSchedule: a deadline not checked against holidays; args: the
	// region, the year without a schedule, the unmoved date.
	ReasonNoSchedule = "no_schedule"
	// ReasonMovedOff: a last day moved off a day off (民法典 Art.203); args:
	// the last day, what it is (MovedOff*), the holiday's name, what the
	// clock moves off (MoveOffRestDay or MoveOffStatutory), the new date.
	// Due.Warning words it in English.
	ReasonMovedOff = "moved_off"
	// ReasonNotStorable: args: the fields, path values or parameters whose
	// text no engine stores (not UTF-8, or a NUL), as a list.
	ReasonNotStorable = "not_storable"
	// ReasonErasureHeld: args: how many of the person's cases a legal hold
	// keeps (PIPL Art.47 para 2: nothing is erased while it stands).
	ReasonErasureHeld = "erasure_held"
	// ReasonErasureOpen: args: how many of the person's cases are open.
	ReasonErasureOpen = "erasure_open"
	// ReasonAnonymised: args: the case number; an anonymised case takes no action.
	ReasonAnonymised = "anonymised"
)

// What a last day moved off is (ReasonMovedOff's third argument).
const (
	MovedOffWeekend   = "weekend"
	MovedOffStatutory = "statutory"
	MovedOffRestDay   = "rest_day"
)

var reasonTexts = map[string]string{
	ReasonStaleVersion:     "case %s was changed by someone else: you sent version %s, it is now at version %s",
	ReasonStaleVersionBy:   "case %s was changed by someone else: you sent version %s, it is now at version %s (last change: %s by %s at %s); reload it and try again",
	ReasonChangedMeanwhile: "case %s was changed by someone else; reload it and try again",
	ReasonNoCaseContents:   "role %s does not read complaint contents",
	ReasonNoSchedule:       "no %s holiday schedule for %s: %s was not checked against holidays; an admin must add that year's calendar",
	ReasonNotStorable:      "text that cannot be stored (not UTF-8, or a NUL character) in %s",
	ReasonErasureHeld:      "a legal hold stands on this person or %s of their cases: nothing is erased until it is released",
	ReasonErasureOpen:      "%s of this person's cases are still open: they are erased once closed",
	ReasonAnonymised:       "case %s was anonymised at the end of its retention period: it takes no action",
	ReasonMovedOff:         "the last day, %s, is a %s day off (%s): the deadline moves off %s days to %s (民法典 Art.203)",
}

// Reasonf returns an *Error with the given code whose message is the
// English text of the reason key with its arguments, the key kept beside it.
func Reasonf(code, key string, args ...string) *Error {
	r := Problem{Key: key, Args: args}
	return &Error{Code: code, Message: r.text(reasonTexts), Reason: r}
}

// ReasonKeys lists every stable reason key, sorted: the messages a page
// catalogue must hold.
func ReasonKeys() []string { return sortedKeys(reasonTexts) }

// Error implements the error interface.
func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	names := make([]string, 0, len(e.Fields))
	for name := range e.Fields {
		names = append(names, name)
	}
	sort.Strings(names)
	parts := make([]string, 0, len(names))
	for _, name := range names {
		parts = append(parts, name+": "+e.Fields[name])
	}
	return e.Message + " (" + strings.Join(parts, "; ") + ")"
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err: the message of an
// *Error, or a generic text for anything else, whose details stay in the logs.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// ErrorFields returns the per-field problems of an invalid-input error, or nil.
func ErrorFields(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// ErrorProblems returns the keyed problems of an invalid-input error, or nil.
func ErrorProblems(err error) map[string]Problem {
	var e *Error
	if errors.As(err, &e) {
		return e.Problems
	}
	return nil
}

// Problem is one validation problem by meaning: a stable key (one of the
// Problem* constants) and its arguments (a limit, a value), from which the
// English text of the API and every translation of the pages are made.
type Problem struct {
	Key  string   `json:"key"`
	Args []string `json:"args,omitempty"`
}

// The stable problem keys. The English text of each is in problemTexts;
// the pages translate them as problem.<key> with the arguments in order.
const (
	ProblemRequired       = "required"              // the field must be filled in
	ProblemTooShort       = "too_short"             // args: the least number of characters
	ProblemTooLong        = "too_long"              // args: the most characters
	ProblemNotUTF8        = "not_utf8"              // not valid UTF-8
	ProblemControlChars   = "control_chars"         // control characters other than newline and tab
	ProblemUnknown        = "unknown"               // args: the value that is not known
	ProblemRange          = "range"                 // args: the least and the most
	ProblemOneOf          = "one_of"                // args: the values allowed, as a list
	ProblemDate           = "date"                  // not a date YYYY-MM-DD
	ProblemFuture         = "future"                // a time that has not come yet
	ProblemRestatement    = "restatement_required"  // the main issue must be restated to the customer and confirmed
	ProblemVisitorsCount  = "visitors_count"        // args: the most visitors one registration holds
	ProblemVisitRepsCount = "representatives_count" // more representatives than visitors
	// ProblemRepresentatives: args: the group size that must choose them, the most allowed.
	ProblemRepresentatives = "representatives_rule"
	// ProblemVisitChannel: a visit registration on a channel other than visit or counter.
	ProblemVisitChannel = "visit_channel"
	// ProblemNoSuchCase: no case the user may act on has this number.
	ProblemNoSuchCase = "no_such_case"
	// ProblemFileName: a file name that names no file ("." or "..").
	ProblemFileName = "file_name"
	// ProblemTooLarge: args: the largest size allowed (20 MiB).
	ProblemTooLarge = "too_large"
	// ProblemFileType: a file whose content is not of a type the portal takes.
	ProblemFileType = "file_type"
	// ProblemChoice: a value not among those a form offers; args: the values allowed, as a list.
	ProblemChoice = "choice"
	// ProblemTooLongBytes: args: the most bytes.
	ProblemTooLongBytes = "too_long_bytes"
	// ProblemTaken: a code or login another record already has.
	ProblemTaken = "taken"
	// ProblemOrgCode: not 1-32 letters, digits, '-' or '_'.
	ProblemOrgCode = "org_code"
	// ProblemOneHQ: a second head office.
	ProblemOneHQ = "one_hq"
	// ProblemNoSuchOrg: args: the code no unit has.
	ProblemNoSuchOrg = "no_such_org"
	// ProblemNoSuchUser: args: the login no user has.
	ProblemNoSuchUser = "no_such_user"
	// ProblemOrgParent: args: the unit's kind and the kind of the parent it cannot sit under.
	ProblemOrgParent = "org_parent"
	// ProblemLogin: not 2-32 characters starting with a lower-case letter.
	ProblemLogin = "login_pattern"
	// ProblemEmail: not an e-mail address.
	ProblemEmail = "email"
	// ProblemMobile: not a mainland mobile number.
	ProblemMobile = "mobile"
	// ProblemCodePattern: not the dimension letter followed by 2-8 digits.
	ProblemCodePattern = "code_pattern"
	// ProblemCodeParent: args: the parent code, not a prefix of the code (or any parent on the one-level list R).
	ProblemCodeParent = "code_parent"
	// ProblemFlatList: a parent given on the one-level list R.
	ProblemFlatList = "flat_list"
	// ProblemResidentID: not an 18-character resident ID number (GB 11643).
	ProblemResidentID = "resident_id"
	// ProblemOtherID: another ID document's number, not 5-30 letters and digits.
	ProblemOtherID = "other_id"
	// ProblemPhone: not a mainland mobile or landline number.
	ProblemPhone = "phone"
	// ProblemAccount: an account or card number, not 10-30 digits.
	ProblemAccount = "account"
	// ProblemCreditCode: not an 18-character unified social credit code (GB 32100).
	ProblemCreditCode = "credit_code"
	// ProblemBeforeToday: a date that must be today or later (a due date).
	ProblemBeforeToday = "before_today"
	// ProblemSearchTerms: a query with no letter, digit or Chinese character.
	ProblemSearchTerms = "search_terms"
	// ProblemPasswordWrong: the current password given is not the user's.
	ProblemPasswordWrong = "password_wrong"
	// ProblemPasswordSame: a new password equal to the current one.
	ProblemPasswordSame = "password_same"
	// ProblemPasswordTwice: the new password typed twice, differently.
	ProblemPasswordTwice = "password_mismatch"
	// ProblemResetSelf: an admin resetting their own password (they change it instead).
	ProblemResetSelf = "reset_self"
	// ProblemOrgUnderItself: args: the unit's code; a move under the unit itself or one of its descendants.
	ProblemOrgUnderItself = "org_under_itself"
	// ProblemOrgChildKind: args: a child's code and kind, which could no longer sit under the unit's new kind.
	ProblemOrgChildKind = "org_child_kind"
	// ProblemOrgRoot: head office is the root: it is not moved and keeps its kind.
	ProblemOrgRoot = "org_root"
	// ProblemSelfAdmin: an admin removing their own admin role or disabling themselves.
	ProblemSelfAdmin = "self_admin"
	// ProblemPersonalData: a description that should hold no personal data
	// (an incident's people) holds an ID number or a mobile number.
	ProblemPersonalData = "personal_data"
	// ProblemImportHeaderTwice: args: the header; a column of an import file named twice.
	ProblemImportHeaderTwice = "import_header_twice"
	// ProblemImportHeaderMissing: args: the header; a required column missing from an import file.
	ProblemImportHeaderMissing = "import_header_missing"
	// ProblemImportDate: not a date or time an import file may hold.
	ProblemImportDate = "import_date"
	// ProblemImportEndedNeeds: an ended case (closed, withdrawn, rejected) without its closing date.
	ProblemImportEndedNeeds = "import_ended_needs_date"
	// ProblemImportOpenDated: an open case with a decision or closing date.
	ProblemImportOpenDated = "import_open_dated"
	// ProblemImportDateOrder: a date before the one it follows (received, decided, closed).
	ProblemImportDateOrder = "import_date_order"
	// ProblemImportDuplicate: args: the earlier row; an external number twice in one file.
	ProblemImportDuplicate = "import_duplicate"
	// ProblemImportFileType: an import file that is not a CSV or XLSX file (by name and content).
	ProblemImportFileType = "import_file_type"
)

// problemTexts are the English texts of the problem keys, as the API's
// fields carry them; %s takes the arguments in order.
var problemTexts = map[string]string{
	ProblemRequired:            "required",
	ProblemTooShort:            "must be at least %s characters",
	ProblemTooLong:             "must be at most %s characters",
	ProblemNotUTF8:             "is not valid UTF-8",
	ProblemControlChars:        "contains control characters",
	ProblemUnknown:             "unknown value %s",
	ProblemRange:               "must be %s to %s",
	ProblemOneOf:               "must be one of %s",
	ProblemDate:                "must be a date YYYY-MM-DD",
	ProblemRestatement:         "required: restate the main issue to the customer and have it confirmed",
	ProblemVisitorsCount:       "must be 1 to %s",
	ProblemRepresentatives:     "a group of %s or more visitors chooses 1 to %s representatives",
	ProblemVisitRepsCount:      "cannot exceed the number of visitors",
	ProblemVisitChannel:        "only a visit in person (channel visit or counter) is registered as a visit",
	ProblemNoSuchCase:          "no case has this number",
	ProblemFileName:            "is not a file name",
	ProblemTooLarge:            "larger than %s",
	ProblemChoice:              "must be one of %s",
	ProblemFileType:            "must be a PDF, a picture (JPEG, PNG, GIF, WebP), a recording (MP3, WAV, MP4) or plain text",
	ProblemTooLongBytes:        "must be at most %s bytes",
	ProblemTaken:               "already in use",
	ProblemOrgCode:             "must be 1-32 letters, digits, '-' or '_'",
	ProblemOneHQ:               "there is one head office and it already exists",
	ProblemNoSuchOrg:           "no org unit has code %s",
	ProblemNoSuchUser:          "no user has login %s",
	ProblemOrgParent:           "a %s cannot sit under a %s",
	ProblemLogin:               "must be 2-32 characters: a lower-case letter, then letters, digits, '.', '-' or '_'",
	ProblemEmail:               "not an e-mail address such as wang.fang@bank.example",
	ProblemMobile:              "not a mainland mobile number: 11 digits starting with 1, e.g. 13812345678",
	ProblemCodePattern:         "must be the dimension letter followed by 2-8 digits, e.g. B0301",
	ProblemCodeParent:          "must be a prefix of the code",
	ProblemBeforeToday:         "is before today",
	ProblemFlatList:            "the root-cause list has one level: leave it empty",
	ProblemResidentID:          "not an 18-character resident ID number",
	ProblemOtherID:             "must be 5-30 letters and digits",
	ProblemPhone:               "not a mainland mobile or landline number",
	ProblemAccount:             "must be 10-30 digits",
	ProblemCreditCode:          "not an 18-character unified social credit code",
	ProblemPersonalData:        "must not hold an ID number or a mobile number: describe the people, do not identify them",
	ProblemSearchTerms:         "give some letters, digits or Chinese characters",
	ProblemPasswordWrong:       "wrong password",
	ProblemPasswordSame:        "must differ from the current password",
	ProblemPasswordTwice:       "the two new passwords differ",
	ProblemResetSelf:           "reset another user's password; change your own on the change-password page",
	ProblemOrgUnderItself:      "a unit cannot move under itself or a unit below it (%s)",
	ProblemOrgChildKind:        "the unit below it, %s (a %s), could no longer sit under this kind",
	ProblemOrgRoot:             "head office is the root of the tree: it does not move and stays head office",
	ProblemSelfAdmin:           "you may not remove your own admin role or disable yourself",
	ProblemImportHeaderTwice:   "the column %s appears twice",
	ProblemImportHeaderMissing: "the required column %s is missing",
	ProblemImportDate:          "not a date: use YYYY-MM-DD, YYYY-MM-DD HH:MM or a date cell",
	ProblemImportEndedNeeds:    "required for a closed, withdrawn or rejected case",
	ProblemImportOpenDated:     "an open case has no decision or closing date",
	ProblemImportDateOrder:     "is before the date it follows (received, decided, closed)",
	ProblemImportDuplicate:     "the external number appears already in row %s",
	ProblemImportFileType:      "must be a .csv or .xlsx file, as its name says",
}

// ProblemKeys lists every stable problem key, sorted: the messages a page
// catalogue must hold.
func ProblemKeys() []string { return sortedKeys(problemTexts) }

func sortedKeys(texts map[string]string) []string {
	keys := make([]string, 0, len(texts))
	for k := range texts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Text returns the problem's English text.
func (p Problem) Text() string { return p.text(problemTexts) }

func (p Problem) text(texts map[string]string) string {
	format, ok := texts[p.Key]
	if !ok {
		return p.Key
	}
	args := make([]any, len(p.Args))
	for i, a := range p.Args {
		args[i] = a
	}
	return fmt.Sprintf(format, args...)
}

// Problems collects per-field validation problems and turns them into one
// EINVALID error. The zero value is ready to use.
type Problems struct {
	fields map[string]string
	keyed  map[string]Problem
}

// Add records a problem with the named field as free text; the first
// problem per field wins. Prefer AddKey, which pages can translate.
func (p *Problems) Add(field, problem string) {
	if p.fields == nil {
		p.fields = map[string]string{}
	}
	if _, seen := p.fields[field]; !seen {
		p.fields[field] = problem
	}
}

// AddKey records a problem with the named field by its stable key and
// arguments; the first problem per field wins.
func (p *Problems) AddKey(field, key string, args ...string) {
	if _, seen := p.fields[field]; seen {
		return
	}
	pr := Problem{Key: key, Args: args}
	p.Add(field, pr.Text())
	if p.keyed == nil {
		p.keyed = map[string]Problem{}
	}
	p.keyed[field] = pr
}

// valueList is the values of a list as ProblemChoice names them: "a, b, c".
func valueList[T ~string](list []T) string {
	parts := make([]string, len(list))
	for i, v := range list {
		parts[i] = string(v)
	}
	return strings.Join(parts, ", ")
}

// FieldError returns an *Error of the code and message with one keyed
// problem on the named field.
func FieldError(code, message, field, key string, args ...string) *Error {
	pr := Problem{Key: key, Args: args}
	return &Error{Code: code, Message: message, Fields: map[string]string{field: pr.Text()}, Problems: map[string]Problem{field: pr}}
}

// Err returns nil when no problem was added, else an EINVALID *Error naming the fields.
func (p *Problems) Err() error {
	if len(p.fields) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "invalid input", Fields: p.fields, Problems: p.keyed}
}
