package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"redress"
)

// listProbe is one case list of the workbench: who asks, and the query.
type listProbe struct {
	name  string
	login string
	query url.Values
}

// listProbes are the lists the workbench offers its users, over the
// largest scopes: head office's whole bank and a branch (a fifth of the
// bank's cases in the bench's bank), each in every order and with the
// filters a queue uses; a sub-branch manager's and a counter clerk's
// queues.
func (who *actors) listProbes() []listProbe {
	var probes []listProbe
	for _, scope := range []struct{ label, login string }{{"head office", who.headOffice}, {"branch", who.branch}} {
		for _, s := range []struct{ label, sort string }{{"received↓", ""}, {"deadline↑", "due"}, {"deadline↓", "due_desc"},
			{"level↓", "level_desc"}, {"priority↓", "priority_desc"}} {
			probes = append(probes, listProbe{name: "list: " + scope.label + ", " + s.label, login: scope.login,
				query: url.Values{"sort": {s.sort}}})
		}
		probes = append(probes,
			listProbe{name: "list: " + scope.label + ", registered, received↓", login: scope.login, query: url.Values{"status": {"registered"}}},
			listProbe{name: "list: " + scope.label + ", investigating, deadline↑", login: scope.login,
				query: url.Values{"status": {"investigating"}, "sort": {"due"}}},
			listProbe{name: "list: " + scope.label + ", overdue, deadline↑", login: scope.login,
				query: url.Values{"overdue": {"true"}, "sort": {"due"}}},
			listProbe{name: "list: " + scope.label + ", 待回访 queue", login: scope.login, query: url.Values{"queue": {"return_visit"}}})
	}
	probes = append(probes,
		listProbe{name: "list: sub-branch, 待我受理 queue", login: who.queues[0], query: url.Values{"queue": {"accept"}}},
		listProbe{name: "list: sub-branch, 待我处理 queue", login: who.queues[0], query: url.Values{"queue": {"mine"}}},
		listProbe{name: "list: counter clerk, 我登记的 queue", login: who.intake, query: url.Values{"queue": {"registered"}}})
	return probes
}

// lists measures every list probe at concurrency 1, a first page of 50.
func (m *measurer) lists(who *actors, tokens map[string]string) {
	for _, p := range who.listProbes() {
		q := url.Values{"limit": {"50"}}
		for k, v := range p.query {
			if v[0] != "" {
				q[k] = v
			}
		}
		path := "/api/v1/cases?" + q.Encode()
		m.read(p.name, func(int) request { return request{method: "GET", path: path, token: tokens[p.login]} })
	}
}

// Action measurement names.
const (
	mAccept      = "action: accept"
	mInvestigate = "action: investigate (a note of the handling)"
	mDetermine   = "action: determine"
	mReply       = "action: reply"
	mMixed       = "mixed workload, concurrency 32"
)

// actionCases collects the registered cases of the intake outlet's
// sub-branch (its manager's 待我受理 queue; the intake measurements made
// them), up to n.
func (m *measurer) actionCases(token string, n int) ([]string, error) {
	var numbers []string
	cursor := ""
	for len(numbers) < n {
		q := url.Values{"queue": {"accept"}, "limit": {"200"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		var page redress.CasePage
		if _, err := m.c.getJSON(m.ctx, "/api/v1/cases?"+q.Encode(), token, &page); err != nil {
			return nil, err
		}
		for _, c := range page.Cases {
			if c.Version == 1 {
				numbers = append(numbers, c.No)
			}
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	return numbers[:min(len(numbers), n)], nil
}

// acceptBody accepts a registered case (version 1), naming the handler,
// with the notice to the customer a petition's acceptance needs.
func acceptBody(handler string) map[string]any {
	return map[string]any{"version": 1, "handler": handler, "notice_method": "phone",
		"notice_at": time.Now().Add(-time.Minute).Format(time.RFC3339), "notice_proof": "电话录音编号 REC-0001"}
}

// actionBody is the JSON of an action request.
func actionBody(v map[string]any) []byte {
	body, _ := json.Marshal(v) // maps of strings and numbers always encode
	return body
}

// actions measures four steps of handling on fresh cases, one after
// another at concurrency 1, by the sub-branch's complaint manager: accept
// (naming themselves the handler), a note of the investigation, the
// determination and the reply. It returns the cases it left investigating-free for the mixed
// workload: those beyond what it used.
func (m *measurer) actions(who *actors, tokens map[string]string) []string {
	manager := who.intakeOrg.sub.manager
	token := tokens[manager]
	n := m.cfg.reads
	numbers, err := m.actionCases(token, 2*n+mixedCases)
	if err == nil && len(numbers) < 40 {
		err = fmt.Errorf("only %d registered cases to act on", len(numbers))
	}
	if err != nil {
		for _, name := range []string{mAccept, mInvestigate, mDetermine, mReply} {
			m.r.measures = append(m.r.measures, &measurement{name: name, unavailable: err.Error()})
		}
		return nil
	}
	used := min(n, len(numbers)/2)
	acted, rest := numbers[:used], numbers[used:]
	now := time.Now().Add(-time.Minute).Format(time.RFC3339)
	steps := []struct {
		name   string
		action string
		body   map[string]any
	}{
		{mAccept, "accept", acceptBody(manager)},
		{mInvestigate, "investigate", map[string]any{"version": 2, "text": "已调阅业务凭证与柜面录像，核实客户所述情况。"}},
		{mDetermine, "determine", map[string]any{"version": 3, "liability": "bank_fault", "responsible_party": "网点柜面",
			"root_cause": "柜员未按规定事先告知收费项目。"}},
		{mReply, "reply", map[string]any{"version": 4, "facts": "经核实，客户反映的扣费确未事先告知。", "basis": "依据《银行保险机构消费者权益保护管理办法》及本行收费管理规定。",
			"outcome": "upheld", "redress": "退还已扣收的费用。", "notice_method": "phone", "notice_at": now, "notice_proof": "电话录音编号 REC-0001"}},
	}
	for _, st := range steps {
		body := actionBody(st.body)
		me := &measurement{name: st.name}
		m.r.measures = append(m.r.measures, me)
		next := func(i int) request {
			return request{method: "POST", path: "/api/v1/cases/" + acted[i%len(acted)] + "/" + st.action, token: token, body: body}
		}
		logf("%s: %s: %d cases", m.r.engine, st.name, len(acted))
		m.measure(me, 1, len(acted), 3*time.Minute, http.StatusOK, next)
		logf("%s:   p50 %s  p99 %s  errors %d %s", m.r.engine, ms(me.res.quantile(0.5)), ms(me.res.quantile(0.99)), me.res.errors, me.res.firstErr)
	}
	return rest
}

// mixedCases is how many registered cases the mixed workload may accept.
const mixedCases = 3000

// mixedDuration and mixedWorkers are the mixed workload's length and
// concurrency (issue 17 item 4).
const (
	mixedDuration = 60 * time.Second
	mixedWorkers  = 32
)

// mixedKinds are the mixed workload's kinds of request and their shares.
var mixedKinds = []struct {
	name  string
	share float64
}{{"read", 0.70}, {"action", 0.20}, {"intake", 0.10}}

// mixed runs the mixed workload for mixedDuration at mixedWorkers: 70 %
// reads (case pages, the unit queue, the branch's list, search), 20 %
// actions (accepting registered cases, one worker's cases its own so that
// no two act on one case at once), 10 % intake. It reports each kind's
// latencies and errors and the whole's.
func (m *measurer) mixed(g *generator, who *actors, tokens map[string]string, cases, numbers []string) {
	me := &measurement{name: mMixed, unit: "requests/s"}
	m.r.measures = append(m.r.measures, me)
	if len(numbers) == 0 || len(cases) == 0 {
		me.unavailable = "no cases to read or act on"
		return
	}
	bodies, err := intakeBodies(g, who, 4000)
	if err != nil {
		me.unavailable = err.Error()
		return
	}
	manager := who.intakeOrg.sub.manager
	hq := tokens[who.headOffice]
	reads := []func(r *rand.Rand) request{
		func(r *rand.Rand) request {
			return request{method: "GET", path: "/api/v1/cases/" + numbers[r.IntN(len(numbers))], token: hq}
		},
		func(*rand.Rand) request {
			q := url.Values{"org": {who.queueOrgs[0]}, "status": {"investigating"}}
			return request{method: "GET", path: "/api/v1/cases?" + q.Encode(), token: tokens[who.queues[0]]}
		},
		func(*rand.Rand) request {
			return request{method: "GET", path: "/api/v1/cases?limit=50", token: tokens[who.branch]}
		},
		func(r *rand.Rand) request {
			terms := searchQueries[mSearch3]
			q := url.Values{"q": {terms[r.IntN(len(terms))]}, "limit": {"20"}}
			return request{method: "GET", path: "/api/v1/search?" + q.Encode(), token: hq}
		},
	}
	accept := actionBody(acceptBody(manager))
	byKind := map[string]*result{}
	for _, k := range mixedKinds {
		byKind[k.name] = &result{}
	}
	var mu sync.Mutex
	var intakes sync.Mutex
	nextBody := 0
	server, client := procCPU(m.pid), procCPU(os.Getpid())
	ctx, cancel := context.WithTimeout(m.ctx, mixedDuration)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for w := range mixedWorkers {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 2026))
			var mine []string // this worker's cases to accept
			for i := w; i < len(cases); i += mixedWorkers {
				mine = append(mine, cases[i])
			}
			for ctx.Err() == nil {
				kind, x := "read", r.Float64()
				for _, k := range mixedKinds {
					if x -= k.share; x < 0 {
						kind = k.name
						break
					}
				}
				var req request
				want := http.StatusOK
				switch {
				case kind == "action" && len(mine) > 0:
					req = request{method: "POST", path: "/api/v1/cases/" + mine[0] + "/accept", token: tokens[manager], body: accept}
					mine = mine[1:]
				case kind == "intake":
					intakes.Lock()
					body := bodies[nextBody%len(bodies)]
					nextBody++
					intakes.Unlock()
					req, want = request{method: "POST", path: "/api/v1/cases", token: tokens[who.intake], body: body}, http.StatusCreated
				default:
					kind = "read" // an action with no case left reads instead
					req = reads[r.IntN(len(reads))](r)
				}
				status, data, took, err := m.c.do(ctx, req)
				if ctx.Err() != nil {
					return // cut off at the end: not counted
				}
				mu.Lock()
				byKind[kind].record(status, want, data, took, err, req.method+" "+req.path+": ")
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	wall := time.Since(start)
	me.res = &result{wall: wall}
	var parts []string
	for _, k := range mixedKinds {
		res := byKind[k.name]
		res.wall = wall
		me.res.merge(res)
		me.res.wall = wall
		parts = append(parts, fmt.Sprintf("%s %s/s p50 %s p99 %s, %d errors", k.name, thousands(int64(res.rate()+0.5)),
			ms(res.quantile(0.5)), ms(res.quantile(0.99)), res.errors))
	}
	me.serverCPU = time.Duration(procCPU(m.pid)-server) * time.Second / clockTicks
	me.clientCPU = time.Duration(procCPU(os.Getpid())-client) * time.Second / clockTicks
	me.detail = fmt.Sprintf("%d workers for %s: %s; first error: %s", mixedWorkers, wall.Round(time.Second),
		strings.Join(parts, "; "), orNone(me.res.firstErr))
	logf("%s: %s: %s", m.r.engine, mMixed, me.detail)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// prepareMixed finds what the mixed workload reads and acts on (the spare
// registered cases of the actions, else the intake outlet's own) and runs it.
func (m *measurer) prepareMixed(g *generator, who *actors, tokens map[string]string, spare []string) error {
	if len(spare) < mixedCases/2 {
		// Without the intake and the actions before it, the registered
		// cases to accept are made here, as the intake makes them.
		bodies, err := intakeBodies(g, who, mixedCases)
		if err != nil {
			return err
		}
		logf("%s: registering %d cases for the mixed workload to accept", m.r.engine, mixedCases)
		res := m.c.load(m.ctx, 16, mixedCases, 5*time.Minute, http.StatusCreated, func(i int) request {
			return request{method: "POST", path: "/api/v1/cases", token: tokens[who.intake], body: bodies[i]}
		})
		if res.errors > 0 {
			return fmt.Errorf("registering the mixed workload's cases: %d failed, the first: %s", res.errors, res.firstErr)
		}
		if spare, err = m.actionCases(tokens[who.intakeOrg.sub.manager], mixedCases); err != nil {
			return err
		}
	}
	numbers, err := sampleCases(m.ctx, m.c, tokens[who.headOffice], g, 500)
	if err != nil {
		return err
	}
	m.mixed(g, who, tokens, spare, numbers)
	return nil
}
