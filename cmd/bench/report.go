package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"redress"
)

// facts describe the machine a run measured on.
type facts struct {
	cpu, kernel string
	cores       int
	memory      int64 // bytes
	goVersion   string
	fsync       time.Duration // median time of a 4 KiB write and fsync in the bench directory
}

func machineFacts(dir string) facts {
	f := facts{cpu: "unknown CPU", cores: runtime.NumCPU(), goVersion: runtime.Version()}
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.SplitSeq(string(data), "\n") {
			if name, value, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(name) == "model name" {
				f.cpu = strings.TrimSpace(value)
				break
			}
		}
	}
	f.memory = procField("/proc/meminfo", "MemTotal:") * 1024
	if data, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		f.kernel = "Linux " + strings.TrimSpace(string(data))
	}
	f.fsync = fsyncLatency(dir)
	return f
}

// fsyncLatency is the median time to write 4 KiB and fsync it, a hundred
// times, in dir: what every durable commit pays at least.
func fsyncLatency(dir string) time.Duration {
	file, err := os.CreateTemp(dir, "fsync-*")
	if err != nil {
		return 0
	}
	defer os.Remove(file.Name())
	defer file.Close()
	block := make([]byte, 4096)
	var times []time.Duration
	for i := range 100 {
		start := time.Now()
		if _, err := file.WriteAt(block, int64(i%8)*4096); err != nil {
			return 0
		}
		if err := file.Sync(); err != nil {
			return 0
		}
		times = append(times, time.Since(start))
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	return times[len(times)/2]
}

// report is one benchmark run, as printed and as appended to the doc.
type report struct {
	cfg     *config
	facts   facts
	started time.Time
	took    time.Duration
	engines []*engineResult
}

// line is one row of the results table.
type line struct {
	engine, name, p50, p99, rate, cpu, target, met string
}

// targetFactor is how much looser a target is on an engine: PostgreSQL
// is to be within 2× of SQLite's targets.
func targetFactor(engine string) float64 {
	if engine == "postgres" {
		return 2
	}
	return 1
}

// intakeTarget is the least ratio of intake at concurrency 16 to the raw
// insert rate that issue 17 item 1 asks of an engine: 0.5× on SQLite,
// 0.25× on PostgreSQL.
func intakeTarget(engine string) float64 { return 0.5 / targetFactor(engine) }

// measurementOrder is the order of the rows of an engine.
var measurementOrder = []string{mIntake1, mIntake16, mRaw1, mRaw16, mQueue, mSearch2, mSearch3, mSearch5, mCase, mCaseEvents, mSignIn, mStats, mQuarter,
	mJRT, mExportCSV, mExportXLSX}

// names are the rows of an engine: measurementOrder, then the other
// measurements (the lists, the actions, the mixed workload) in the order
// they ran.
func (rep *report) names(e *engineResult) []string {
	names := append([]string{}, measurementOrder...)
	for _, m := range e.measures {
		if !slices.Contains(names, m.name) {
			names = append(names, m.name)
		}
	}
	return names
}

// The export targets (issue 12 item 7), the same on both engines: the
// server streams, so neither depends on the database's speed alone.
const (
	exportRateTarget = 20000     // rows/s
	exportRSSTarget  = 150 << 20 // bytes
)

// lines turns the measurements into table rows with their targets, and
// the notes that go under the table.
func (rep *report) lines() ([]line, []string) {
	var rows []line
	var notes []string
	for _, e := range rep.engines {
		if e.unavailable != "" {
			rows = append(rows, line{engine: e.engine, name: "(all)", p50: "not available"})
			notes = append(notes, fmt.Sprintf("%s: %s.", e.engine, e.unavailable))
			continue
		}
		for _, name := range rep.names(e) {
			m := e.find(name)
			switch {
			case m == nil && rep.cfg.only != nil:
				// a group this run did not ask for
			case m == nil:
				rows = append(rows, line{engine: e.engine, name: name, p50: "not measured"})
			case m.unavailable != "":
				rows = append(rows, line{engine: e.engine, name: name, p50: "not available"})
				notes = append(notes, fmt.Sprintf("%s, %s: %s.", e.engine, name, m.unavailable))
			default:
				rows = append(rows, measurementLine(e, m))
				notes = append(notes, rep.measurementNotes(e, m)...)
			}
		}
		if e.peakRSS > 0 {
			limit := int64(150*targetFactor(e.engine)) << 20
			rows = append(rows, line{engine: e.engine, name: "server peak RSS (VmHWM)", rate: mb(e.peakRSS),
				target: "< " + mb(limit), met: verdict(e.peakRSS < limit, fmt.Sprintf("%.2f× the target", float64(e.peakRSS)/float64(limit)))})
		}
		if e.others > 0.05 || e.othersBefore > 0.2 {
			what := "other processes"
			if e.engine == "postgres" {
				what = "other processes, PostgreSQL's own among them,"
			}
			notes = append(notes, fmt.Sprintf("%s: %s kept %.2f of the %d cores busy during the measurements (%.2f just before).",
				e.engine, what, e.others, rep.facts.cores, e.othersBefore))
		}
		if e.sweep != "" {
			notes = append(notes, fmt.Sprintf("%s: the server's first deadline sweep, before the measurements: %s.", e.engine, e.sweep))
		}
		if e.audit != "" {
			audit, _, _ := strings.Cut(e.audit, ", head")
			notes = append(notes, fmt.Sprintf("%s: after the load, `redress audit verify` on the run's copy: %s.", e.engine, audit))
		}
		if e.err != nil {
			notes = append(notes, fmt.Sprintf("%s: the run stopped: %v.", e.engine, e.err))
		}
	}
	return rows, notes
}

// measurementLine is the table row of one measurement, with its target.
func measurementLine(e *engineResult, m *measurement) line {
	f := targetFactor(e.engine)
	l := line{engine: e.engine, name: m.name, p50: ms(m.res.quantile(0.5)), p99: ms(m.res.quantile(0.99))}
	if m.unit != "" {
		l.rate = thousands(int64(m.res.rate()+0.5)) + " " + m.unit
	}
	if n := len(m.res.latencies) + m.res.errors; m.serverCPU > 0 && n > 0 {
		l.cpu = ms(m.serverCPU / time.Duration(n))
	}
	switch m.name {
	case mIntake1, mIntake16:
		raw := e.find(mRaw1)
		if m.name == mIntake16 {
			raw = e.find(mRaw16)
		}
		if raw == nil || raw.res == nil || raw.res.rate() == 0 {
			break
		}
		ratio := m.res.rate() / raw.res.rate()
		l.rate += fmt.Sprintf(" (%.2f× raw)", ratio)
		if m.name == mIntake16 {
			need := intakeTarget(e.engine)
			l.target = fmt.Sprintf("≥ %.2g× raw", need) // 0.5, 0.25: %.1f printed 0.25 as 0.2
			l.met = verdict(ratio >= need, fmt.Sprintf("%.2f× of %.2g×", ratio, need))
		}
	case mQueue:
		l.target, l.met = latencyTarget(m.res.quantile(0.99), time.Duration(10*f)*time.Millisecond)
	default:
		if strings.HasPrefix(m.name, "list: ") { // issue 17 item 3
			l.target, l.met = latencyTarget(m.res.quantile(0.99), time.Duration(20*f)*time.Millisecond)
		}
	case mMixed:
		l.target = "no errors"
		l.met = verdict(m.res.errors == 0, fmt.Sprintf("%d errors", m.res.errors))
	case mSearch2, mSearch3, mSearch5:
		l.target, l.met = latencyTarget(m.res.quantile(0.99), time.Duration(50*f)*time.Millisecond)
	case mExportCSV, mExportXLSX:
		l.rate = thousands(int64(m.rowsPerSec+0.5)) + " rows/s, peak RSS " + mb(m.peakRSS)
		l.cpu = ""
		l.target = fmt.Sprintf("≥ %s rows/s, RSS < %s", thousands(exportRateTarget), mb(exportRSSTarget))
		ok := m.rowsPerSec >= exportRateTarget && m.peakRSS < exportRSSTarget
		l.met = verdict(ok, fmt.Sprintf("%.2f× the rate, %.2f× the RSS", m.rowsPerSec/exportRateTarget, float64(m.peakRSS)/exportRSSTarget))
	case mStats, mQuarter, mJRT:
		limit := time.Duration(1000*f) * time.Millisecond
		l.p99 = ms(m.res.maximum()) + " (max)"
		l.target = "max < " + limitText(limit)
		l.met = verdict(m.res.maximum() < limit, fmt.Sprintf("%.2f× the target", float64(m.res.maximum())/float64(limit)))
	}
	return l
}

// measurementNotes are the notes on one measurement: where intake's CPU
// went, the baseline's two halves, failures.
func (rep *report) measurementNotes(e *engineResult, m *measurement) []string {
	var notes []string
	n := len(m.res.latencies) + m.res.errors
	if (m.name == mIntake1 || m.name == mIntake16) && n > 0 && m.res.wall > 0 {
		others := ""
		if e.engine == "postgres" {
			others = " by these two (PostgreSQL's own processes not counted)"
		}
		notes = append(notes, fmt.Sprintf("%s, %s: the server used %s of CPU per case and the load generator %s; %.1f of the %d cores were busy%s.",
			e.engine, m.name, ms(m.serverCPU/time.Duration(n)), ms(m.clientCPU/time.Duration(n)),
			(m.serverCPU+m.clientCPU).Seconds()/m.res.wall.Seconds(), rep.facts.cores, others))
	}
	if m.name == mIntake16 {
		if budget := rep.cpuBudget(e, m); budget != "" {
			notes = append(notes, budget)
		}
	}
	if m.detail != "" {
		notes = append(notes, fmt.Sprintf("%s, %s: %s.", e.engine, m.name, m.detail))
	}
	if m.res.errors > 0 {
		notes = append(notes, fmt.Sprintf("%s, %s: %d of %d requests failed; the first: %s.", e.engine, m.name, m.res.errors, n, m.res.firstErr))
	}
	if m.res.stopped {
		notes = append(notes, fmt.Sprintf("%s, %s: stopped at its time limit after %d requests.", e.engine, m.name, n))
	}
	return notes
}

// cpuBudget is the note that says whether the machine's cores could carry
// intake at its target (issue 17 item 1) at the CPU a case cost in this
// measurement: the server's, the load generator's and other processes'
// (PostgreSQL's backends among them) time per case, the rate the cores
// would allow were they all busy with nothing else, and the total a case
// would have to cost for the target rate to fit. "" when the run lacks what
// it needs.
func (rep *report) cpuBudget(e *engineResult, m *measurement) string {
	n := len(m.res.latencies)
	raw := e.find(mRaw16)
	if n == 0 || rep.facts.cores == 0 || raw == nil || raw.res == nil || raw.res.rate() == 0 {
		return ""
	}
	per := func(d time.Duration) time.Duration { return d / time.Duration(n) }
	total := per(m.serverCPU + m.clientCPU + m.othersCPU)
	if total <= 0 {
		return ""
	}
	need := intakeTarget(e.engine) * raw.res.rate()
	ceiling := float64(rep.facts.cores) / total.Seconds()
	fits := "so the cores alone would allow the target"
	if ceiling < need {
		fits = fmt.Sprintf("so on %d cores the target cannot be met at this cost: it needs a case to cost at most %s in all",
			rep.facts.cores, ms(time.Duration(float64(rep.facts.cores)/need*float64(time.Second))))
	}
	return fmt.Sprintf("%s, %s, CPU budget: a case cost %s of CPU in all (server %s, load generator %s, other processes %s); "+
		"%d busy cores would carry at most %s cases/s (%.2f× raw), against the %s cases/s of the target, %s.",
		e.engine, m.name, ms(total), ms(per(m.serverCPU)), ms(per(m.clientCPU)), ms(per(m.othersCPU)),
		rep.facts.cores, thousands(int64(ceiling+0.5)), ceiling/raw.res.rate(), thousands(int64(need+0.5)), fits)
}

// latencyTarget states a p99 target and whether got meets it.
func latencyTarget(got, limit time.Duration) (string, string) {
	return "p99 < " + limitText(limit), verdict(got < limit, fmt.Sprintf("%.2f× the target", float64(got)/float64(limit)))
}

// limitText formats a target duration: 10 ms, 1 s.
func limitText(d time.Duration) string {
	if d >= time.Second {
		return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + " s"
	}
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', -1, 64) + " ms"
}

func verdict(ok bool, by string) string {
	if ok {
		return "yes"
	}
	return "NO: " + by
}

func mb(bytes int64) string { return fmt.Sprintf("%.0f MB", float64(bytes)/(1<<20)) }

// text is the table as printed on the terminal.
func (rep *report) text() string {
	rows, notes := rep.lines()
	var b strings.Builder
	fmt.Fprintf(&b, "Redress benchmark, %s cases, %s\n\n", thousands(int64(rep.cfg.size)), rep.started.UTC().Format("2006-01-02 15:04 UTC"))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ENGINE\tMEASUREMENT\tP50\tP99\tRATE\tSERVER CPU/REQ\tTARGET\tMET?")
	for _, l := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", l.engine, l.name, l.p50, l.p99, l.rate, l.cpu, l.target, l.met)
	}
	tw.Flush()
	for _, n := range notes {
		fmt.Fprintf(&b, "- %s\n", n)
	}
	return b.String()
}

// benchmarksHeader starts docs/benchmarks.md when it does not exist yet.
const benchmarksHeader = `# Benchmarks

Redress measured over loopback HTTP on a generated bank, side by side with the raw durable insert rate of
its database engine on the same machine. ` + "`make bench`" + ` appends each run below; the targets are those of
issue 6 and issue 12 (statistics and exports), which hold at 1,000,000 cases on SQLite (PostgreSQL within 2×; the export targets are the same on both); at other sizes they are indicative.

` + "```sh" + `
make bench                        # 100,000 cases; SQLite, and PostgreSQL when available
BENCH_SIZE=1000000 make bench     # 1,000,000 cases
BENCH_REGEN=1 make bench          # generate the datasets again
BENCH_POSTGRES=postgres://user@127.0.0.1:5432/postgres make bench   # use this PostgreSQL server
BENCH_POSTGRES=off make bench     # SQLite only
` + "```" + `

- **Dataset** (` + "`cmd/bench`" + `, deterministic for a size and seed): head office, 40 branches × 5 sub-branches ×
  4 outlets, 2,847 users, and cases with Chinese texts from the demo's scenarios, every kind, channel and status,
  received evenly from 2025-01-01 to 2026-10-31, the older ones mostly closed. ` + "`sqldb.BulkLoad`" + ` writes them as
  the services do (sealed personal data, blind indexes, day counters, deadlines, search documents, a register event
  in the audit chain, which ` + "`redress audit verify`" + ` then checks). Datasets are kept in ` + "`/tmp/redress-bench`" + `
  (SQLite) or as database ` + "`redress_bench_<size>`" + ` (PostgreSQL) and made again only when missing, when the
  generator changed or with ` + "`BENCH_REGEN=1`" + ` (a schema change is applied to a kept dataset by its migrations, as an
  upgrade would); each run works on a copy.
- **Server**: ` + "`bin/redress serve`" + ` on a free loopback port, measured once its start-up work (the first deadline
  sweep) is done, with API tokens: four sub-branch managers' queues (` + "`GET /api/v1/cases?org=…&status=investigating`" + `),
  search as head office (` + "`GET /api/v1/search?q=…&limit=20`" + `; 2-, 3- and 5+-character queries), the case page
  (` + "`GET /api/v1/cases/{no}`" + ` and ` + "`…/events`" + `, 500 cases across the timeline), the statistics of October 2026
  and of 2026 Q3 bank-wide (` + "`GET /api/v1/stats`" + `, ten requests each, the first cold), intake (` + "`POST /api/v1/cases`" + ` by a
  counter clerk, 2,000 at concurrency 1, then 16), then the export of every case as CSV and as XLSX
  (` + "`GET /api/v1/cases?format=csv|xlsx`" + ` as head office, three runs each: rows per second as the export's audit event
  counts them over the time to the last byte, and the server's peak RSS during it, reset before each run through
  ` + "`/proc/PID/clear_refs`" + `). Reads run one at a time after a warm-up. Peak RSS is the server's VmHWM.
- **Baseline**: single-row inserts of a row about as wide as a case, one per transaction, into a fresh database
  with the server's durability (SQLite: WAL, ` + "`synchronous=FULL`" + `, one shared connection; PostgreSQL:
  ` + "`synchronous_commit=on`" + `), at concurrency 1 and 16, for at least five seconds before and again after the
  server's measurements. Intake is given as a ratio of it.
- **PostgreSQL** runs on the server of ` + "`BENCH_POSTGRES`" + ` or ` + "`REDRESS_TEST_POSTGRES`" + `, or else on a durable
  throwaway cluster of the installed PostgreSQL kept in ` + "`/tmp/redress-bench/postgres-cluster`" + `.
`

// appendTo appends the run to the Markdown file, starting the file with
// its header when it does not exist.
func (rep *report) appendTo(path string) error {
	_, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.WriteFile(path, []byte(benchmarksHeader), 0o644); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("append to %s: %w", path, err)
	}
	if _, err := f.WriteString(rep.markdown()); err != nil {
		f.Close()
		return fmt.Errorf("append to %s: %w", path, err)
	}
	return f.Close()
}

// markdown is the run's section of docs/benchmarks.md.
func (rep *report) markdown() string {
	rows, notes := rep.lines()
	var b strings.Builder
	fmt.Fprintf(&b, "\n## Run of %s: %s cases\n\n", rep.started.UTC().Format("2006-01-02 15:04 UTC"), thousands(int64(rep.cfg.size)))
	f := rep.facts
	fmt.Fprintf(&b, "**Machine.** %s, %d cores, %.1f GiB memory, %s, a 4 KiB write + fsync in %s takes %s (median); %s",
		f.cpu, f.cores, float64(f.memory)/(1<<30), f.kernel, rep.cfg.dir, ms(f.fsync), f.goVersion)
	for _, e := range rep.engines {
		if e.version != "" {
			fmt.Fprintf(&b, "; %s", e.version)
			if e.settings != "" {
				fmt.Fprintf(&b, " (%s)", e.settings)
			}
		}
	}
	b.WriteString(".\n\n")
	fmt.Fprintf(&b, "**Dataset.** %s cases received %s to %s (seed %d, generator v%d)", thousands(int64(rep.cfg.size)),
		datasetStart.Format(time.DateOnly), datasetEnd.AddDate(0, 0, -1).Format(time.DateOnly), rep.cfg.seed, generatorVersion)
	if m := rep.firstMeta(); m != nil {
		fmt.Fprintf(&b, ": %s org units, %s users, %d kinds, %d channels; by status", thousands(m.Orgs+1), thousands(m.Users+1), m.ByKind, m.ByChannel)
		for i, st := range redress.Statuses {
			sep := ","
			if i == 0 {
				sep = ""
			}
			fmt.Fprintf(&b, "%s %s %s", sep, st, thousands(int64(m.ByStatus[st])))
		}
	}
	b.WriteString(".")
	for _, e := range rep.engines {
		if e.meta == nil {
			continue
		}
		how := "kept from " + e.meta.GeneratedAt.Format(time.DateOnly)
		if e.generated {
			how = "generated in this run"
		}
		if len(e.meta.Migrated) > 0 {
			how += "; migrated since: " + strings.Join(e.meta.Migrated, "; ")
		}
		if e.meta.Others >= 0.1 {
			what := "other processes"
			if e.engine == "postgres" {
				what = "other processes, PostgreSQL's own among them,"
			}
			how += fmt.Sprintf("; %s kept %.1f cores busy meanwhile", what, e.meta.Others)
		}
		fmt.Fprintf(&b, " %s: generation took %s, `redress audit verify` %s, %s on disk (%s).", e.engine,
			e.meta.Took.Round(time.Second), e.meta.VerifyTook.Round(100*time.Millisecond), mb(e.meta.Bytes), how)
		if e.settled >= time.Second {
			fmt.Fprintf(&b, " The server's start-up work (the first deadline sweep) took %s.", e.settled.Round(100*time.Millisecond))
		}
	}
	b.WriteString("\n\n**Commands.**\n\n```sh\n")
	fmt.Fprintf(&b, "%s\n", rep.command())
	b.WriteString("```\n\n")
	b.WriteString("| engine | measurement | p50 | p99 | rate | server CPU / request | target | met? |\n|---|---|---:|---:|---:|---:|---|---|\n")
	for _, l := range rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", l.engine, l.name, l.p50, l.p99, l.rate, l.cpu, l.target, l.met)
	}
	if len(notes) > 0 {
		b.WriteString("\n")
		for _, n := range notes {
			fmt.Fprintf(&b, "- %s\n", n)
		}
	}
	fmt.Fprintf(&b, "\nThe whole run took %s.\n", rep.took.Round(time.Second))
	return b.String()
}

func (rep *report) firstMeta() *datasetMeta {
	for _, e := range rep.engines {
		if e.meta != nil {
			return e.meta
		}
	}
	return nil
}

// command is how this run was started.
func (rep *report) command() string {
	var env []string
	for _, name := range []string{"BENCH_SIZE", "BENCH_REGEN", "BENCH_REQUESTS", "BENCH_READS", "BENCH_SEED", "BENCH_DIR"} {
		if v := os.Getenv(name); v != "" {
			env = append(env, name+"="+v)
		}
	}
	if os.Getenv("BENCH_POSTGRES") != "" {
		env = append(env, "BENCH_POSTGRES=…")
	}
	prefix := strings.Join(env, " ")
	if prefix != "" {
		prefix += " "
	}
	return strings.TrimSpace(fmt.Sprintf("%smake bench    # runs: %s", prefix, strings.Join(append([]string{"bin/bench"}, rep.cfg.args...), " ")))
}

// thousands formats n with thousands separators.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
