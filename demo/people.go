package demo

import (
	"context"
	"fmt"

	"redress"
)

// orgSpec is one org unit of the demo bank, created under its parent.
type orgSpec struct {
	code, name string
	kind       redress.OrgKind
	parent     string
}

// orgTree is the demo bank below the existing head office, parents first.
var orgTree = []orgSpec{
	{"BJ", "北京分行", redress.OrgBranch, "HQ"},
	{"BJ-HD", "海淀支行", redress.OrgSubBranch, "BJ"},
	{"BJ-HD-01", "中关村网点", redress.OrgOutlet, "BJ-HD"},
	{"BJ-HD-02", "五道口网点", redress.OrgOutlet, "BJ-HD"},
	{"BJ-CY", "朝阳支行", redress.OrgSubBranch, "BJ"},
	{"BJ-CY-01", "国贸网点", redress.OrgOutlet, "BJ-CY"},
	{"SH", "上海分行", redress.OrgBranch, "HQ"},
	{"SH-PD", "浦东支行", redress.OrgSubBranch, "SH"},
	{"SH-PD-01", "陆家嘴网点", redress.OrgOutlet, "SH-PD"},
	{"SH-PD-02", "张江网点", redress.OrgOutlet, "SH-PD"},
	{"SH-XH", "徐汇支行", redress.OrgSubBranch, "SH"},
	{"SH-XH-01", "徐家汇网点", redress.OrgOutlet, "SH-XH"},
}

// userSpec is one demo user.
type userSpec struct {
	login, name string
	role        redress.Role
	org         string
}

// staffList is every demo user, head office first.
var staffList = []userSpec{
	{"zhao.min", "赵敏", redress.RoleHQService, "HQ"},
	{"sun.jie", "孙杰", redress.RoleHQService, "HQ"},
	{"qian.li", "钱莉", redress.RoleAuditor, "HQ"},
	{"zhou.qiang", "周强", redress.RoleManager, "BJ"},
	{"wang.fang", "王芳", redress.RoleManager, "BJ-HD"},
	{"li.jianguo", "李建国", redress.RoleBranchHead, "BJ-HD"},
	{"zhang.lei", "张磊", redress.RoleStaff, "BJ-HD-01"},
	{"yang.xue", "杨雪", redress.RoleStaff, "BJ-HD-01"},
	{"ma.li", "马丽", redress.RoleStaff, "BJ-HD-02"},
	{"chen.jing", "陈静", redress.RoleManager, "BJ-CY"},
	{"liu.wei", "刘伟", redress.RoleBranchHead, "BJ-CY"},
	{"guo.peng", "郭鹏", redress.RoleStaff, "BJ-CY-01"},
	{"he.ting", "何婷", redress.RoleStaff, "BJ-CY-01"},
	{"wu.lei", "吴磊", redress.RoleManager, "SH"},
	{"huang.min", "黄敏", redress.RoleManager, "SH-PD"},
	{"xu.zhiyuan", "徐志远", redress.RoleBranchHead, "SH-PD"},
	{"zhu.yan", "朱燕", redress.RoleStaff, "SH-PD-01"},
	{"shen.jun", "沈俊", redress.RoleStaff, "SH-PD-01"},
	{"gu.yifan", "顾一帆", redress.RoleStaff, "SH-PD-02"},
	{"lin.xiaoyan", "林晓燕", redress.RoleManager, "SH-XH"},
	{"zheng.hao", "郑浩", redress.RoleBranchHead, "SH-XH"},
	{"lu.jiayi", "陆佳怡", redress.RoleStaff, "SH-XH-01"},
	{"tang.hao", "唐浩", redress.RoleStaff, "SH-XH-01"},
}

// outlet is one outlet with the people who work its cases.
type outlet struct {
	code, name    string
	city          string          // branch code: BJ or SH
	staff         []*redress.User // first responders
	manager       *redress.User   // the sub-branch's complaint manager
	head          *redress.User   // the sub-branch's branch head
	branchManager *redress.User   // the branch's complaint manager
}

// createOrgs creates the org tree as admin, a unit every minute or two.
func (l *loader) createOrgs(ctx context.Context) error {
	actx := redress.WithUser(ctx, l.admin)
	for _, o := range orgTree {
		l.tick()
		n := redress.NewOrgUnit{Code: o.code, Name: o.name, Kind: o.kind, Parent: o.parent}
		if _, err := l.svc.Orgs.CreateOrg(actx, n); err != nil {
			return fmt.Errorf("demo: create org unit %s: %w", o.code, err)
		}
		l.orgs[o.code] = o
	}
	return nil
}

// createUsers creates the demo users as admin, one every minute or two.
func (l *loader) createUsers(ctx context.Context) error {
	actx := redress.WithUser(ctx, l.admin)
	for _, s := range staffList {
		l.tick()
		n := redress.NewUser{Login: s.login, Name: s.name, Role: s.role, Org: s.org, Password: Password}
		u, err := l.svc.Users.CreateUser(actx, n)
		if err != nil {
			return fmt.Errorf("demo: create user %s: %w", s.login, err)
		}
		l.users = append(l.users, u)
	}
	return nil
}

// usersAt returns the users of one unit with one role, in creation order.
func (l *loader) usersAt(org string, role redress.Role) []*redress.User {
	var found []*redress.User
	for _, u := range l.users {
		if u.OrgCode == org && u.Role == role {
			found = append(found, u)
		}
	}
	return found
}

// indexOutlets finds, for every outlet, who registers, handles and signs
// off its cases.
func (l *loader) indexOutlets() {
	for _, o := range orgTree {
		if o.kind != redress.OrgOutlet {
			continue
		}
		sub := l.orgs[o.parent]
		l.outlets = append(l.outlets, &outlet{code: o.code, name: o.name, city: sub.parent,
			staff:         l.usersAt(o.code, redress.RoleStaff),
			manager:       l.usersAt(sub.code, redress.RoleManager)[0],
			head:          l.usersAt(sub.code, redress.RoleBranchHead)[0],
			branchManager: l.usersAt(sub.parent, redress.RoleManager)[0]})
	}
	l.hq = l.usersAt("HQ", redress.RoleHQService)
}

// unitName is the name of a unit of the demo bank; the head office is the
// only one it did not create.
func (l *loader) unitName(code string) string {
	if o, ok := l.orgs[code]; ok {
		return o.name
	}
	return "总行"
}
