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

// OrgService manages the org tree.
type OrgService interface {
	// CreateOrg adds a unit under an existing parent. Admin only.
	// Errors: EINVALID, EFORBIDDEN, EUNAUTHORIZED, ECONFLICT (code taken).
	CreateOrg(ctx context.Context, n NewOrgUnit) (*OrgUnit, error)
	// ListOrgs returns every unit, parents before children. Any signed-in user.
	// Errors: EUNAUTHORIZED.
	ListOrgs(ctx context.Context) ([]*OrgUnit, error)
}
