package redress_test

import (
	"bufio"
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// peers are the packages that depend on the root package and on no one of
// each other: only cmd/redress wires them together (docs/architecture.md,
// "Dependencies point inward").
var peers = []string{"sqldb", "web", "jobs", "notify", "demo"}

// TestDependencyRule enforces the direction of the imports of the code (test
// files aside, which may wire real packages together): the root package
// imports only the standard library; no peer reaches another peer, nor
// anything under cmd/, through any chain of imports; nothing imports cmd/;
// and sqldb/sqldbtest imports neither the root package nor sqldb, so that
// sqldb's own tests can use it.
func TestDependencyRule(t *testing.T) {
	t.Parallel()
	module, imports := moduleImports(t, ".")
	for _, problem := range dependencyProblems(module, imports) {
		t.Error(problem)
	}
}

// moduleImports reads the module path from go.mod in root and returns, for
// each package directory of the module (relative, "." for the root), the
// import paths of its non-test files, whatever their build tags.
func moduleImports(t *testing.T, root string) (string, map[string][]string) {
	t.Helper()
	module := ""
	gomod, err := os.Open(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	defer gomod.Close()
	for lines := bufio.NewScanner(gomod); lines.Scan(); {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(lines.Text()), "module "); ok {
			module = strings.Trim(strings.TrimSpace(rest), `"`)
			break
		}
	}
	if module == "" {
		t.Fatal("go.mod names no module")
	}
	imports := map[string][]string{}
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			// The go command ignores these too.
			if path != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" ||
				name == "vendor" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		file, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		dir, err := filepath.Rel(root, filepath.Dir(path))
		if err != nil {
			return err
		}
		dir = filepath.ToSlash(dir)
		for _, spec := range file.Imports {
			p, err := strconv.Unquote(spec.Path.Value)
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			if !slices.Contains(imports[dir], p) {
				imports[dir] = append(imports[dir], p)
			}
		}
		if _, ok := imports[dir]; !ok {
			imports[dir] = nil
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := imports["sqldb"]; !ok {
		t.Fatalf("found no package sqldb under %s: the walk is wrong", root)
	}
	return module, imports
}

// dependencyProblems checks the import graph of a module (package directory
// → import paths) against the rule of TestDependencyRule.
func dependencyProblems(module string, imports map[string][]string) []string {
	// dirOf returns the package directory of an import path of the module.
	dirOf := func(path string) (string, bool) {
		if path == module {
			return ".", true
		}
		rest, ok := strings.CutPrefix(path, module+"/")
		return rest, ok
	}
	// within reports whether dir is the package top or one under it.
	within := func(dir, top string) bool { return dir == top || strings.HasPrefix(dir, top+"/") }
	var problems []string
	for _, p := range imports["."] {
		if first, _, _ := strings.Cut(p, "/"); strings.Contains(first, ".") || p == module || strings.HasPrefix(p, module+"/") {
			problems = append(problems, fmt.Sprintf("the root package imports %s: it may import only the standard library", p))
		}
	}
	for dir, paths := range imports {
		for _, p := range paths {
			if to, ok := dirOf(p); ok && within(to, "cmd") {
				problems = append(problems, fmt.Sprintf("%s imports %s: nothing imports a command", dir, p))
			}
		}
	}
	for _, p := range imports["sqldb/sqldbtest"] {
		if to, ok := dirOf(p); ok && (to == "." || to == "sqldb") {
			problems = append(problems, fmt.Sprintf("sqldb/sqldbtest imports %s: it must not, so that sqldb's own tests can use it", p))
		}
	}
	// Every chain of imports from a peer, through any package of the module.
	for _, from := range peers {
		seen := map[string]bool{} // the peer's own packages are walked from, not through
		for dir := range imports {
			seen[dir] = within(dir, from)
		}
		var walk func(dir string, chain []string)
		walk = func(dir string, chain []string) {
			for _, p := range imports[dir] {
				to, ok := dirOf(p)
				if !ok || seen[to] {
					continue
				}
				seen[to] = true
				next := append(slices.Clone(chain), p)
				for _, other := range peers {
					if other != from && within(to, other) {
						problems = append(problems, fmt.Sprintf("%s reaches %s (%s): the peers %s import the root package and not each other",
							from, other, strings.Join(next, " → "), strings.Join(peers, ", ")))
					}
				}
				walk(to, next)
			}
		}
		for _, dir := range slices.Sorted(maps.Keys(imports)) { // the package itself first
			if within(dir, from) {
				walk(dir, []string{module + "/" + dir})
			}
		}
	}
	sort.Strings(problems)
	return slices.Compact(problems)
}

// TestDependencyRuleCatches feeds the check a module that breaks each rule.
func TestDependencyRuleCatches(t *testing.T) {
	t.Parallel()
	imports := map[string][]string{
		".":               {"fmt", "golang.org/x/text/language", "m/sqldb"},
		"sqldb":           {"m", "m/shared"},
		"shared":          {"m/web"},
		"web":             {"m", "m/cmd/tool"},
		"jobs":            {"m"},
		"notify":          {"m"},
		"demo":            {"m"},
		"sqldb/sqldbtest": {"m/sqldb", "testing"},
	}
	got := strings.Join(dependencyProblems("m", imports), "\n")
	for _, want := range []string{
		"the root package imports golang.org/x/text/language",
		"the root package imports m/sqldb",
		"sqldb reaches web (m/sqldb → m/shared → m/web)",
		"web imports m/cmd/tool: nothing imports a command",
		"sqldb/sqldbtest imports m/sqldb",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the check misses %q; it found:\n%s", want, got)
		}
	}
	clean := map[string][]string{".": {"fmt"}, "sqldb": {"m", "github.com/jackc/pgx/v5/stdlib"}, "web": {"m"},
		"cmd/redress": {"m/sqldb", "m/web"}}
	if problems := dependencyProblems("m", clean); len(problems) != 0 {
		t.Errorf("a module that keeps the rule: %v", problems)
	}
}
