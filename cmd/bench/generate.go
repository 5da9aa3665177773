package main

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"

	"redress"
	"redress/sqldb"
)

// generatorVersion names the dataset the generator makes; change it when
// the generator changes, so that kept datasets are made again.
const generatorVersion = 1

// The dataset's timeline: cases received from datasetStart up to
// datasetEnd (exclusive), Beijing time. Fixed, so that the same size and
// seed give the same dataset whenever they are generated; both years have
// holiday calendars. The statistics query asks for the last full month.
var (
	datasetStart = time.Date(2025, 1, 1, 0, 0, 0, 0, redress.Beijing)
	datasetEnd   = time.Date(2026, 11, 1, 0, 0, 0, 0, redress.Beijing)
	statsFrom    = "2026-10-01"
	statsTo      = "2026-10-31"
)

// cities are the branches of the generated bank: code and name.
var cities = [][2]string{
	{"BJ", "北京"}, {"SH", "上海"}, {"GZ", "广州"}, {"SZ", "深圳"}, {"TJ", "天津"}, {"CQ", "重庆"}, {"CD", "成都"},
	{"WH", "武汉"}, {"HZ", "杭州"}, {"NJ", "南京"}, {"XA", "西安"}, {"CS", "长沙"}, {"ZZ", "郑州"}, {"JN", "济南"},
	{"QD", "青岛"}, {"SY", "沈阳"}, {"DL", "大连"}, {"HEB", "哈尔滨"}, {"CC", "长春"}, {"SJZ", "石家庄"},
	{"TY", "太原"}, {"HHHT", "呼和浩特"}, {"HF", "合肥"}, {"FZ", "福州"}, {"XM", "厦门"}, {"NC", "南昌"},
	{"NN", "南宁"}, {"HK", "海口"}, {"KM", "昆明"}, {"GY", "贵阳"}, {"LS", "拉萨"}, {"LZ", "兰州"}, {"XN", "西宁"},
	{"YC", "银川"}, {"WLMQ", "乌鲁木齐"}, {"NB", "宁波"}, {"SUZ", "苏州"}, {"WX", "无锡"}, {"DG", "东莞"}, {"FS", "佛山"},
}

// districts name the sub-branches of a city; streets its outlets.
var (
	districts = []string{"城东", "城西", "城南", "城北", "高新区", "经开区", "滨江", "新区", "开发区", "老城"}
	streets   = []string{"人民路", "解放路", "中山路", "建设路", "新华路", "和平路", "胜利路", "文化路", "朝阳路", "长江路",
		"黄河路", "光明路", "幸福路", "团结路", "青年路", "公园路", "东风路", "红旗路", "南京路", "北京路", "上海路",
		"延安路", "天山路", "花园路", "工业路", "体育路", "学府路", "站前路"}
)

// Bank shape: sub-branches per branch, outlets per sub-branch, counter staff
// per outlet, head-office service staff.
const (
	subBranchesPerBranch = 5
	outletsPerSubBranch  = 4
	staffPerOutlet       = 3
	hqServiceStaff       = 5
)

// supplements end a description now and then, so that the texts vary.
var supplements = []string{
	"客户情绪较为激动，要求尽快给予答复。",
	"客户表示如问题得不到解决，将向监管部门反映。",
	"客户称此前已多次通过电话反映，未得到有效处理。",
	"客户提供了相关交易截图及凭证复印件。",
	"客户希望银行给出书面说明。",
	"客户表示对我行服务总体认可，但对此事较为不满。",
	"客户为我行多年老客户，希望妥善处理。",
	"客户系老年人，由其子女陪同反映。",
	"客户要求当日内联系其本人说明情况。",
	"客户同意等待调查结果，已留联系方式。",
	"客户称已在社交媒体上发布相关情况。",
	"客户要求调阅当日监控录像。",
	"客户表示愿意配合银行调查核实。",
	"客户对处理时限有疑问，已告知法定处理时限。",
	"客户要求由网点负责人出面解释。",
	"客户称家人也遇到过类似情况。",
}

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

// generator makes the dataset: deterministic for a size and a seed.
type generator struct {
	rng  *rand.Rand
	size int
	bank *bank
}

func newGenerator(size int, seed uint64) *generator {
	g := &generator{rng: rand.New(rand.NewPCG(seed, uint64(size))), size: size}
	g.bank = g.makeBank()
	return g
}

// branchCount scales the bank with the dataset: 40 branches (1,000 outlets
// and sub-branches in all) from 100,000 cases up, fewer for small trial runs.
func branchCount(size int) int {
	return min(max(size/2500, 2), len(cities))
}

func (g *generator) makeBank() *bank {
	b := &bank{}
	user := func(login, name string, role redress.Role, org string) string {
		b.users = append(b.users, sqldb.BulkUser{Login: login, Name: name, Role: role, Org: org})
		return login
	}
	for i := 1; i <= hqServiceStaff; i++ {
		b.hqService = append(b.hqService, user(fmt.Sprintf("hq.svc%d", i), g.personName(), redress.RoleHQService, sqldb.RootOrgCode))
	}
	user("hq.audit", g.personName(), redress.RoleAuditor, sqldb.RootOrgCode)
	for _, city := range cities[:branchCount(g.size)] {
		code, name := city[0], city[1]
		b.orgs = append(b.orgs, sqldb.BulkOrg{Code: code, Name: name + "分行", Kind: redress.OrgBranch, Parent: sqldb.RootOrgCode})
		lower := strings.ToLower(code)
		branchManager := user(lower+".mgr", g.personName(), redress.RoleManager, code)
		dists := g.sample(districts, subBranchesPerBranch)
		strs := g.sample(streets, subBranchesPerBranch*outletsPerSubBranch)
		for s := range subBranchesPerBranch {
			subCode := fmt.Sprintf("%s-%02d", code, s+1)
			sb := &subBranch{code: subCode, name: name + dists[s] + "支行", branchManager: branchManager}
			b.orgs = append(b.orgs, sqldb.BulkOrg{Code: subCode, Name: sb.name, Kind: redress.OrgSubBranch, Parent: code})
			sb.manager = user(strings.ToLower(subCode)+".mgr", g.personName(), redress.RoleManager, subCode)
			sb.head = user(strings.ToLower(subCode)+".head", g.personName(), redress.RoleBranchHead, subCode)
			b.subBranches = append(b.subBranches, sb)
			for o := range outletsPerSubBranch {
				outCode := fmt.Sprintf("%s-%02d", subCode, o+1)
				out := &outlet{code: outCode, name: name + strs[s*outletsPerSubBranch+o] + "网点", city: code, sub: sb}
				b.orgs = append(b.orgs, sqldb.BulkOrg{Code: outCode, Name: out.name, Kind: redress.OrgOutlet, Parent: subCode})
				for k := range staffPerOutlet {
					staffName := g.personName()
					out.staff = append(out.staff, user(fmt.Sprintf("%s.s%d", strings.ToLower(outCode), k+1), staffName, redress.RoleStaff, outCode))
					out.staffNames = append(out.staffNames, staffName)
				}
				b.outlets = append(b.outlets, out)
			}
		}
	}
	return b
}

// sample returns n distinct elements of list in random order.
func (g *generator) sample(list []string, n int) []string {
	c := append([]string{}, list...)
	g.rng.Shuffle(len(c), func(i, j int) { c[i], c[j] = c[j], c[i] })
	return c[:n]
}

// cases yields the dataset's cases day by day, each day's in order of
// registration, spread evenly over the timeline.
func (g *generator) cases() iter.Seq[*sqldb.BulkCase] {
	days := int(datasetEnd.Sub(datasetStart) / (24 * time.Hour))
	return func(yield func(*sqldb.BulkCase) bool) {
		for d := range days {
			day := datasetStart.AddDate(0, 0, d)
			k := (d+1)*g.size/days - d*g.size/days
			batch := make([]*sqldb.BulkCase, k)
			for i := range batch {
				batch[i] = g.historicCase(day)
			}
			sort.SliceStable(batch, func(i, j int) bool { return batch[i].RegisteredAt.Before(batch[j].RegisteredAt) })
			for _, c := range batch {
				if !yield(c) {
					return
				}
			}
		}
	}
}

// registration is one case as registered: the outlet, the people and the
// registration itself.
type registration struct {
	sc         *scenario
	o          *outlet
	registrar  string
	respondent string // login of the staff member complained about, or ""
	n          redress.NewCase
}

// register draws a registration received at received. With o and
// registrar set (intake over the API) it uses them.
func (g *generator) register(received time.Time, o *outlet, registrar string) *registration {
	r := &registration{sc: g.pickScenario(), o: o, registrar: registrar}
	ch := g.pickChannel(r.sc)
	if r.o == nil {
		r.o = pick(g, g.bank.outlets)
		r.registrar = pick(g, r.o.staff)
		switch ch {
		case redress.ChannelHotline, redress.ChannelRegulator, redress.ChannelEmail, redress.ChannelOnlinePost:
			r.registrar = r.o.sub.manager
		}
	}
	staffName := ""
	if r.sc.aboutStaff && g.chance(0.7) {
		i := g.rng.IntN(len(r.o.staff))
		if r.o.staff[i] != r.registrar {
			r.respondent, staffName = r.o.staff[i], r.o.staffNames[i]
		}
	}
	amount := ""
	if r.sc.amount[1] > 0 {
		amount = g.amount(r.sc.amount)
	}
	before := received.AddDate(0, 0, -g.rng.IntN(4)).In(redress.Beijing)
	fill := strings.NewReplacer("{outlet}", r.o.name, "{date}", fmt.Sprintf("%d月%d日", before.Month(), before.Day()),
		"{amount}", strings.TrimSuffix(amount, ".00"), "{staff}", staffName).Replace
	description := channelIntro[ch] + r.sc.description
	if g.chance(0.6) {
		description += pick(g, supplements)
	}
	n := redress.NewCase{Kind: r.sc.kind, Channel: ch, ReceivedAt: received,
		Complainant: g.complainant(r.sc.account),
		Subject:     r.sc.subject, Description: fill(description), Request: fill(r.sc.request), Amount: amount,
		CodeA: codeA(ch), CodeB: r.sc.codeB, CodeC: r.sc.codeC, Org: r.o.code}
	n.Risk, n.Priority = g.assess(r.sc, ch, amount)
	if r.sc.kind == redress.KindComplaint || r.sc.kind == redress.KindPetition {
		n.Respondent.Org = r.o.code
	}
	n.Respondent.Staff = r.respondent
	if ch == redress.ChannelRegulator {
		n.RegulatorRef = fmt.Sprintf("12378-%s-%06d", received.In(redress.Beijing).Format("2006"), g.rng.IntN(1000000))
		n.RegulatorDue = redress.DateOf(received).AddDays(15).String()
	}
	r.n = n
	return r
}

// historicCase draws a case received on day and walks it, on paper, to a
// status that fits its age at the end of the timeline.
func (g *generator) historicCase(day time.Time) *sqldb.BulkCase {
	from, to := 8, 21
	received := day.Add(time.Duration(from*60+g.rng.IntN((to-from)*60))*time.Minute + time.Duration(g.rng.IntN(60))*time.Second)
	r := g.register(received, nil, "")
	registered := received.Add(time.Duration(3+g.rng.IntN(40)) * time.Minute)
	switch r.n.Channel {
	case redress.ChannelLetter, redress.ChannelOpinionBook, redress.ChannelEmail, redress.ChannelOnlinePost, redress.ChannelRegulator:
		registered = received.Add(time.Duration(60+g.rng.IntN(300)) * time.Minute)
	}
	age := int(datasetEnd.Sub(received).Hours() / 24)
	w := &walk{g: g, r: r, c: &sqldb.BulkCase{NewCase: r.n, FirstResponder: r.registrar, RegisteredAt: registered,
		Status: redress.StatusRegistered, Version: 1, Level: 1}, t: registered}
	w.to(g.status(age))
	w.fit(registered, datasetEnd.Add(-time.Minute))
	return w.c
}

// status draws where a case received age days before the end of the
// timeline stands now: recent ones are open, older ones mostly closed.
func (g *generator) status(age int) redress.Status {
	type share struct {
		s redress.Status
		p float64
	}
	var table []share
	switch {
	case age < 3:
		table = []share{{redress.StatusRegistered, 0.40}, {redress.StatusAccepted, 0.25}, {redress.StatusInvestigating, 0.20},
			{redress.StatusReplied, 0.05}, {redress.StatusWithdrawn, 0.05}, {redress.StatusRejected, 0.05}}
	case age < 15:
		table = []share{{redress.StatusRegistered, 0.02}, {redress.StatusAccepted, 0.08}, {redress.StatusInvestigating, 0.35},
			{redress.StatusReplied, 0.20}, {redress.StatusSignedOff, 0.15}, {redress.StatusClosed, 0.10},
			{redress.StatusWithdrawn, 0.05}, {redress.StatusRejected, 0.05}}
	case age < 60:
		table = []share{{redress.StatusInvestigating, 0.03}, {redress.StatusReplied, 0.02}, {redress.StatusSignedOff, 0.05},
			{redress.StatusClosed, 0.80}, {redress.StatusWithdrawn, 0.06}, {redress.StatusRejected, 0.04}}
	default:
		table = []share{{redress.StatusRegistered, 0.0005}, {redress.StatusAccepted, 0.0005}, {redress.StatusInvestigating, 0.002},
			{redress.StatusReplied, 0.001}, {redress.StatusSignedOff, 0.001}, {redress.StatusClosed, 0.885},
			{redress.StatusWithdrawn, 0.07}, {redress.StatusRejected, 0.04}}
	}
	x := g.rng.Float64()
	for _, s := range table {
		if x -= s.p; x < 0 {
			return s.s
		}
	}
	return table[len(table)-1].s
}

// walk plays a case's handling forward, step by step, to its status.
type walk struct {
	g         *generator
	r         *registration
	c         *sqldb.BulkCase
	t         time.Time    // time of the last step
	times     []*time.Time // every step time, to squeeze them before the end of the timeline
	onSpot    bool
	signer    string
	liability redress.Liability
}

// step moves the clock by lo to hi and records the action.
func (w *walk) step(lo, hi time.Duration) *time.Time {
	w.t = w.t.Add(lo + time.Duration(w.g.rng.Int64N(int64(hi-lo))))
	at := w.t
	w.times = append(w.times, &at)
	w.c.Version++
	w.c.UpdatedAt = at
	return &at
}

func (w *walk) to(target redress.Status) {
	g, c, sc := w.g, w.c, w.r.sc
	w.signer = w.r.o.sub.head
	w.liability = pick(g, sc.liabilities)
	if target == redress.StatusRegistered {
		return
	}
	open := target == redress.StatusAccepted || target == redress.StatusInvestigating
	if !open && target != redress.StatusWithdrawn && target != redress.StatusRejected &&
		sc.onSpot && w.r.registrar != w.r.o.sub.manager && g.chance(0.4) {
		w.resolveOnSpot(target)
		return
	}
	if target == redress.StatusWithdrawn && g.chance(0.4) {
		w.end(target)
		return
	}
	w.accept()
	if target == redress.StatusRejected || target == redress.StatusAccepted {
		if target == redress.StatusRejected {
			w.end(target)
		}
		return
	}
	w.escalate()
	w.finding(w.fill(sc.finding))
	if target == redress.StatusWithdrawn {
		w.end(target)
		return
	}
	if g.chance(0.35) {
		w.finding(pick(g, moreFindings))
	}
	if target == redress.StatusInvestigating && g.chance(0.5) {
		return
	}
	w.step(24*time.Hour, 96*time.Hour)
	c.Status, c.Determination = redress.StatusInvestigating, w.determination()
	if target == redress.StatusInvestigating {
		return
	}
	w.reply(w.noticeMethod())
	w.finish(target, c.Handler)
}

func (w *walk) accept() {
	w.step(time.Hour, 6*time.Hour)
	w.c.Status, w.c.Handler, w.c.Level = redress.StatusAccepted, w.r.o.sub.manager, 2
}

// escalate takes a few cases to the branch head (level 3, handled by the
// branch's complaint manager) or on to head office (level 4).
func (w *walk) escalate() {
	x := w.g.rng.Float64()
	if x >= 0.15 {
		return
	}
	w.step(16*time.Hour, 40*time.Hour)
	w.c.Level, w.c.Handler = 3, w.r.o.sub.branchManager
	if x < 0.05 {
		w.step(time.Hour, 6*time.Hour)
		w.c.Level, w.c.Responsible = 4, sqldb.RootOrgCode
		hq := w.g.bank.hqService
		i := w.g.rng.IntN(len(hq))
		w.c.Handler, w.signer = hq[i], hq[(i+1)%len(hq)]
	}
	w.step(time.Hour, 6*time.Hour) // assign
}

func (w *walk) finding(text string) {
	at := w.step(24*time.Hour, 96*time.Hour)
	w.c.Status = redress.StatusInvestigating
	w.c.Findings = append(w.c.Findings, redress.Entry{Author: w.c.Handler, At: *at, Text: text})
}

func (w *walk) resolveOnSpot(target redress.Status) {
	w.onSpot = true
	w.c.Handler = w.r.registrar
	w.step(3*time.Minute, 25*time.Minute)
	w.c.Determination = w.determination()
	w.reply(redress.NoticeInPerson)
	w.finish(target, w.r.o.sub.manager)
}

func (w *walk) reply(method redress.NoticeMethod) {
	g, sc := w.g, w.r.sc
	at := w.step(24*time.Hour, 96*time.Hour)
	lead := "经调查核实，"
	if w.onSpot {
		lead = "经现场核实，"
	}
	outcome := w.outcome()
	r := &redress.Reply{Facts: lead + w.fill(sc.finding), Basis: sc.basis, Outcome: outcome,
		Remedies: remediesFor(outcome), NoticeMethod: method, NoticeAt: *at, NoticeProof: g.proof(method, *at)}
	if outcome != redress.OutcomeNotUpheld {
		r.Redress = w.fill(sc.redress)
		if sc.refund && w.c.Amount != "" {
			fen, _ := redress.ParseAmount(w.c.Amount)
			if outcome == redress.OutcomePartlyUpheld {
				fen /= 2
			}
			r.RedressPaid = redress.FormatAmount(fen)
		}
	}
	w.c.Status, w.c.Reply, w.c.RepliedAt = redress.StatusReplied, r, at
}

// finish signs off and closes a replied case, as far as its target.
func (w *walk) finish(target redress.Status, closer string) {
	if target == redress.StatusReplied {
		return
	}
	w.c.SignedOffAt = w.step(16*time.Hour, 40*time.Hour)
	w.c.Status, w.c.SignedOffBy = redress.StatusSignedOff, w.signer
	if target == redress.StatusSignedOff {
		return
	}
	w.c.ClosedAt = w.step(24*time.Hour, 96*time.Hour)
	w.c.Status, w.c.Satisfaction = redress.StatusClosed, w.g.satisfaction()
}

// end withdraws or rejects the case.
func (w *walk) end(target redress.Status) {
	w.c.ClosedAt = w.step(time.Hour, 72*time.Hour)
	w.c.Status = target
	if target == redress.StatusRejected {
		w.c.EndReason = pick(w.g, rejectReasons)
	} else {
		w.c.EndReason = pick(w.g, withdrawReasons)
	}
}

// fit squeezes the steps of a case that would end after limit into the
// time between its registration and limit, keeping their proportions.
func (w *walk) fit(registered, limit time.Time) {
	if !w.t.After(limit) || !registered.Before(limit) || len(w.times) == 0 {
		return
	}
	span, room := float64(w.t.Sub(registered)), float64(limit.Sub(registered))
	for _, at := range w.times {
		*at = registered.Add(time.Duration(float64(at.Sub(registered)) * room / span))
	}
	for i := range w.c.Findings {
		f := &w.c.Findings[i]
		f.At = registered.Add(time.Duration(float64(f.At.Sub(registered)) * room / span))
	}
	if r := w.c.Reply; r != nil {
		r.NoticeAt = *w.c.RepliedAt
	}
	w.c.UpdatedAt = *w.times[len(w.times)-1]
}

// fill puts the case's particulars into a scenario text.
func (w *walk) fill(s string) string {
	staff := ""
	for i, login := range w.r.o.staff {
		if login == w.r.respondent {
			staff = w.r.o.staffNames[i]
		}
	}
	return strings.NewReplacer("{outlet}", w.r.o.name, "{date}", "",
		"{amount}", strings.TrimSuffix(w.c.Amount, ".00"), "{staff}", staff).Replace(s)
}

func (w *walk) determination() *redress.Determination {
	d := &redress.Determination{Liability: w.liability, RootCause: w.r.sc.rootCause}
	if w.liability != redress.LiabilityNoFault {
		d.ResponsibleParty = w.fill(w.r.sc.party)
	}
	if w.liability == redress.LiabilityBankFault && w.g.chance(0.6) {
		d.Accountability = pick(w.g, accountabilities)
	}
	return d
}

func (w *walk) outcome() redress.Outcome {
	if w.r.sc.outcome != "" {
		return w.r.sc.outcome
	}
	switch w.liability {
	case redress.LiabilityBankFault:
		return redress.OutcomeUpheld
	case redress.LiabilityPartial:
		return redress.OutcomePartlyUpheld
	}
	return redress.OutcomeNotUpheld
}

// noticeMethod is how the reply reaches the customer, by channel.
func (w *walk) noticeMethod() redress.NoticeMethod {
	g := w.g
	switch w.c.Channel {
	case redress.ChannelCounter, redress.ChannelVisit, redress.ChannelOpinionBook, redress.ChannelSelfService:
		return pick(g, []redress.NoticeMethod{redress.NoticeInPerson, redress.NoticeInPerson, redress.NoticePhone})
	case redress.ChannelLetter, redress.ChannelRegulator:
		return pick(g, []redress.NoticeMethod{redress.NoticeLetter, redress.NoticePhone})
	case redress.ChannelMobileApp:
		return pick(g, []redress.NoticeMethod{redress.NoticeApp, redress.NoticeSMS, redress.NoticePhone})
	case redress.ChannelEmail:
		return redress.NoticeEmail
	}
	return pick(g, []redress.NoticeMethod{redress.NoticePhone, redress.NoticePhone, redress.NoticeSMS})
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

// proof is the record that the notice was given.
func (g *generator) proof(m redress.NoticeMethod, at time.Time) string {
	day := at.In(redress.Beijing).Format("20060102")
	n := g.rng.IntN(1000000)
	switch m {
	case redress.NoticeInPerson:
		return "客户当面签收《投诉处理告知书》，回执已归档。"
	case redress.NoticePhone:
		return fmt.Sprintf("电话告知处理结果，录音编号 REC-%s-%04d。", day, n%10000)
	case redress.NoticeSMS:
		return fmt.Sprintf("短信平台发送记录，流水号 SMS%s%06d。", day, n)
	case redress.NoticeLetter:
		return fmt.Sprintf("EMS挂号寄送《投诉处理告知书》，运单号 11%05d%06d。", g.rng.IntN(100000), n)
	case redress.NoticeEmail:
		return "以电子邮件发送《投诉处理告知书》，发送记录已存档。"
	}
	return fmt.Sprintf("手机银行站内信推送记录，消息编号 MSG%s%06d。", day, n)
}

// pickScenario draws a scenario, complaints five times as likely as each
// other matter.
func (g *generator) pickScenario() *scenario {
	total := 0
	for i := range scenarios {
		total += scenarioWeight(&scenarios[i])
	}
	n := g.rng.IntN(total)
	for i := range scenarios {
		if n -= scenarioWeight(&scenarios[i]); n < 0 {
			return &scenarios[i]
		}
	}
	return &scenarios[0]
}

func scenarioWeight(sc *scenario) int {
	if sc.kind == redress.KindComplaint {
		return 5
	}
	return 2
}

// pickChannel draws the channel, mostly one the scenario usually arrives by.
func (g *generator) pickChannel(sc *scenario) redress.Channel {
	if g.chance(0.8) {
		return pick(g, sc.channels)
	}
	return pick(g, redress.Channels)
}

// assess is the initial risk assessment and priority.
func (g *generator) assess(sc *scenario, ch redress.Channel, amount string) (redress.RiskLevel, redress.Priority) {
	fen, _ := redress.ParseAmount(amount)
	switch {
	case ch == redress.ChannelRegulator || ch == redress.ChannelOnlinePost || sc.kind == redress.KindPetition:
		return redress.RiskHigh, pick(g, []redress.Priority{redress.PriorityHigh, redress.PriorityUrgent})
	case sc.kind == redress.KindInquiry || sc.kind == redress.KindSuggestion:
		return redress.RiskLow, redress.PriorityLow
	case fen >= 10000*100 || g.chance(0.2):
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

func (g *generator) satisfaction() redress.Satisfaction {
	switch x := g.rng.Float64(); {
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
func (g *generator) complainant(account bool) redress.Complainant {
	if g.chance(0.05) {
		c := redress.Complainant{Name: g.personName(), Phone: g.mobile(),
			OrgName:    pick(g, cities)[1] + pick(g, firmWords) + pick(g, firmTrades) + "有限公司",
			CreditCode: g.creditCode(), LegalRep: g.personName()}
		if g.chance(0.6) {
			c.Account = fmt.Sprintf("11%016d", g.rng.Int64N(1e16))
		}
		return c
	}
	c := redress.Complainant{Name: g.personName(), Phone: g.mobile()}
	if g.chance(0.85) {
		if g.chance(0.03) {
			c.IDType, c.IDNumber = redress.IDHKMacao, fmt.Sprintf("H%08d", g.rng.IntN(1e8))
		} else {
			c.IDType, c.IDNumber = redress.IDResident, g.residentID()
		}
	}
	if account && g.chance(0.7) {
		c.Account = g.cardNumber()
	}
	return c
}

func (g *generator) personName() string { return pick(g, surnames) + pick(g, givenNames) }

func (g *generator) mobile() string {
	return pick(g, mobilePrefixes) + fmt.Sprintf("%08d", g.rng.IntN(1e8))
}

// residentID draws an 18-character resident ID number: area code, birth
// date between 1950 and 2004, sequence, and the GB 11643 check character.
func (g *generator) residentID() string {
	areas := pick(g, [][]string{areaCodes["BJ"], areaCodes["SH"], areaCodes["other"]})
	first := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC)
	birth := first.AddDate(0, 0, g.rng.IntN(55*365+13))
	body := pick(g, areas) + birth.Format("20060102") + fmt.Sprintf("%03d", 1+g.rng.IntN(999))
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(body[i]-'0') * w
	}
	return body + string("10X98765432"[sum%11])
}

// cardNumber draws a UnionPay debit (19 digits) or credit card (16 digits)
// number with a valid Luhn check digit.
func (g *generator) cardNumber() string {
	payload := "622202" + fmt.Sprintf("%012d", g.rng.Int64N(1e12))
	if g.chance(0.3) {
		payload = "625906" + fmt.Sprintf("%09d", g.rng.Int64N(1e9))
	}
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
	return payload + strconv.Itoa((10-sum%10)%10)
}

// creditCode draws a unified social credit code of a company (GB 32100)
// with its check characters.
func (g *generator) creditCode() string {
	org := fmt.Sprintf("%08d", g.rng.IntN(1e8))
	weights := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(org[i]-'0') * w
	}
	switch c := 11 - sum%11; c {
	case 10:
		org += "X"
	case 11:
		org += "0"
	default:
		org += strconv.Itoa(c)
	}
	const chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	body := "91" + pick(g, areaCodes["other"]) + org
	full := [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	sum = 0
	for i, w := range full {
		sum += strings.IndexByte(chars, body[i]) * w
	}
	return body + string(chars[(31-sum%31)%31])
}

// amount draws a yuan amount in the range, now and then with fen.
func (g *generator) amount(r [2]int) string {
	cents := 0
	if g.chance(0.3) {
		cents = g.rng.IntN(100)
	}
	return fmt.Sprintf("%d.%02d", r[0]+g.rng.IntN(r[1]-r[0]+1), cents)
}

func (g *generator) chance(p float64) bool { return g.rng.Float64() < p }

func pick[T any](g *generator, list []T) T { return list[g.rng.IntN(len(list))] }
