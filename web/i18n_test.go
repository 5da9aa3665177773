package web

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"redress"
)

// TestCataloguesComplete checks that both languages have exactly the same
// messages, that every message a template or page asks for exists, and that
// every value of the vocabulary shown on the pages has a label.
func TestCataloguesComplete(t *testing.T) {
	t.Parallel()
	load := func(name string) map[string]any {
		data, err := fs.ReadFile(uiFiles, "i18n/"+name)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]any{}
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return m
	}
	zh, en := load("zh-CN.json"), load("en.json")
	for k := range zh {
		if _, ok := en[k]; !ok {
			t.Errorf("en.json lacks %s", k)
		}
	}
	for k := range en {
		if _, ok := zh[k]; !ok {
			t.Errorf("zh-CN.json lacks %s", k)
		}
	}
	used := map[string]bool{}
	literal := regexp.MustCompile(`(?:\.Get|Title:|Error:|\.Get\()\s*"([a-z_]+\.[a-z_.]+)"`)
	for _, dir := range []string{"templates", "."} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.*"))
		for _, f := range files {
			if !strings.HasSuffix(f, ".html") && !strings.HasSuffix(f, ".go") {
				continue
			}
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range literal.FindAllStringSubmatch(string(data), -1) {
				used[m[1]] = true
			}
		}
	}
	for _, kind := range []struct {
		prefix string
		values []string
	}{
		{"status", strs(redress.Statuses)}, {"kind", strs(redress.Kinds)}, {"channel", strs(redress.Channels)},
		{"role", strs(redress.Roles)}, {"action", strs(redress.Actions)}, {"id_type", strs(redress.IDTypes)},
		{"liability", strs(redress.Liabilities)}, {"outcome", strs(redress.Outcomes)}, {"remedy", strs(redress.Remedies)},
		{"notice", strs(redress.NoticeMethods)}, {"satisfaction", strs(redress.Satisfactions)}, {"cause", strs(redress.PauseCauses)},
		{"orgkind", strs(redress.OrgKinds)}, {"risk", strs(redress.RiskLevels)}, {"priority", strs(redress.Priorities)},
		{"review_kind", strs(redress.ReviewKinds)}, {"review_result", strs(redress.ReviewResults)}, // review
		{"visit_method", append(strs(redress.ReturnVisitMethods), string(redress.VisitBySurvey))}, // return visits
		{"visit_outcome", strs(redress.ReturnVisitOutcomes)}, {"visit_status", strs(redress.ReturnVisitStatuses)},
		{"visit_reason", strs(redress.ReturnVisitReasons)}, {"visit_from", []string{redress.ReturnVisitFromClose, redress.ReturnVisitFromReply}},
		{"notice_kind", strs(redress.CustomerNoticeKinds)}, {"notice_status", strs(redress.CustomerNoticeStatuses)}, // notices
		{"notice_lang", redress.NoticeLangs},
		{"repeat_reason", strs(redress.RepeatReasons)},                                                                // repeat complaints
		{"reception_materials", strs(redress.ReceptionMaterialsList)}, {"evidence_kind", strs(redress.EvidenceKinds)}, // the reception log, evidence
		{"portal.stage", strs(redress.PortalStages)}, {"portal.stage_hint", strs(redress.PortalStages)}, // the customer portal
	} {
		for _, v := range kind.values {
			used[kind.prefix+"."+v] = true
		}
	}
	for _, key := range redress.ProblemKeys() {
		used["problem.key."+key] = true
	}
	for _, v := range []string{redress.MovedOffWeekend, redress.MovedOffStatutory, redress.MovedOffRestDay} {
		used["due.day."+v] = true // the moved_off reason's arguments (web/i18n.go reasonLabels)
	}
	for _, v := range []redress.MoveOff{redress.MoveOffRestDay, redress.MoveOffStatutory} {
		used["due.move."+string(v)] = true
	}
	for _, kind := range redress.OrgKinds {
		used["role."+string(redress.RoleBranchHead)+"."+string(kind)] = true // T.RoleOf
	}
	for _, key := range redress.ReasonKeys() {
		used["error.key."+key] = true
	}
	for _, code := range []string{redress.EINVALID, redress.EUNAUTHORIZED, redress.EFORBIDDEN, redress.ENOTFOUND, redress.ECONFLICT,
		redress.ETOOMANY, redress.EINTERNAL, redress.EUNSUPPORTED} {
		used["error.code."+code] = true // a service's message without a key, in Chinese (pageMessage)
	}
	for _, p := range redress.DefaultPolicies() {
		for _, c := range p.Clocks {
			if p.Name == redress.PolicyComplaint || p.Name == redress.PolicyPetition {
				used["clock."+c.Name] = true
			}
		}
	}
	// The case timeline shows each event's action, under its name now and before.
	for _, a := range redress.Actions {
		used["action."+redress.CaseEventAction(a)] = true
	}
	for _, name := range []string{"case.add_evidence", "case.evidence", "case.reveal", "case.portal_code", "case.portal_track", "case.rate"} {
		used["action."+name] = true
	}
	missing := []string{}
	for k := range used {
		if _, ok := zh[k]; !ok {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Fatalf("messages used but missing from the catalogues: %v", missing)
	}
}

func strs[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = string(v)
	}
	return out
}

func TestTemplatesParse(t *testing.T) {
	t.Parallel()
	u, err := newUI()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range append(append([]string{}, pageNames...), printNames...) {
		if u.pages[name] == nil {
			t.Errorf("page %s not parsed", name)
		}
	}
}
