package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"redress"
)

// store is one database engine under test: its datasets, the copy a run
// works on, and its raw insert rate.
type store interface {
	name() string
	// describe returns the engine's version and the settings that matter
	// for the results.
	describe(ctx context.Context) (version, settings string)
	// prepare returns the dataset's meta, generating the dataset first when
	// needed (generated reports whether it did).
	prepare(ctx context.Context) (m *datasetMeta, generated bool, err error)
	// copyForRun makes a fresh copy of the dataset and returns its DSN and
	// the data directory holding its key file.
	copyForRun(ctx context.Context) (dsn, dataDir string, err error)
	dropRun(ctx context.Context) error
	rawInserts(ctx context.Context, rows, workers int) (*result, error)
}

// measurement is one line of the results.
type measurement struct {
	name        string
	res         *result
	unit        string        // what the rate counts: "cases/s", "rows/s", "" for none
	detail      string        // a note on the measurement
	serverCPU   time.Duration // CPU time the server used during the measured requests
	clientCPU   time.Duration // CPU time the load generator used meanwhile
	othersCPU   time.Duration // CPU time other processes (PostgreSQL's among them) used meanwhile
	unavailable string        // why it could not be measured
	rowsPerSec  float64       // an export's median rows per second
	peakRSS     int64         // an export's highest peak RSS of the server
}

// engineResult is everything measured on one engine.
type engineResult struct {
	engine       string
	version      string
	settings     string
	meta         *datasetMeta
	generated    bool
	settled      time.Duration
	measures     []*measurement
	peakRSS      int64
	audit        string  // redress audit verify on the run's copy after the load
	sweep        string  // what the server's first deadline sweep did
	othersBefore float64 // cores busy with other processes just before the measurements
	others       float64 // cores busy with other processes during the measurements
	unavailable  string  // the engine as a whole
	err          error
}

// find returns the measurement of that name, or nil.
func (r *engineResult) find(name string) *measurement {
	for _, m := range r.measures {
		if m.name == name {
			return m
		}
	}
	return nil
}

// Measurement names.
const (
	mIntake1    = "intake, concurrency 1"
	mIntake16   = "intake, concurrency 16"
	mRaw1       = "raw insert, concurrency 1"
	mRaw16      = "raw insert, concurrency 16"
	mQueue      = "unit queue (investigating)"
	mSearch2    = "search, 2 characters"
	mSearch3    = "search, 3 characters"
	mSearch5    = "search, 5+ characters"
	mCase       = "case page: case"
	mCaseEvents = "case page: events"
	mStats      = "monthly statistics"
	mQuarter    = "quarterly statistics"
	mJRT        = "quarterly JR/T 0169 form"
	mExportCSV  = "export, every case as CSV"
	mExportXLSX = "export, every case as XLSX"
	mSignIn     = "sign-in"
)

// searchQueries are the search terms by length group.
var searchQueries = map[string][]string{
	mSearch2: {"理财", "年费", "柜员", "黄金"},
	mSearch3: {"信用卡", "违约金", "养老金", "吞卡了"},
	mSearch5: {"信用卡年费", "个人养老金", "理财产品收益", "提前还款违约金"},
}

// runEngine measures one engine end to end: dataset, server, load,
// baseline. A failure ends the engine's run and is reported with what was
// measured until then.
func runEngine(ctx context.Context, cfg *config, s store) *engineResult {
	r := &engineResult{engine: s.name()}
	r.version, r.settings = s.describe(ctx)
	logf("%s: %s", r.engine, r.version)
	r.err = measureEngine(ctx, cfg, s, r)
	if r.err != nil {
		logf("%s: %v", r.engine, r.err)
	}
	return r
}

// measureEngine fills r: the dataset, the baseline before, the server's
// measurements on a copy of the dataset, the audit check, the baseline after.
func measureEngine(ctx context.Context, cfg *config, s store, r *engineResult) error {
	var err error
	if r.meta, r.generated, err = s.prepare(ctx); err != nil {
		return fmt.Errorf("dataset: %w", err)
	}
	if !r.generated {
		logf("%s: using the kept dataset of %d cases (generated %s in %s)", r.engine, r.meta.Cases,
			r.meta.GeneratedAt.Format(time.DateOnly), r.meta.Took.Round(time.Second))
	}
	// The baseline runs before and after the server's measurements, and
	// counts both: the disk's speed drifts on shared machines. Only the
	// intake is compared with it.
	withBaseline := cfg.wants("intake") || cfg.wants("mixed")
	var before, after [2]*result
	if withBaseline {
		if before, err = baseline(ctx, cfg, s, r.engine); err != nil {
			return err
		}
	}
	dsn, dataDir, err := s.copyForRun(ctx)
	if err != nil {
		return err
	}
	defer s.dropRun(context.Background())
	err = measureServer(ctx, cfg, r, dsn, dataDir)
	// The server's log stays for a look after the run.
	_ = copyFile(filepath.Join(dataDir, "server.log"), filepath.Join(cfg.dir, "last-"+r.engine+"-server.log"))
	if err != nil {
		return err
	}
	// Intake under load must have kept the audit chain whole.
	if r.audit, err = verifyAudit(ctx, cfg.redress, dataDir, dsn); err != nil {
		return err
	}
	logf("%s: after the load: %s", r.engine, r.audit)
	if !withBaseline {
		return nil
	}
	if after, err = baseline(ctx, cfg, s, r.engine); err != nil {
		return err
	}
	for i, name := range []string{mRaw1, mRaw16} {
		m := &measurement{name: name, res: before[i], unit: "rows/s",
			detail: fmt.Sprintf("%s rows/s before the server's measurements, %s after",
				thousands(int64(before[i].rate()+0.5)), thousands(int64(after[i].rate()+0.5)))}
		m.res.merge(after[i])
		r.measures = append(r.measures, m)
	}
	return nil
}

// baseline measures the raw single-row durable insert rate at concurrency
// 1 and 16.
func baseline(ctx context.Context, cfg *config, s store, engine string) ([2]*result, error) {
	var out [2]*result
	for i, workers := range []int{1, 16} {
		res, err := s.rawInserts(ctx, cfg.requests, workers)
		if err != nil {
			return out, err
		}
		logf("%s: raw single-row durable inserts, concurrency %d: %d rows, %.0f rows/s", engine, workers, len(res.latencies), res.rate())
		out[i] = res
	}
	return out, nil
}

// actors are the users of the measurements: who registers, whose queue is
// listed, who searches and reads case pages and statistics.
type actors struct {
	intake     string // a counter clerk of one outlet
	intakeOrg  *outlet
	branch     string   // a branch's complaint manager (the first branch's)
	queues     []string // complaint managers of sub-branches
	queueOrgs  []string
	headOffice string // head-office service
	auditor    string // head office's auditor, who reads the exports' audit events
}

func (g *generator) actors() *actors {
	b := g.bank
	a := &actors{intakeOrg: b.outlets[0], intake: b.outlets[0].staff[0], headOffice: b.hqService[0], auditor: "hq.audit",
		branch: b.subBranches[0].branchManager}
	// Four sub-branches spread over the bank.
	for i := range 4 {
		sb := b.subBranches[i*len(b.subBranches)/4]
		a.queues, a.queueOrgs = append(a.queues, sb.manager), append(a.queueOrgs, sb.code)
	}
	return a
}

// measureServer starts the server on the run's copy and measures it.
func measureServer(ctx context.Context, cfg *config, r *engineResult, dsn, dataDir string) error {
	g := newGenerator(cfg.size, cfg.seed)
	who := g.actors()
	tokens := map[string]string{}
	for _, login := range append([]string{who.intake, who.headOffice, who.auditor, who.branch, who.intakeOrg.sub.manager, "admin"}, who.queues...) {
		if tokens[login] != "" {
			continue
		}
		token, err := createToken(ctx, cfg.redress, dataDir, dsn, login)
		if err != nil {
			return err
		}
		tokens[login] = token
	}
	if cfg.wants("signin") {
		if err := addSignInUser(ctx, cfg.redress, dataDir, dsn, who.intakeOrg.code); err != nil {
			return err
		}
	}
	srv, err := startServer(ctx, cfg.redress, dataDir, dsn)
	if err != nil {
		return err
	}
	defer srv.stop()
	logf("%s: redress serve on %s; waiting for its start-up work (the first deadline sweep) to finish", r.engine, srv.base)
	if r.settled, err = srv.settle(ctx, 15*time.Minute); err != nil {
		return err
	}
	logf("%s: settled after %s", r.engine, r.settled.Round(100*time.Millisecond))
	r.sweep = sweepLine(filepath.Join(dataDir, "server.log"))
	c, err := newClient(srv.base)
	if err != nil {
		return err
	}
	m := &measurer{ctx: ctx, cfg: cfg, c: c, r: r, pid: srv.cmd.Process.Pid, srv: srv, admin: tokens["admin"]}
	hq := tokens[who.headOffice]
	// Other work on a shared machine skews the numbers: wait a while for it
	// to pass, and record how much of it there was.
	r.othersBefore = waitQuiet(ctx, m.pid, cfg.wait)
	watch := startWatch(m.pid)

	if cfg.wants("queues") {
		// The unit queue: each manager lists their own sub-branch's cases
		// under investigation, first page, newest first.
		m.read(mQueue, func(i int) request {
			k := i % len(who.queues)
			q := url.Values{"org": {who.queueOrgs[k]}, "status": {"investigating"}}
			return request{method: "GET", path: "/api/v1/cases?" + q.Encode(), token: tokens[who.queues[k]]}
		})
		m.lists(who, tokens)
	}
	if cfg.wants("search") {
		for _, name := range []string{mSearch2, mSearch3, mSearch5} {
			terms := searchQueries[name]
			m.read(name, func(i int) request {
				q := url.Values{"q": {terms[i%len(terms)]}, "limit": {"20"}}
				return request{method: "GET", path: "/api/v1/search?" + q.Encode(), token: hq}
			})
		}
	}
	if cfg.wants("case") {
		numbers, err := sampleCases(ctx, c, hq, g, 500)
		if err != nil {
			return err
		}
		m.read(mCase, func(i int) request {
			return request{method: "GET", path: "/api/v1/cases/" + numbers[i%len(numbers)], token: hq}
		})
		m.read(mCaseEvents, func(i int) request {
			return request{method: "GET", path: "/api/v1/cases/" + numbers[i%len(numbers)] + "/events", token: hq}
		})
	}
	if cfg.wants("reports") {
		m.report(mStats, "/api/v1/stats?"+url.Values{"from": {statsFrom}, "to": {statsTo}}.Encode(), hq)
		m.report(mQuarter, "/api/v1/stats?"+url.Values{"from": {quarterFrom}, "to": {quarterTo}}.Encode(), hq)
		m.report(mJRT, "/api/v1/reports/jrt?"+url.Values{"quarter": {quarterName}}.Encode(), hq)
	}
	if cfg.wants("signin") {
		m.signIn()
	}
	if cfg.wants("intake") {
		m.intake(g, who, tokens[who.intake])
	}
	var spare []string // registered cases the actions left, for the mixed workload
	if cfg.wants("actions") {
		spare = m.actions(who, tokens)
	}
	if cfg.wants("mixed") {
		if err := m.prepareMixed(g, who, tokens, spare); err != nil {
			m.r.measures = append(m.r.measures, &measurement{name: mMixed, unavailable: err.Error()})
		}
	}
	r.peakRSS = srv.peakRSS()
	if me := r.find(mSignIn); me != nil {
		r.peakRSS = max(r.peakRSS, me.peakRSS)
	}
	if cfg.wants("export") {
		// The exports come last: each resets the peak RSS to measure its own.
		for _, e := range []struct{ name, format string }{{mExportCSV, "csv"}, {mExportXLSX, "xlsx"}} {
			m.export(e.name, e.format, hq, tokens[who.auditor])
			if me := r.find(e.name); me != nil {
				r.peakRSS = max(r.peakRSS, me.peakRSS)
			}
		}
	}
	r.others = watch.others()
	return ctx.Err()
}

// measurer runs the HTTP measurements of one engine.
type measurer struct {
	ctx context.Context
	cfg *config
	c   *client
	r   *engineResult
	pid int // the server's
	srv *server
	// admin is an admin's token, for the server's profiles.
	admin string
}

// measure runs a load and records the server's CPU time during it.
func (m *measurer) measure(me *measurement, workers, count int, limit time.Duration, want int, next func(i int) request) {
	server, client, others := procCPU(m.pid), procCPU(os.Getpid()), startWatch(m.pid)
	me.res = m.c.load(m.ctx, workers, count, limit, want, next)
	me.othersCPU = time.Duration(others.others() * float64(time.Since(others.start)))
	me.serverCPU = time.Duration(procCPU(m.pid)-server) * time.Second / clockTicks
	me.clientCPU = time.Duration(procCPU(os.Getpid())-client) * time.Second / clockTicks
}

// available probes an endpoint once: a 404 answered by the API's catch-all
// means the server does not have it.
func (m *measurer) available(req request) string {
	status, body, _, err := m.c.do(m.ctx, req)
	switch {
	case err != nil:
		return "not available: " + err.Error()
	case status == http.StatusNotFound:
		var e struct {
			Error struct{ Message string } `json:"error"`
		}
		_ = json.Unmarshal(body, &e)
		return fmt.Sprintf("not available: %s answers 404 (%s)", req.path, truncate(e.Error.Message, 80))
	case status != http.StatusOK && status != http.StatusCreated:
		return fmt.Sprintf("not available: %s answers %d: %s", req.path, status, truncate(string(body), 160))
	}
	return ""
}

// read measures a read endpoint at concurrency 1 after a short warm-up.
func (m *measurer) read(name string, next func(i int) request) {
	me := &measurement{name: name}
	m.r.measures = append(m.r.measures, me)
	if me.unavailable = m.available(next(0)); me.unavailable != "" {
		logf("%s: %s: %s", m.r.engine, name, me.unavailable)
		return
	}
	m.c.load(m.ctx, 1, 20, time.Minute, http.StatusOK, next)
	logf("%s: %s: %d requests", m.r.engine, name, m.cfg.reads)
	m.measure(me, 1, m.cfg.reads, 3*time.Minute, http.StatusOK, func(i int) request { return next(i + 20) })
	logf("%s:   p50 %s  p99 %s", m.r.engine, ms(me.res.quantile(0.5)), ms(me.res.quantile(0.99)))
}

// report times a report of a period of the dataset (the statistics of the
// last full month or quarter, the JR/T form of that quarter), bank-wide:
// ten requests, one after another.
func (m *measurer) report(name, path, token string) {
	me := &measurement{name: name}
	m.r.measures = append(m.r.measures, me)
	req := request{method: "GET", path: path, token: token}
	before, start := procCPU(m.pid), time.Now()
	if me.unavailable = m.available(req); me.unavailable != "" {
		logf("%s: %s: %s", m.r.engine, name, me.unavailable)
		return
	}
	first := time.Since(start)
	m.measure(me, 1, 9, 5*time.Minute, http.StatusOK, func(int) request { return req })
	me.res.latencies = append(me.res.latencies, first) // the first, cold one counts too
	me.serverCPU = time.Duration(procCPU(m.pid)-before) * time.Second / clockTicks
	logf("%s: %s: p50 %s  max %s", m.r.engine, name, ms(me.res.quantile(0.5)), ms(me.res.maximum()))
}

// intake registers cases over the API at concurrency 1 and 16. The bodies
// are made before the clock starts, so the load generator stays light.
func (m *measurer) intake(g *generator, who *actors, token string) {
	for _, p := range []struct {
		name    string
		workers int
	}{{mIntake1, 1}, {mIntake16, 16}} {
		bodies, err := intakeBodies(g, who, m.cfg.requests+50)
		if err != nil {
			m.r.measures = append(m.r.measures, &measurement{name: p.name, unavailable: err.Error()})
			return
		}
		me := &measurement{name: p.name, unit: "cases/s"}
		m.r.measures = append(m.r.measures, me)
		next := func(i int) request {
			return request{method: "POST", path: "/api/v1/cases", token: token, body: bodies[i%len(bodies)]}
		}
		if me.unavailable = m.available(next(0)); me.unavailable != "" {
			logf("%s: %s: %s", m.r.engine, p.name, me.unavailable)
			return
		}
		m.c.load(m.ctx, p.workers, 49, time.Minute, http.StatusCreated, func(i int) request { return next(i + 1) })
		logf("%s: %s: %d registrations", m.r.engine, p.name, m.cfg.requests)
		if m.cfg.profile != "" && p.workers == 16 {
			path := filepath.Join(m.cfg.profile, "intake-"+m.r.engine+".pprof")
			go func() {
				if err := m.srv.profile(m.ctx, m.admin, path, 2); err != nil {
					logf("%s: %v", m.r.engine, err)
				} else {
					logf("%s: the server's CPU profile of the intake: %s", m.r.engine, path)
				}
			}()
		}
		m.measure(me, p.workers, m.cfg.requests, 3*time.Minute, http.StatusCreated,
			func(i int) request {
				return request{method: "POST", path: "/api/v1/cases", token: token, body: bodies[50+i]}
			})
		logf("%s:   %.0f cases/s  p50 %s  p99 %s", m.r.engine, me.res.rate(), ms(me.res.quantile(0.5)), ms(me.res.quantile(0.99)))
	}
}

// intakeBodies draws n registrations by the intake's clerk at the intake
// outlet, received a minute ago, as request bodies: made before a
// measurement's clock starts, so that the load generator stays light.
func intakeBodies(g *generator, who *actors, n int) ([][]byte, error) {
	now := time.Now().Add(-time.Minute)
	bodies := make([][]byte, n)
	for i := range bodies {
		body, err := json.Marshal(g.register(now, who.intakeOrg, who.intake).n)
		if err != nil {
			return nil, fmt.Errorf("cannot encode: %w", err)
		}
		bodies[i] = body
	}
	return bodies, nil
}

// sampleCases collects tracking numbers spread over the dataset: a few
// cases received on each of n/5 days drawn across the timeline.
func sampleCases(ctx context.Context, c *client, token string, g *generator, n int) ([]string, error) {
	days := int(datasetEnd.Sub(datasetStart) / (24 * time.Hour))
	var numbers []string
	for i := range n / 5 {
		day := datasetStart.AddDate(0, 0, (i*days)/(n/5)+g.rng.IntN(max(days/(n/5), 1))).Format(time.DateOnly)
		q := url.Values{"received_from": {day}, "received_to": {day}, "limit": {"5"}}
		var page redress.CasePage
		if _, err := c.getJSON(ctx, "/api/v1/cases?"+q.Encode(), token, &page); err != nil {
			return nil, fmt.Errorf("sample cases: %w", err)
		}
		for _, cs := range page.Cases {
			numbers = append(numbers, cs.No)
		}
	}
	if len(numbers) == 0 {
		return nil, fmt.Errorf("sample cases: the dataset answered no cases")
	}
	return numbers, nil
}

// ms formats a duration in milliseconds.
func ms(d time.Duration) string {
	switch {
	case d <= 0:
		return "—"
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	case d < 10*time.Second:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	}
	return d.Round(100 * time.Millisecond).String()
}
