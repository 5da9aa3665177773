package redress

import "testing"

// TestDeterminationCodes: the root-cause code is of the list R; a measure is
// one of the list, and a measure that holds someone names them, while a
// named staff member needs such a measure.
func TestDeterminationCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		d     Determination
		field string // "" when valid
	}{
		{"no codes", Determination{}, ""},
		{"root cause", Determination{RootCauseCode: "R04"}, ""},
		{"a JR/T code as root cause", Determination{RootCauseCode: "C01"}, "root_cause_code"},
		{"a malformed code", Determination{RootCauseCode: "R%"}, "root_cause_code"},
		{"measure none", Determination{AccountabilityMeasure: AccountabilityNone}, ""},
		{"criticism of someone", Determination{AccountabilityMeasure: AccountabilityCriticism, AccountableStaff: "li.qiang"}, ""},
		{"criticism of no one", Determination{AccountabilityMeasure: AccountabilityCriticism}, "accountable_staff"},
		{"someone without a measure", Determination{AccountableStaff: "li.qiang"}, "accountability_measure"},
		{"someone with none", Determination{AccountabilityMeasure: AccountabilityNone, AccountableStaff: "li.qiang"}, "accountability_measure"},
		{"an unknown measure", Determination{AccountabilityMeasure: "caning", AccountableStaff: "li.qiang"}, "accountability_measure"},
	}
	for _, tt := range tests {
		var p Problems
		tt.d.validateCodes(&p)
		fields := ErrorFields(p.Err())
		if tt.field == "" && len(fields) > 0 || tt.field != "" && fields[tt.field] == "" {
			t.Errorf("%s: problems %v, want one on %q", tt.name, fields, tt.field)
		}
	}
}
