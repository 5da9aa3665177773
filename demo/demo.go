// Package demo loads a realistic demo bank into Redress: branches,
// sub-branches and outlets under the head office, users of every role, and
// about three hundred cases walked through their lifecycle.
//
// Everything goes through the service interfaces of package redress, so
// every change carries its real audit event and every rule (roles, scope,
// versions, recusal) is honoured. The data is deterministic: the same seed
// and the same now give the same bank.
package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"

	"redress"
)

// Password is the password of every demo user.
const Password = "Demo-2026-pass"

// Marker is the code of an org unit that exists once the demo bank is loaded.
const Marker = "BJ"

// caseCount is how many cases the demo registers.
const caseCount = 300

// statusQuota is how many demo cases end in each status; it sums to caseCount.
var statusQuota = map[redress.Status]int{
	redress.StatusRegistered:    24,
	redress.StatusAccepted:      22,
	redress.StatusInvestigating: 35,
	redress.StatusReplied:       22,
	redress.StatusSignedOff:     20,
	redress.StatusClosed:        135,
	redress.StatusWithdrawn:     24,
	redress.StatusRejected:      18,
}

// Services are the services the demo loads through.
type Services struct {
	Orgs  redress.OrgService
	Users redress.UserService
	Cases redress.CaseService
}

// Login is one demo user, as the summary lists it.
type Login struct {
	Login   string
	Name    string
	Role    redress.Role
	Org     string // unit code
	OrgName string
}

// Summary reports what Load created.
type Summary struct {
	Orgs     int                    // org units created
	Users    int                    // users created
	Cases    int                    // cases registered
	ByStatus map[redress.Status]int // cases by final status
	ByLevel  map[int]int            // cases by escalation level
	Overdue  int                    // open cases past their decision deadline at now
	OnSpot   int                    // cases resolved on the spot
	Reopened int                    // cases reopened after closing
	Logins   []Login                // the demo users, head office first
	Password string                 // the password of every demo user
}

// Load creates the demo bank as admin: the org tree under the head office
// (unit code HQ), its users and its cases. Before each service call it sets
// the store's clock with setClock to the simulated time of that step, all
// within the 100 days before now, and finally to now. The same seed gives
// the same bank.
func Load(ctx context.Context, svc Services, admin *redress.User, setClock func(time.Time), now time.Time, seed int64) (*Summary, error) {
	if admin == nil || admin.Role != redress.RoleAdmin {
		return nil, errors.New("demo: load needs an admin user")
	}
	l := &loader{svc: svc, admin: admin, setClock: setClock, now: now,
		rng: rand.New(rand.NewPCG(uint64(seed), 1)), orgs: map[string]orgSpec{}}
	defer setClock(now)
	l.setup = Epoch(now)
	if err := l.createOrgs(ctx); err != nil {
		return nil, err
	}
	if err := l.createUsers(ctx); err != nil {
		return nil, err
	}
	l.indexOutlets()
	runs, steps := l.planCases()
	if err := l.execute(ctx, steps); err != nil {
		return nil, err
	}
	return l.summarize(runs)
}

// loader holds the state of one load.
type loader struct {
	svc      Services
	admin    *redress.User
	setClock func(time.Time)
	now      time.Time
	rng      *rand.Rand
	setup    time.Time // the clock while the org tree and users are created
	orgs     map[string]orgSpec
	users    []*redress.User
	outlets  []*outlet
	hq       []*redress.User // head-office service users
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

// Epoch is the simulated time at which the demo bank's history starts, for
// a load at now: 09:00 Beijing time, 100 days before. Load creates the org
// tree and users from then on; a caller that bootstraps an empty database
// just before Load may set the store's clock to it, so that the audit trail
// reads in time order from its first event.
func Epoch(now time.Time) time.Time {
	d := now.In(redress.Beijing).AddDate(0, 0, -100)
	return time.Date(d.Year(), d.Month(), d.Day(), 9, 0, 0, 0, redress.Beijing)
}

// tick advances the setup clock by a minute or two and sets the store's clock.
func (l *loader) tick() {
	l.setup = l.setup.Add(time.Duration(60+l.rng.IntN(60)) * time.Second)
	l.setClock(l.setup)
}

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

// run is one demo case while it loads: its plan and what the store answered.
type run struct {
	index    int
	target   redress.Status
	onSpot   bool
	reopened bool
	no       string
	version  int
	last     *redress.Case
}

// step is one service call of the load at its simulated time: the
// registration of a case, or an action on it.
type step struct {
	at    time.Time
	actor *redress.User
	run   *run
	reg   *redress.NewCase
	req   redress.ActionRequest
}

// planCases plans every case; the steps of all cases come back unsorted.
func (l *loader) planCases() ([]*run, []step) {
	targets := l.targets()
	runs := make([]*run, len(targets))
	var steps []step
	for i, target := range targets {
		p := l.newPlanner(i, target)
		p.plan()
		fitBefore(p.steps, p.received, l.now)
		runs[i] = p.r
		steps = append(steps, p.steps...)
	}
	return runs, steps
}

// targets lists the final status of every case, shuffled.
func (l *loader) targets() []redress.Status {
	var list []redress.Status
	for _, s := range redress.Statuses {
		for range statusQuota[s] {
			list = append(list, s)
		}
	}
	l.rng.Shuffle(len(list), func(i, j int) { list[i], list[j] = list[j], list[i] })
	return list
}

// fitBefore squeezes the steps of a case that would end after now into the
// time between its receipt and now, keeping their proportions.
func fitBefore(steps []step, received, now time.Time) {
	limit := now.Add(-time.Minute)
	last := steps[len(steps)-1].at
	if !last.After(limit) {
		return
	}
	span, room := float64(last.Sub(received)), float64(limit.Sub(received))
	for i := range steps {
		offset := float64(steps[i].at.Sub(received))
		steps[i].at = received.Add(time.Duration(offset * room / span))
	}
}

// execute runs the steps of every case in time order, so the audit trail
// reads as the bank lived it.
func (l *loader) execute(ctx context.Context, steps []step) error {
	sort.SliceStable(steps, func(i, j int) bool { return steps[i].at.Before(steps[j].at) })
	for _, s := range steps {
		if err := l.do(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

// do performs one step as its actor at its time, passing the version the
// previous step of the case returned.
func (l *loader) do(ctx context.Context, s step) error {
	l.setClock(s.at)
	actx := redress.WithUser(ctx, s.actor)
	var c *redress.Case
	var err error
	action := redress.ActionRegister
	if s.reg != nil {
		c, err = l.svc.Cases.CreateCase(actx, *s.reg)
	} else {
		req := s.req
		action, req.Version = req.Action, s.run.version
		if action == redress.ActionReply || action == redress.ActionResolveOnSpot {
			req.NoticeAt = s.at
		}
		c, err = l.svc.Cases.Act(actx, s.run.no, req)
	}
	if err != nil {
		return fmt.Errorf("demo: case %d %s: %s by %s: %w", s.run.index, s.run.no, action, s.actor.Login, err)
	}
	s.run.no, s.run.version, s.run.last = c.No, c.Version, c
	return nil
}

// summarize counts the result and checks every case ended where planned.
func (l *loader) summarize(runs []*run) (*Summary, error) {
	s := &Summary{Orgs: len(orgTree), Users: len(l.users), Cases: len(runs), Password: Password,
		ByStatus: map[redress.Status]int{}, ByLevel: map[int]int{}}
	for _, r := range runs {
		c := *r.last
		if c.Status != r.target {
			return nil, fmt.Errorf("demo: case %s ended %s, planned %s", c.No, c.Status, r.target)
		}
		c.MarkOverdue(l.now)
		s.ByStatus[c.Status]++
		s.ByLevel[c.Level]++
		s.Overdue += btoi(c.Overdue)
		s.OnSpot += btoi(r.onSpot)
		s.Reopened += btoi(r.reopened)
	}
	for _, u := range l.users {
		s.Logins = append(s.Logins, Login{Login: u.Login, Name: u.Name, Role: u.Role, Org: u.OrgCode, OrgName: l.unitName(u.OrgCode)})
	}
	return s, nil
}

func (l *loader) unitName(code string) string {
	if o, ok := l.orgs[code]; ok {
		return o.name
	}
	return "总行"
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// planner plans the steps of one case.
type planner struct {
	l          *loader
	r          *run
	sc         *scenario
	o          *outlet
	ch         redress.Channel
	registrar  *redress.User
	respondent *redress.User // the staff member complained about, or nil
	handler    *redress.User
	signer     *redress.User
	liability  redress.Liability
	amount     string // yuan, "1234.50"; "" for none
	received   time.Time
	date       string // a day shortly before receipt, for the texts
	t          time.Time
	steps      []step
}

func (l *loader) newPlanner(i int, target redress.Status) *planner {
	sc := l.pickScenario(i)
	p := &planner{l: l, r: &run{index: i, target: target}, sc: sc, o: cover(l, i, l.outlets), ch: l.pickChannel(i, sc)}
	p.registrar = p.chooseRegistrar()
	p.respondent = p.chooseRespondent()
	p.signer = p.o.head
	p.liability = pick(l, sc.liabilities)
	if sc.amount[1] > 0 {
		p.amount = l.amount(sc.amount)
	}
	return p
}

// pickScenario draws a scenario, complaints five times as likely as each
// other matter. The first cases take one kind each, so every kind occurs.
func (l *loader) pickScenario(i int) *scenario {
	var kind redress.Kind
	if i < len(redress.Kinds) {
		kind = redress.Kinds[i]
	}
	weight := func(sc *scenario) int {
		if kind != "" && sc.kind != kind {
			return 0
		}
		if sc.kind == redress.KindComplaint {
			return 5
		}
		return 2
	}
	total := 0
	for j := range scenarios {
		total += weight(&scenarios[j])
	}
	n := l.rng.IntN(total)
	for j := range scenarios {
		if n -= weight(&scenarios[j]); n < 0 {
			return &scenarios[j]
		}
	}
	return &scenarios[0]
}

// pickChannel draws the channel, mostly one the scenario usually arrives
// by. The first cases take one channel each, so every channel occurs.
func (l *loader) pickChannel(i int, sc *scenario) redress.Channel {
	switch {
	case i < len(redress.Channels):
		return redress.Channels[i]
	case l.chance(0.8):
		return pick(l, sc.channels)
	default:
		return pick(l, redress.Channels)
	}
}

// chooseRegistrar returns the first responder: the sub-branch's complaint
// manager for matters that arrive from outside the outlet, else one of the
// outlet's staff.
func (p *planner) chooseRegistrar() *redress.User {
	switch p.ch {
	case redress.ChannelHotline, redress.ChannelRegulator, redress.ChannelEmail, redress.ChannelOnlinePost:
		return p.o.manager
	}
	return pick(p.l, p.o.staff)
}

// chooseRespondent names a colleague of the registrar when the scenario is
// about a member of staff, and there is one.
func (p *planner) chooseRespondent() *redress.User {
	if !p.sc.aboutStaff {
		return nil
	}
	var others []*redress.User
	for _, s := range p.o.staff {
		if s != p.registrar {
			others = append(others, s)
		}
	}
	if len(others) == 0 {
		return nil
	}
	return pick(p.l, others)
}

// plan lays out the case from registration to its target status.
func (p *planner) plan() {
	p.register()
	if p.canResolveOnSpot() && p.l.chance(0.4) {
		p.resolveOnSpot()
		return
	}
	p.handle()
}

func (p *planner) register() {
	p.received = p.l.receivedAt(p.r.target, p.ch)
	before := p.received.AddDate(0, 0, -p.l.rng.IntN(4)).In(redress.Beijing)
	p.date = fmt.Sprintf("%d月%d日", before.Month(), before.Day())
	n := p.newCase()
	p.t = p.l.after(p.received, registerGap(p.ch))
	p.steps = append(p.steps, step{at: p.t, actor: p.registrar, run: p.r, reg: &n})
}

// act plans one action after a gap from the previous step.
func (p *planner) act(actor *redress.User, g gap, req redress.ActionRequest) {
	p.t = p.l.after(p.t, g)
	p.steps = append(p.steps, step{at: p.t, actor: actor, run: p.r, req: req})
}

func (p *planner) canResolveOnSpot() bool {
	switch p.r.target {
	case redress.StatusReplied, redress.StatusSignedOff, redress.StatusClosed:
		return p.sc.onSpot && p.registrar.Role == redress.RoleStaff
	}
	return false
}

// resolveOnSpot: the first responder answers at once; the branch head signs
// off and the complaint manager closes after the return visit.
func (p *planner) resolveOnSpot() {
	p.r.onSpot, p.handler = true, p.registrar
	p.act(p.registrar, quick, redress.ActionRequest{Action: redress.ActionResolveOnSpot,
		Determination: p.determination(), Reply: p.reply(redress.NoticeInPerson)})
	p.finish(p.o.manager)
}

// handle is the full path: hand-over, acceptance, investigation, possibly
// escalation, determination, reply, sign-off and close, stopping at the
// target status.
func (p *planner) handle() {
	if p.registrar.Role == redress.RoleStaff && p.l.chance(0.25) {
		p.act(p.registrar, quick, reasonReq(redress.ActionEscalate, pick(p.l, handOverReasons)))
	}
	switch p.r.target {
	case redress.StatusRegistered:
		p.maybeNote(p.registrar)
		return
	case redress.StatusRejected, redress.StatusWithdrawn:
		if p.l.chance(0.4) {
			p.end()
			return
		}
	}
	p.accept()
	switch p.r.target {
	case redress.StatusRejected:
		p.end()
		return
	case redress.StatusAccepted:
		p.escalate()
		return
	}
	p.act(p.handler, days, textReq(redress.ActionInvestigate, p.fill(p.sc.finding)))
	if p.r.target == redress.StatusWithdrawn {
		p.end()
		return
	}
	p.escalate()
	p.examine()
	if p.r.target != redress.StatusInvestigating {
		p.replyAndFinish()
	}
}

func (p *planner) accept() {
	p.handler = p.o.manager
	p.act(p.o.manager, hours, redress.ActionRequest{Action: redress.ActionAccept, Handler: p.o.manager.Login})
	p.maybeNote(p.handler)
}

func (p *planner) maybeNote(actor *redress.User) {
	if p.l.chance(0.35) {
		p.act(actor, hours, textReq(redress.ActionNote, pick(p.l, noteTexts)))
	}
}

// end rejects the case (the complaint manager) or records its withdrawal
// (the handler, or the first responder before acceptance).
func (p *planner) end() {
	if p.r.target == redress.StatusRejected {
		p.act(p.o.manager, hours, reasonReq(redress.ActionReject, pick(p.l, rejectReasons)))
		return
	}
	actor := p.registrar
	if p.handler != nil {
		actor = p.handler
	}
	p.act(actor, days, reasonReq(redress.ActionWithdraw, pick(p.l, withdrawReasons)))
}

// escalate sometimes raises the case beyond the complaint manager: the
// branch head to level 3, handing it to the branch's complaint manager, or
// on to level 4, where head office assigns it.
func (p *planner) escalate() {
	level := p.l.escalationLevel()
	if level < 3 {
		return
	}
	p.act(p.o.head, nextDay, reasonReq(redress.ActionEscalate, pick(p.l, branchReasons)))
	assigner := p.o.head
	if level == 3 {
		p.handler = p.o.branchManager
	} else {
		p.act(p.o.head, hours, reasonReq(redress.ActionEscalate, pick(p.l, headOfficeReasons)))
		assigner, p.handler = p.l.hq[0], pick(p.l, p.l.hq)
		p.signer = p.otherHQ()
	}
	p.act(assigner, hours, redress.ActionRequest{Action: redress.ActionAssign, Handler: p.handler.Login})
	if p.r.target != redress.StatusAccepted {
		p.act(p.handler, days, textReq(redress.ActionInvestigate, pick(p.l, reviewFindings)))
	}
}

// otherHQ returns a head-office user who is not the handler, to sign off.
func (p *planner) otherHQ() *redress.User {
	for _, u := range p.l.hq {
		if u != p.handler {
			return u
		}
	}
	return p.l.hq[0]
}

// examine adds findings and, unless the case stops while still under
// investigation, the determination.
func (p *planner) examine() {
	if p.l.chance(0.35) {
		p.act(p.handler, days, textReq(redress.ActionInvestigate, pick(p.l, moreFindings)))
	}
	if p.r.target == redress.StatusInvestigating && p.l.chance(0.5) {
		return
	}
	p.act(p.handler, days, redress.ActionRequest{Action: redress.ActionDetermine, Determination: p.determination()})
}

func (p *planner) replyAndFinish() {
	p.act(p.handler, days, redress.ActionRequest{Action: redress.ActionReply, Reply: p.reply(p.noticeMethod())})
	p.finish(p.handler)
}

// finish signs off and closes a replied case, as far as its target.
func (p *planner) finish(closer *redress.User) {
	if p.r.target == redress.StatusReplied {
		return
	}
	p.act(p.signer, nextDay, textReq(redress.ActionSignOff, pick(p.l, signOffTexts)))
	if p.r.target == redress.StatusSignedOff {
		return
	}
	p.close(closer)
}

// close records the return visit; a few dissatisfied customers have the
// case reopened, reviewed, answered again and closed once more.
func (p *planner) close(closer *redress.User) {
	reopen := !p.r.onSpot && p.l.chance(0.06)
	satisfaction := p.l.satisfaction()
	if reopen {
		satisfaction = redress.SatisfactionDissatisfed
	}
	p.act(closer, days, closeReq(satisfaction))
	if !reopen {
		return
	}
	p.r.reopened = true
	p.act(closer, days, reasonReq(redress.ActionReopen, pick(p.l, reopenReasons)))
	p.act(p.handler, days, textReq(redress.ActionInvestigate, pick(p.l, reviewFindings)))
	p.act(p.handler, days, redress.ActionRequest{Action: redress.ActionReply, Reply: p.reply(p.noticeMethod())})
	p.act(p.signer, nextDay, textReq(redress.ActionSignOff, pick(p.l, signOffTexts)))
	p.act(closer, days, closeReq(pick(p.l, []redress.Satisfaction{redress.SatisfactionSatisfied, redress.SatisfactionBasically})))
}

func reasonReq(a redress.Action, reason string) redress.ActionRequest {
	return redress.ActionRequest{Action: a, Reason: reason}
}

func textReq(a redress.Action, text string) redress.ActionRequest {
	return redress.ActionRequest{Action: a, Text: text}
}

func closeReq(s redress.Satisfaction) redress.ActionRequest {
	return redress.ActionRequest{Action: redress.ActionClose, Satisfaction: s, Text: closeTexts[s]}
}

// newCase is the registration of the case.
func (p *planner) newCase() redress.NewCase {
	n := redress.NewCase{Kind: p.sc.kind, Channel: p.ch, ReceivedAt: p.received,
		Complainant: p.l.complainant(p.o.city, p.sc.account),
		Subject:     p.sc.subject, Description: p.fill(channelIntro[p.ch] + p.sc.description),
		Request: p.fill(p.sc.request), Amount: p.amount,
		CodeA: codeA(p.ch), CodeB: p.sc.codeB, CodeC: p.sc.codeC, Org: p.o.code}
	n.Risk, n.Priority = p.assess()
	if p.sc.kind == redress.KindComplaint || p.sc.kind == redress.KindPetition {
		n.Respondent.Org = p.o.code
	}
	if p.respondent != nil {
		n.Respondent.Staff = p.respondent.Login
	}
	if p.ch == redress.ChannelRegulator {
		// The regulator's reference and its own due date, 15 days on.
		n.RegulatorRef = fmt.Sprintf("12378-%s-%05d", p.received.In(redress.Beijing).Format("2006"), p.l.rng.IntN(100000))
		n.RegulatorDue = redress.DateOf(p.received).AddDays(15).String()
	}
	return n
}

// assess is the initial risk assessment and priority.
func (p *planner) assess() (redress.RiskLevel, redress.Priority) {
	switch {
	case p.ch == redress.ChannelRegulator || p.ch == redress.ChannelOnlinePost || p.sc.kind == redress.KindPetition:
		return redress.RiskHigh, pick(p.l, []redress.Priority{redress.PriorityHigh, redress.PriorityUrgent})
	case p.sc.kind == redress.KindInquiry || p.sc.kind == redress.KindSuggestion:
		return redress.RiskLow, redress.PriorityLow
	case amountFen(p.amount) >= 10000*100 || p.l.chance(0.2):
		return redress.RiskMedium, redress.PriorityHigh
	}
	return redress.RiskLow, redress.PriorityNormal
}

// codeA is the JR/T 0169 channel code of a channel.
func codeA(ch redress.Channel) string {
	switch ch {
	case redress.ChannelCounter, redress.ChannelVisit, redress.ChannelOpinionBook, redress.ChannelLetter:
		return "A01"
	case redress.ChannelSelfService:
		return "A02"
	case redress.ChannelOnlineBanking:
		return "A0301"
	case redress.ChannelPhone, redress.ChannelHotline:
		return "A0302"
	case redress.ChannelMobileApp:
		return "A0303"
	case redress.ChannelWeChat, redress.ChannelOnlinePost:
		return "A0304"
	}
	return "A99"
}

// fill puts the case's particulars into a scenario text.
func (p *planner) fill(s string) string {
	staff := ""
	if p.respondent != nil {
		staff = p.respondent.Name
	}
	return strings.NewReplacer("{outlet}", p.o.name, "{date}", p.date,
		"{amount}", strings.TrimSuffix(p.amount, ".00"), "{staff}", staff).Replace(s)
}

func (p *planner) determination() redress.Determination {
	d := redress.Determination{Liability: p.liability, RootCause: p.sc.rootCause}
	if p.liability != redress.LiabilityNoFault {
		d.ResponsibleParty = p.fill(p.sc.party)
	}
	if p.liability == redress.LiabilityBankFault && p.l.chance(0.6) {
		d.Accountability = pick(p.l, accountabilities)
	}
	return d
}

// reply is the decision notice; its notice time is set when it is sent.
func (p *planner) reply(method redress.NoticeMethod) redress.Reply {
	lead := "经调查核实，"
	if p.r.onSpot {
		lead = "经现场核实，"
	}
	outcome := p.outcome()
	r := redress.Reply{Facts: lead + p.fill(p.sc.finding), Basis: p.sc.basis, Outcome: outcome,
		Remedies: remediesFor(outcome), NoticeMethod: method, NoticeProof: p.proof(method)}
	if outcome != redress.OutcomeNotUpheld {
		r.Redress = p.fill(p.sc.redress)
		r.RedressPaid = p.refund(outcome)
	}
	return r
}

func (p *planner) outcome() redress.Outcome {
	if p.sc.outcome != "" {
		return p.sc.outcome
	}
	switch p.liability {
	case redress.LiabilityBankFault:
		return redress.OutcomeUpheld
	case redress.LiabilityPartial:
		return redress.OutcomePartlyUpheld
	}
	return redress.OutcomeNotUpheld
}

// amountFen is a yuan amount in fen, 0 for none.
func amountFen(yuan string) int64 {
	fen, err := redress.ParseAmount(yuan)
	if err != nil {
		return 0
	}
	return fen
}

// refund is what the bank pays back: the whole amount when the request is
// upheld, half when partly upheld; "" when the scenario pays nothing.
func (p *planner) refund(outcome redress.Outcome) string {
	if !p.sc.refund || amountFen(p.amount) == 0 {
		return ""
	}
	fen := amountFen(p.amount)
	if outcome == redress.OutcomePartlyUpheld {
		fen /= 2
	}
	return redress.FormatAmount(fen)
}

func remediesFor(o redress.Outcome) []redress.Remedy {
	switch o {
	case redress.OutcomeUpheld:
		return []redress.Remedy{redress.RemedyReview}
	case redress.OutcomePartlyUpheld:
		return []redress.Remedy{redress.RemedyReview, redress.RemedyMediation}
	}
	return []redress.Remedy{redress.RemedyReview, redress.RemedyMediation, redress.RemedyLitigation}
}

// noticeMethod is how the reply reaches the customer, by channel.
func (p *planner) noticeMethod() redress.NoticeMethod {
	switch p.ch {
	case redress.ChannelCounter, redress.ChannelVisit, redress.ChannelOpinionBook, redress.ChannelSelfService:
		return pick(p.l, []redress.NoticeMethod{redress.NoticeInPerson, redress.NoticeInPerson, redress.NoticePhone})
	case redress.ChannelLetter, redress.ChannelRegulator:
		return pick(p.l, []redress.NoticeMethod{redress.NoticeLetter, redress.NoticePhone})
	case redress.ChannelMobileApp:
		return pick(p.l, []redress.NoticeMethod{redress.NoticeApp, redress.NoticeSMS, redress.NoticePhone})
	case redress.ChannelEmail:
		return redress.NoticeEmail
	}
	return pick(p.l, []redress.NoticeMethod{redress.NoticePhone, redress.NoticePhone, redress.NoticeSMS})
}

// proof is the record that the notice was given.
func (p *planner) proof(m redress.NoticeMethod) string {
	day := p.t.In(redress.Beijing).Format("20060102")
	n := p.l.rng.IntN(1000000)
	switch m {
	case redress.NoticeInPerson:
		return "客户当面签收《投诉处理告知书》，回执已归档。"
	case redress.NoticePhone:
		return fmt.Sprintf("电话告知处理结果，录音编号 REC-%s-%04d。", day, n%10000)
	case redress.NoticeSMS:
		return fmt.Sprintf("短信平台发送记录，流水号 SMS%s%06d。", day, n)
	case redress.NoticeLetter:
		return fmt.Sprintf("EMS挂号寄送《投诉处理告知书》，运单号 11%05d%06d。", p.l.rng.IntN(100000), n)
	case redress.NoticeEmail:
		return "以电子邮件发送《投诉处理告知书》，发送记录已存档。"
	}
	return fmt.Sprintf("手机银行站内信推送记录，消息编号 MSG%s%06d。", day, n)
}

// gap is the time between two steps of a case; office gaps end within
// office hours.
type gap struct {
	lo, hi time.Duration
	office bool
}

var (
	quick   = gap{3 * time.Minute, 25 * time.Minute, false}
	hours   = gap{time.Hour, 6 * time.Hour, true}
	nextDay = gap{16 * time.Hour, 40 * time.Hour, true}
	days    = gap{24 * time.Hour, 96 * time.Hour, true}
)

// registerGap is the time from receipt to registration: at once for a
// customer in front of the staff or on the phone, later for the rest.
func registerGap(ch redress.Channel) gap {
	switch ch {
	case redress.ChannelCounter, redress.ChannelVisit, redress.ChannelSelfService, redress.ChannelPhone, redress.ChannelHotline:
		return quick
	}
	return hours
}

// after returns a time a gap after t.
func (l *loader) after(t time.Time, g gap) time.Time {
	t = t.Add(g.lo + time.Duration(l.rng.Int64N(int64(g.hi-g.lo)))).Truncate(time.Second)
	if g.office {
		t = l.officeHours(t)
	}
	return t
}

// officeHours moves a time outside 08:30-18:00 Beijing time to the start of
// the next working period.
func (l *loader) officeHours(t time.Time) time.Time {
	// Always draw, so the random stream does not depend on the time of day.
	jitter := time.Duration(l.rng.IntN(120)) * time.Minute
	b := t.In(redress.Beijing)
	open := time.Date(b.Year(), b.Month(), b.Day(), 8, 30, 0, 0, redress.Beijing)
	switch {
	case b.Before(open):
	case b.Hour() >= 18:
		open = open.AddDate(0, 0, 1)
	default:
		return t
	}
	return open.Add(jitter)
}

// receivedAt draws the receipt time: recent for open cases (a quarter of
// them older than the 15-day deadline), older for finished ones, within the
// channel's hours and at least two hours before now (a day earlier if need be).
func (l *loader) receivedAt(target redress.Status, ch redress.Channel) time.Time {
	lo, hi := ageRange(target, l.chance(0.25))
	day := l.now.In(redress.Beijing).AddDate(0, 0, -l.between(lo, hi))
	from, to := receptionHours(ch)
	minute := l.between(from*60, to*60-1)
	t := time.Date(day.Year(), day.Month(), day.Day(), 0, minute, l.rng.IntN(60), 0, redress.Beijing)
	for latest := l.now.Add(-2 * time.Hour); t.After(latest); {
		t = t.AddDate(0, 0, -1)
	}
	return t
}

// ageRange is the range of days before now a case of the target status
// was received; late picks an overdue age for an open case.
func ageRange(target redress.Status, late bool) (int, int) {
	switch target {
	case redress.StatusRegistered, redress.StatusAccepted, redress.StatusInvestigating:
		if late {
			return 16, 45
		}
		if target == redress.StatusRegistered {
			return 0, 3
		}
		return 1, 12
	case redress.StatusReplied:
		return 5, 40
	case redress.StatusSignedOff:
		return 8, 60
	case redress.StatusClosed:
		return 14, 89
	}
	return 2, 89
}

// receptionHours is when, in Beijing hours, a channel receives matters.
func receptionHours(ch redress.Channel) (int, int) {
	switch ch {
	case redress.ChannelCounter, redress.ChannelVisit, redress.ChannelOpinionBook, redress.ChannelSelfService,
		redress.ChannelLetter, redress.ChannelRegulator:
		return 9, 17
	case redress.ChannelPhone, redress.ChannelHotline:
		return 8, 21
	}
	return 7, 24
}

// escalationLevel draws how far a case is escalated: mostly it stays with
// the complaint manager (2); some go to the branch head (3), a few to head
// office (4).
func (l *loader) escalationLevel() int {
	switch x := l.rng.Float64(); {
	case x < 0.05:
		return 4
	case x < 0.15:
		return 3
	}
	return 2
}

func (l *loader) satisfaction() redress.Satisfaction {
	switch x := l.rng.Float64(); {
	case x < 0.55:
		return redress.SatisfactionSatisfied
	case x < 0.80:
		return redress.SatisfactionBasically
	case x < 0.90:
		return redress.SatisfactionDissatisfed
	}
	return redress.SatisfactionUnreachable
}

// complainant draws a person, or about one time in twenty an organisation.
func (l *loader) complainant(city string, account bool) redress.Complainant {
	if l.chance(0.05) {
		return l.firm(city)
	}
	c := redress.Complainant{Name: l.personName(), Phone: l.mobile()}
	if l.chance(0.85) {
		c.IDType, c.IDNumber = l.identity(city)
	}
	if account && l.chance(0.7) {
		c.Account = l.cardNumber()
	}
	return c
}

func (l *loader) firm(city string) redress.Complainant {
	place := map[string]string{"BJ": "北京", "SH": "上海"}[city]
	c := redress.Complainant{Name: l.personName(), Phone: l.mobile(),
		OrgName:    place + pick(l, firmWords) + pick(l, firmTrades) + "有限公司",
		CreditCode: l.creditCode(city), LegalRep: l.personName()}
	if l.chance(0.6) {
		c.Account = fmt.Sprintf("%s%016d", areaCodes[city][0][:2], l.rng.Int64N(1e16))
	}
	return c
}

func (l *loader) personName() string {
	return pick(l, surnames) + pick(l, givenNames)
}

func (l *loader) mobile() string {
	return pick(l, mobilePrefixes) + fmt.Sprintf("%08d", l.rng.IntN(1e8))
}

func (l *loader) identity(city string) (redress.IDType, string) {
	if l.chance(0.03) {
		return redress.IDHKMacao, fmt.Sprintf("H%08d", l.rng.IntN(1e8))
	}
	return redress.IDResident, l.residentID(city)
}

// residentID draws an 18-character resident ID number: area code, birth
// date between 1950 and 2004, sequence, and the GB 11643 check character.
func (l *loader) residentID(city string) string {
	areas := areaCodes[city]
	if l.chance(0.25) {
		areas = areaCodes["other"]
	}
	first := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC)
	birth := first.AddDate(0, 0, l.rng.IntN(55*365+13))
	body := pick(l, areas) + birth.Format("20060102") + fmt.Sprintf("%03d", 1+l.rng.IntN(999))
	return body + residentIDCheck(body)
}

// residentIDCheck is the ISO 7064 MOD 11-2 check character of GB 11643.
func residentIDCheck(body string) string {
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(body[i]-'0') * w
	}
	return string("10X98765432"[sum%11])
}

// cardNumber draws a UnionPay debit (19 digits) or credit card (16 digits)
// number with a valid Luhn check digit.
func (l *loader) cardNumber() string {
	payload := "622202" + fmt.Sprintf("%012d", l.rng.Int64N(1e12))
	if l.chance(0.3) {
		payload = "625906" + fmt.Sprintf("%09d", l.rng.Int64N(1e9))
	}
	return payload + luhnDigit(payload)
}

func luhnDigit(payload string) string {
	sum := 0
	for i := range len(payload) {
		d := int(payload[len(payload)-1-i] - '0')
		if i%2 == 0 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return strconv.Itoa((10 - sum%10) % 10)
}

// creditCode draws a unified social credit code of a company (GB 32100):
// "91", the area code, an organisation code with its GB 11714 check
// character, and the final check character.
func (l *loader) creditCode(city string) string {
	org := fmt.Sprintf("%08d", l.rng.IntN(1e8))
	org += orgCodeCheck(org)
	body := "91" + pick(l, areaCodes[city]) + org
	return body + creditCodeCheck(body)
}

func orgCodeCheck(code string) string {
	weights := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(code[i]-'0') * w
	}
	switch c := 11 - sum%11; c {
	case 10:
		return "X"
	case 11:
		return "0"
	default:
		return strconv.Itoa(c)
	}
}

const creditCodeChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

func creditCodeCheck(body string) string {
	weights := [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	sum := 0
	for i, w := range weights {
		sum += strings.IndexByte(creditCodeChars, body[i]) * w
	}
	return string(creditCodeChars[(31-sum%31)%31])
}

// amount draws a yuan amount in the range, now and then with fen.
func (l *loader) amount(r [2]int) string {
	cents := 0
	if l.chance(0.3) {
		cents = l.rng.IntN(100)
	}
	return fmt.Sprintf("%d.%02d", l.between(r[0], r[1]), cents)
}

func (l *loader) chance(p float64) bool { return l.rng.Float64() < p }

func (l *loader) between(lo, hi int) int { return lo + l.rng.IntN(hi-lo+1) }

func pick[T any](l *loader, list []T) T { return list[l.rng.IntN(len(list))] }

// cover returns list[i] for the first items, so each occurs, then a random one.
func cover[T any](l *loader, i int, list []T) T {
	if i < len(list) {
		return list[i]
	}
	return pick(l, list)
}
