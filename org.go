package redress

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// OrgKind is the level of an org unit in the bank's tree.
type OrgKind string

// The org unit kinds, from the top of the tree down.
const (
	OrgHQ        OrgKind = "hq"         // 总行
	OrgBranch    OrgKind = "branch"     // 分行
	OrgSubBranch OrgKind = "sub_branch" // 支行
	OrgOutlet    OrgKind = "outlet"     // 网点
)

// OrgKinds lists every org unit kind, top down.
var OrgKinds = []OrgKind{OrgHQ, OrgBranch, OrgSubBranch, OrgOutlet}

// Valid reports whether k is a known kind.
func (k OrgKind) Valid() bool {
	for _, known := range OrgKinds {
		if k == known {
			return true
		}
	}
	return false
}

func (k OrgKind) depth() int {
	for i, known := range OrgKinds {
		if k == known {
			return i
		}
	}
	return -1
}

// CanParent reports whether a unit of kind k may sit directly under a unit of
// kind parent: strictly lower in the tree (an outlet may hang off a branch).
func (k OrgKind) CanParent(parent OrgKind) bool {
	return k.depth() > parent.depth() && parent.depth() >= 0
}

// OrgUnit is one unit of the bank: head office, a branch, a sub-branch or an outlet.
type OrgUnit struct {
	ID         int64     `json:"-"`
	Code       string    `json:"code"`
	Name       string    `json:"name"`
	Kind       OrgKind   `json:"kind"`
	ParentCode string    `json:"parent,omitempty"`
	ParentID   int64     `json:"-"`
	Path       string    `json:"-"` // materialised path of IDs, "/1/4/9/", for subtree scope
	CreatedAt  time.Time `json:"created_at"`
}

// Depth is the unit's depth in the tree: 0 for head office, 1 for a branch
// under it, and so on (read off its materialised path).
func (o *OrgUnit) Depth() int { return max(strings.Count(o.Path, "/")-2, 0) }

// ChildOrgKinds lists the kinds of unit that can be created under another:
// every kind but head office, the one root.
func ChildOrgKinds() []OrgKind {
	var kinds []OrgKind
	for _, k := range OrgKinds {
		if k != OrgHQ {
			kinds = append(kinds, k)
		}
	}
	return kinds
}

// OrgPath returns the materialised path of a unit with the given ID under a
// parent with the given path ("" for the root).
func OrgPath(parentPath string, id int64) string {
	if parentPath == "" {
		parentPath = "/"
	}
	return parentPath + strconv.FormatInt(id, 10) + "/"
}

// InSubtree reports whether the unit with path child lies in the subtree
// rooted at the unit with path root (a unit is in its own subtree).
func InSubtree(child, root string) bool {
	return root != "" && strings.HasPrefix(child, root)
}

var orgCodePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)

// NewOrgUnit is the input to create an org unit.
type NewOrgUnit struct {
	Code   string  `json:"code"`
	Name   string  `json:"name"`
	Kind   OrgKind `json:"kind"`
	Parent string  `json:"parent"`
}

// Validate checks the fields that need no database.
func (n NewOrgUnit) Validate() error {
	var p Problems
	if !orgCodePattern.MatchString(n.Code) {
		p.AddKey("code", ProblemOrgCode)
	}
	checkText(&p, "name", n.Name, 1, 100)
	if !n.Kind.Valid() {
		p.AddKey("kind", ProblemChoice, valueList(OrgKinds))
	}
	if n.Kind == OrgHQ {
		p.AddKey("kind", ProblemOneHQ)
	}
	if strings.TrimSpace(n.Parent) == "" {
		p.AddKey("parent", ProblemRequired)
	}
	return p.Err()
}

// OrgUpdate is a change to a unit: its name, its kind, or its parent (a
// move of its whole subtree); nil fields stay as they are. The code is the
// unit's identity (cases and the audit trail name it) and does not change.
type OrgUpdate struct {
	Name   *string  `json:"name,omitempty"`
	Kind   *OrgKind `json:"kind,omitempty"`
	Parent *string  `json:"parent,omitempty"` // the code of the new parent
}

// Validate checks the fields that need no database.
func (up OrgUpdate) Validate() error {
	var p Problems
	if up.Name != nil {
		checkText(&p, "name", *up.Name, 1, 100)
	}
	if up.Kind != nil && !up.Kind.Valid() {
		p.AddKey("kind", ProblemChoice, valueList(OrgKinds))
	}
	if up.Parent != nil && strings.TrimSpace(*up.Parent) == "" {
		p.AddKey("parent", ProblemRequired)
	}
	if up.Name == nil && up.Kind == nil && up.Parent == nil {
		p.AddKey("name", ProblemRequired)
	}
	return p.Err()
}

// CheckOrgPlace checks a unit's place in the tree after a change: unit as
// it will be (its new kind), under parent (nil for none), with the kinds of
// its direct children. Head office stays the root and stays head office; a
// unit never moves under itself or a unit below it (its path would contain
// itself); its kind sits under the parent's; each child's kind still sits
// under its own. Every problem at once.
func CheckOrgPlace(unit OrgUnit, wasHQ bool, parent *OrgUnit, children []*OrgUnit) error {
	var p Problems
	switch {
	case wasHQ:
		if unit.Kind != OrgHQ {
			p.AddKey("kind", ProblemOrgRoot)
		}
		if parent != nil {
			p.AddKey("parent", ProblemOrgRoot)
		}
	case unit.Kind == OrgHQ:
		p.AddKey("kind", ProblemOneHQ)
	case parent == nil:
		p.AddKey("parent", ProblemRequired)
	case InSubtree(parent.Path, unit.Path):
		p.AddKey("parent", ProblemOrgUnderItself, parent.Code)
	case !unit.Kind.CanParent(parent.Kind):
		p.AddKey("kind", ProblemOrgParent, string(unit.Kind), string(parent.Kind))
	}
	for _, c := range children {
		if !c.Kind.CanParent(unit.Kind) {
			p.AddKey("kind", ProblemOrgChildKind, c.Code, string(c.Kind))
			break
		}
	}
	return p.Err()
}

// MovedPath returns the materialised path of a unit of the subtree that
// moves from oldRoot to newRoot (both paths of the moved unit itself).
func MovedPath(path, oldRoot, newRoot string) string {
	return newRoot + strings.TrimPrefix(path, oldRoot)
}

// OrgService manages the org tree.
type OrgService interface {
	// CreateOrg adds a unit under an existing parent. Admin only.
	// Errors: EINVALID, EFORBIDDEN, EUNAUTHORIZED, ECONFLICT (code taken).
	CreateOrg(ctx context.Context, n NewOrgUnit) (*OrgUnit, error)
	// ListOrgs returns every unit, parents before children. Any signed-in user.
	// Errors: EUNAUTHORIZED.
	ListOrgs(ctx context.Context) ([]*OrgUnit, error)
	// UpdateOrg renames a unit, changes its kind or moves it, with its whole
	// subtree, under another parent (CheckOrgPlace), recomputing the paths
	// of the subtree in one transaction. Admin only; audited org.update.
	// Errors: EINVALID, EFORBIDDEN, EUNAUTHORIZED, ENOTFOUND.
	UpdateOrg(ctx context.Context, code string, up OrgUpdate) (*OrgUnit, error)
}
