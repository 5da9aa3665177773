package main

import (
	"fmt"
	"strings"

	"redress"
	"redress/demo/scenario"
	"redress/sqldb"
)

// Bank shape: sub-branches per branch, outlets per sub-branch, counter staff
// per outlet, head-office service staff.
const (
	subBranchesPerBranch = 5
	outletsPerSubBranch  = 4
	staffPerOutlet       = 3
	hqServiceStaff       = 5
)

// outlet is one outlet of the generated bank with its people.
type outlet struct {
	code, name string
	city       string   // branch code
	staff      []string // logins of the counter staff
	staffNames []string
	sub        *subBranch
}

// subBranch is one sub-branch with its complaint manager and branch head.
type subBranch struct {
	code, name    string
	manager, head string // logins
	branchManager string // the branch's complaint manager
}

// bank is the generated org tree and its users.
type bank struct {
	orgs        []sqldb.BulkOrg
	users       []sqldb.BulkUser
	subBranches []*subBranch
	outlets     []*outlet
	hqService   []string // logins
}

// branchCount scales the bank with the dataset: 40 branches (1,000 outlets
// and sub-branches in all) from 100,000 cases up, fewer for small trial runs.
func branchCount(size int) int {
	return min(max(size/2500, 2), len(scenario.Cities()))
}

func (g *generator) makeBank() *bank {
	b := &bank{}
	user := func(login, name string, role redress.Role, org string) string {
		b.users = append(b.users, sqldb.BulkUser{Login: login, Name: name, Role: role, Org: org})
		return login
	}
	for i := 1; i <= hqServiceStaff; i++ {
		b.hqService = append(b.hqService, user(fmt.Sprintf("hq.svc%d", i), g.rng.PersonName(), redress.RoleHQService, sqldb.RootOrgCode))
	}
	user("hq.audit", g.rng.PersonName(), redress.RoleAuditor, sqldb.RootOrgCode)
	for _, city := range scenario.Cities()[:branchCount(g.size)] {
		code, name := city.Code, city.Name
		b.orgs = append(b.orgs, sqldb.BulkOrg{Code: code, Name: name + "分行", Kind: redress.OrgBranch, Parent: sqldb.RootOrgCode})
		lower := strings.ToLower(code)
		branchManager := user(lower+".mgr", g.rng.PersonName(), redress.RoleManager, code)
		dists := g.sample(scenario.Districts(), subBranchesPerBranch)
		strs := g.sample(scenario.Streets(), subBranchesPerBranch*outletsPerSubBranch)
		for s := range subBranchesPerBranch {
			subCode := fmt.Sprintf("%s-%02d", code, s+1)
			sb := &subBranch{code: subCode, name: name + dists[s] + "支行", branchManager: branchManager}
			b.orgs = append(b.orgs, sqldb.BulkOrg{Code: subCode, Name: sb.name, Kind: redress.OrgSubBranch, Parent: code})
			sb.manager = user(strings.ToLower(subCode)+".mgr", g.rng.PersonName(), redress.RoleManager, subCode)
			sb.head = user(strings.ToLower(subCode)+".head", g.rng.PersonName(), redress.RoleBranchHead, subCode)
			b.subBranches = append(b.subBranches, sb)
			for o := range outletsPerSubBranch {
				outCode := fmt.Sprintf("%s-%02d", subCode, o+1)
				out := &outlet{code: outCode, name: name + strs[s*outletsPerSubBranch+o] + "网点", city: code, sub: sb}
				b.orgs = append(b.orgs, sqldb.BulkOrg{Code: outCode, Name: out.name, Kind: redress.OrgOutlet, Parent: subCode})
				for k := range staffPerOutlet {
					staffName := g.rng.PersonName()
					out.staff = append(out.staff, user(fmt.Sprintf("%s.s%d", strings.ToLower(outCode), k+1), staffName, redress.RoleStaff, outCode))
					out.staffNames = append(out.staffNames, staffName)
				}
				b.outlets = append(b.outlets, out)
			}
		}
	}
	return b
}

// sample returns n distinct elements of list in random order; it shuffles
// list.
func (g *generator) sample(list []string, n int) []string {
	g.rng.Shuffle(len(list), func(i, j int) { list[i], list[j] = list[j], list[i] })
	return list[:n]
}
