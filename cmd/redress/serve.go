package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"redress"
	"redress/jobs"
	"redress/notify"
	"redress/prom"
	"redress/sqldb"
	"redress/web"
)

func cmdServe(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	if err := cfg.readNotifyEnv(os.Getenv); err != nil {
		return err
	}
	if err := cfg.readSignInEnv(os.Getenv); err != nil {
		return err
	}
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "listen address (REDRESS_ADDR)")
	portalAddr := envOr("REDRESS_PORTAL_ADDR", "")
	fs.StringVar(&portalAddr, "portal-addr", portalAddr, "listen address of the public handler, for the customer portal; empty: not served (REDRESS_PORTAL_ADDR)")
	metricsAddr := envOr("REDRESS_METRICS_ADDR", "")
	fs.StringVar(&metricsAddr, "metrics-addr", metricsAddr, "loopback listen address of the operators' handler: /metrics and /debug/pprof/, to an admin; empty: not served (REDRESS_METRICS_ADDR)")
	memoryLimit := envOr("REDRESS_MEMORY_LIMIT", "85")
	fs.StringVar(&memoryLimit, "memory-limit", memoryLimit, "soft limit of the Go heap in MiB, which the garbage collector keeps to (SQLite's page caches come on top); 0: none; GOMEMLIMIT, when set, wins (REDRESS_MEMORY_LIMIT)")
	fs.DurationVar(&cfg.SweepInterval, "sweep-interval", cfg.SweepInterval, "how often to sweep the deadlines (REDRESS_SWEEP_INTERVAL)")
	fs.IntVar(&cfg.DueSoonDays, "due-soon-days", cfg.DueSoonDays, "due-soon window in working days (REDRESS_DUE_SOON_DAYS)")
	fs.IntVar(&cfg.HashMemoryMiB, "hash-memory", cfg.HashMemoryMiB, "MiB the password hashes running at once may take, 64 MiB each (REDRESS_HASH_MEMORY)")
	fs.IntVar(&cfg.SignInsPerAddress, "signins-per-address", cfg.SignInsPerAddress, "sign-in attempts a minute per client address; 0: no limit (REDRESS_SIGNINS_PER_ADDRESS)")
	fs.IntVar(&cfg.SignInsPerLogin, "signins-per-login", cfg.SignInsPerLogin, "sign-in attempts a minute per login; 0: no limit (REDRESS_SIGNINS_PER_LOGIN)")
	cfg.bindStorage(fs)
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if err := cfg.checkJobs(); err != nil {
		return err
	}
	if err := cfg.checkSignIn(); err != nil {
		return err
	}
	if err := checkLoopback(metricsAddr); err != nil {
		return err
	}
	if err := applyMemoryLimit(memoryLimit); err != nil {
		return err
	}
	cfg.resolve()
	log := newLogger(stderr)
	db, err := openDB(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	// Held shared while serving: a command that replaces a SQLite file (the
	// demo's load) refuses while a server runs on it, and a server does not
	// start while one does.
	lock, err := lockDatabase(cfg.DB, false)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer lock.Release()
	db.SetHashMemory(int64(cfg.HashMemoryMiB) << 20)
	password, err := db.Bootstrap(ctx, cfg.AdminPassword)
	if err != nil {
		return err
	}
	if password != "" && cfg.AdminPassword == "" {
		fmt.Fprintf(stdout, "Created user admin with password %s (shown once; change it after signing in)\n", password)
	}
	exports := sqldb.NewExportService(db)
	metrics := prom.New(db)
	db.SetBatchObserver(metrics)
	var portalSMS redress.Sender // the portal's one-time codes go through the bank's SMS gateway
	if cfg.SMS.URL != "" {
		sms, err := notify.NewSMSSender(cfg.SMS)
		if err != nil {
			return err
		}
		portalSMS = sms
	}
	server := web.NewServer(web.Services{
		Portal:        sqldb.NewPortalService(db),
		PortalSMS:     portalSMS,
		DueSoonDays:   cfg.DueSoonDays,
		SignInLimits:  cfg.signInLimits(),
		Cases:         sqldb.NewCaseService(db),
		Orgs:          sqldb.NewOrgService(db),
		Users:         sqldb.NewUserService(db),
		Tokens:        sqldb.NewTokenService(db),
		Sessions:      sqldb.NewSessionService(db),
		Deadlines:     sqldb.NewDeadlineService(db),
		Evidence:      sqldb.NewEvidenceService(db),
		Settings:      sqldb.NewSettingsService(db),
		ReturnVisits:  sqldb.NewReturnVisitService(db),
		Notices:       sqldb.NewCustomerNoticeService(db),
		RateLimits:    sqldb.NewRateLimits(db), // the portal's limits, shared by every server on the database
		Search:        sqldb.NewSearchService(db),
		Stats:         sqldb.NewStatsService(db),
		Reports:       sqldb.NewReportService(db),
		UnitReports:   sqldb.NewUnitReportService(db),
		Corrective:    sqldb.NewCorrectiveService(db),
		OpinionBook:   sqldb.NewOpinionBookService(db),
		Lost:          sqldb.NewLostService(db),
		Incidents:     sqldb.NewIncidentService(db),
		Reception:     sqldb.NewReceptionService(db),
		Referrals:     sqldb.NewReferralService(db),
		Training:      sqldb.NewTrainingService(db),
		Retention:     sqldb.NewRetentionService(db),
		Repeats:       sqldb.NewRepeatService(db),
		Archive:       sqldb.NewArchiveService(db),
		Exports:       exports,
		ExportJobs:    exports,
		Imports:       sqldb.NewImportService(db),
		ExportDir:     filepath.Join(cfg.Data, "exports"), // background exports' files, 0700
		Assessment:    sqldb.NewAssessmentService(db),
		Codes:         sqldb.NewCodeService(db),
		Audit:         sqldb.NewAuditService(db),
		Notifications: sqldb.NewNotificationService(db),
		Ping:          db.Ping,
		Now:           db.Now,
		Metrics:       metrics.Handler(),
		Requests:      metrics,
	}, log)
	// Background exports: jobs the last run left running are marked failed;
	// expired files are deleted every 10 minutes.
	if err := server.StartExports(ctx, 10*time.Minute); err != nil {
		return err
	}
	listener, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	servers := []*http.Server{newHTTPServer(server.Handler())}
	listeners := []net.Listener{listener}
	if portalAddr != "" {
		portal, err := net.Listen("tcp", portalAddr)
		if err != nil {
			listener.Close()
			return fmt.Errorf("listen on the portal address: %w", err)
		}
		servers = append(servers, newHTTPServer(server.PublicHandler()))
		listeners = append(listeners, portal)
	}
	if metricsAddr != "" {
		ops, err := net.Listen("tcp", metricsAddr)
		if err != nil {
			for _, l := range listeners {
				l.Close()
			}
			return fmt.Errorf("listen on the metrics address: %w", err)
		}
		opsServer := newHTTPServer(server.OpsHandler())
		opsServer.WriteTimeout = 0 // a CPU profile or trace runs as long as it is asked to (seconds=)
		servers = append(servers, opsServer)
		listeners = append(listeners, ops)
		fmt.Fprintf(stdout, "Redress is serving /metrics and /debug/pprof/ at http://%s\n", ops.Addr())
	}
	go reloadKeysOnChange(ctx, db, cfg.KeyFile, log)
	jobsCtx, stopJobs := context.WithCancel(ctx)
	waitJobs, err := startJobs(jobsCtx, cfg, db, log, metrics)
	if err != nil {
		stopJobs()
		return err
	}
	defer func() { stopJobs(); waitJobs() }() // before the database closes
	fmt.Fprintf(stdout, "Redress is serving http://%s (database %s)\n", listener.Addr(), sqldb.RedactDSN(cfg.DB))
	if len(listeners) > 1 {
		fmt.Fprintf(stdout, "Redress is serving the public handler (customer portal) at http://%s\n", listeners[1].Addr())
	}
	errc := make(chan error, len(servers))
	for i, srv := range servers {
		go func() { errc <- srv.Serve(listeners[i]) }()
	}
	var serveErr error
	select {
	case err := <-errc:
		serveErr = fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for _, srv := range servers {
		if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) && serveErr == nil {
			serveErr = fmt.Errorf("shutdown: %w", err)
		}
	}
	if serveErr != nil {
		return serveErr
	}
	fmt.Fprintln(stdout, "Redress stopped")
	return nil
}

// observeJob is a job loop's observer that records its runs in the metrics.
func observeJob(metrics *prom.Metrics, job string) func(time.Duration, error) {
	return func(took time.Duration, err error) { metrics.ObserveJob(job, took, err) }
}

// checkLoopback refuses a metrics address that is not on the loopback
// interface: the profiles and the metrics are for the operators on the
// host, never for the network ("" is no address).
func checkLoopback(addr string) error {
	if addr == "" {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%w: --metrics-addr %q: want host:port on the loopback interface (127.0.0.1:9090)", errUsage, addr)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("%w: --metrics-addr %q is not a loopback address: the metrics and profiles are served on 127.0.0.1 or ::1 only", errUsage, addr)
	}
	return nil
}

// newHTTPServer is an http.Server for h with the limits every listener keeps.
func newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
}

// reloadKeysOnChange reads the key file again whenever it changes, so that a
// server that only seals new data also moves to a key version added by
// `redress keys rotate` (a server that meets an unknown version reloads at once).
func reloadKeysOnChange(ctx context.Context, db *sqldb.DB, path string, log *slog.Logger) {
	modified := func() time.Time {
		info, err := os.Stat(path)
		if err != nil {
			return time.Time{}
		}
		return info.ModTime()
	}
	last := modified()
	ticker := time.NewTicker(10 * time.Second)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			if m := modified(); !m.Equal(last) {
				if err := db.ReloadKeys(); err != nil {
					log.Error("reload key file", "error", err.Error())
					continue
				}
				last = m
				log.Info("reloaded the key file", "path", path)
			}
		}
	}
}

// startJobs starts the background jobs: the deadline sweep always, and the
// outbox when e-mail or SMS is configured (in-app notifications need no
// sender). It returns a function that waits for them to stop once ctx ends.
func startJobs(ctx context.Context, cfg Config, db *sqldb.DB, log *slog.Logger, metrics *prom.Metrics) (func(), error) {
	senders := map[redress.NotifyChannel]redress.Sender{}
	if cfg.Email.Host != "" {
		email, err := notify.NewEmailSender(cfg.Email)
		if err != nil {
			return nil, err
		}
		senders[redress.NotifyEmail] = email
	}
	if cfg.SMS.URL != "" {
		sms, err := notify.NewSMSSender(cfg.SMS)
		if err != nil {
			return nil, err
		}
		senders[redress.NotifySMS] = sms
	}
	channels := make([]redress.NotifyChannel, 0, len(senders))
	names := []string{string(redress.NotifyInApp)}
	for ch := range senders {
		channels = append(channels, ch)
		names = append(names, string(ch))
	}
	sort.Slice(channels, func(i, j int) bool { return channels[i] < channels[j] })
	sort.Strings(names[1:])
	opts := sqldb.SweepOptions{DueSoonDays: cfg.DueSoonDays, Calendars: db.Calendars, Channels: channels, BaseURL: cfg.BaseURL, OpinionBooks: true}
	sweep := jobs.NewSweep(jobs.SweepFunc(func(ctx context.Context, now time.Time) (*redress.SweepReport, error) {
		return db.Sweep(ctx, now, opts)
	}), cfg.SweepInterval, db.Now, log)
	sweep.Observe = observeJob(metrics, "sweep")
	var wg sync.WaitGroup
	wg.Go(func() { sweep.Run(ctx) })
	if len(senders) > 0 {
		outbox := jobs.NewOutbox(db, senders, db.Now, log)
		outbox.Observe = observeJob(metrics, "outbox")
		wg.Go(func() { outbox.Run(ctx) })
		// The customers' SMS notices go through the same loop and senders,
		// from their own table: the delivery result is each notice's proof.
		customers := jobs.NewOutbox(sqldb.NewCustomerOutbox(db), senders, db.Now, log)
		customers.Observe = observeJob(metrics, "customer_outbox")
		wg.Go(func() { customers.Run(ctx) })
	}
	log.Info("sign-in limits", slog.Int("hash_slots", db.HashSlots()), slog.Int("per_address_a_minute", cfg.SignInsPerAddress),
		slog.Int("per_login_a_minute", cfg.SignInsPerLogin))
	log.Info("background jobs started", slog.Duration("sweep_interval", cfg.SweepInterval),
		slog.Int("due_soon_days", cfg.DueSoonDays), slog.String("notify", strings.Join(names, ",")))
	return wg.Wait, nil
}

// applyMemoryLimit sets the Go heap's soft limit to mib MiB (0: none),
// unless GOMEMLIMIT sets it already. Without one the heap may grow to twice
// what is live before a collection: under 32 concurrent requests the server
// reached 170-280 MB, against the 150 MB it is meant to stay under. The
// default, 85 MiB, held it at 129 MB through the statistics and the exports
// of 1,000,000 cases (100 MiB let it reach 162 MB); a lower limit makes the
// collector work harder while an XLSX export holds its 16 MB chunk.
func applyMemoryLimit(mib string) error {
	n, err := strconv.Atoi(mib)
	if err != nil || n < 0 || n > 1<<20 {
		return fmt.Errorf("%w: --memory-limit %q: want MiB, 0 to 1048576", errUsage, mib)
	}
	if os.Getenv("GOMEMLIMIT") != "" || n == 0 {
		return nil
	}
	debug.SetMemoryLimit(int64(n) << 20)
	return nil
}
