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
	EINTERNAL     = "internal"
)

// Error is an error meant for the user: a code, a message safe to show, and,
// for invalid input, the offending fields with what is wrong with each.
type Error struct {
	Code    string
	Message string
	Fields  map[string]string
}

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

// Problems collects per-field validation problems and turns them into one
// EINVALID error. The zero value is ready to use.
type Problems struct {
	fields map[string]string
}

// Add records a problem with the named field; the first problem per field wins.
func (p *Problems) Add(field, problem string) {
	if p.fields == nil {
		p.fields = map[string]string{}
	}
	if _, seen := p.fields[field]; !seen {
		p.fields[field] = problem
	}
}

// Err returns nil when no problem was added, else an EINVALID *Error naming the fields.
func (p *Problems) Err() error {
	if len(p.fields) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "invalid input", Fields: p.fields}
}
