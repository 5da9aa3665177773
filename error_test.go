package redress

import (
	"strings"
	"testing"
)

// TestKeyedMessages: a keyed error keeps its English message for the API
// (the text before the keys were added) and its key and arguments for the
// pages; every key has an English text with as many %s as it has arguments.
func TestKeyedMessages(t *testing.T) {
	for _, tc := range []struct {
		err  *Error
		want string
	}{
		{Reasonf(ECONFLICT, ReasonStaleVersion, "TS1", "1", "2"), "case TS1 was changed by someone else: you sent version 1, it is now at version 2"},
		{Reasonf(ECONFLICT, ReasonStaleVersionBy, "TS1", "1", "2", "case.accept", "mgr", "2026-11-20 09:30"),
			"case TS1 was changed by someone else: you sent version 1, it is now at version 2 (last change: case.accept by mgr at 2026-11-20 09:30); reload it and try again"},
		{Reasonf(ECONFLICT, ReasonChangedMeanwhile, "TS1"), "case TS1 was changed by someone else; reload it and try again"},
		{Reasonf(EFORBIDDEN, ReasonNoCaseContents, "admin"), "role admin does not read complaint contents"},
		{FieldError(ECONFLICT, "login mgr is taken", "login", ProblemTaken), "login mgr is taken (login: already in use)"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
	e := FieldError(EINVALID, "unknown user x", "handler", ProblemNoSuchUser, "x")
	if p := ErrorProblems(e)["handler"]; p.Key != ProblemNoSuchUser || p.Args[0] != "x" || ErrorFields(e)["handler"] != "no user has login x" {
		t.Errorf("a field error keeps its key: %+v %v", p, ErrorFields(e))
	}
	for _, texts := range []map[string]string{problemTexts, reasonTexts} {
		for key, text := range texts {
			if strings.Contains(text, "%") && !strings.Contains(text, "%s") {
				t.Errorf("%s: only %%s takes arguments: %q", key, text)
			}
		}
	}
}
