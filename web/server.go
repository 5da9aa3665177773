// Package web serves Redress over HTTP: the JSON API under /api/v1 and the
// staff pages on one handler, and the public handler where the customer
// portal will live. Handlers parse, make one service call and render; every
// rule lives in the services.
//
// Each noun has one file with its API operations and its pages (case.go,
// case_page.go, intake.go, workbench.go, org.go, user.go, ...), each
// contributing its routes to the route table that NewServer registers and
// that the OpenAPI document is derived from.
package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"redress"
)

// Services are what the server calls; cmd/redress wires the sqldb ones.
type Services struct {
	Cases    redress.CaseService
	Orgs     redress.OrgService
	Users    redress.UserService
	Tokens   redress.TokenService
	Sessions redress.SessionService
	Codes    redress.CodeService
	Audit    redress.AuditService
	// Deadlines computes due dates and edits the holiday calendar.
	Deadlines redress.DeadlineService
	// Stats computes statistics over the cases in scope.
	Stats redress.StatsService
	// Exports records every export of a list or report in the audit trail.
	Exports redress.ExportService
	// Assessment computes the staff assessment (考核) and keeps its scheme.
	Assessment redress.AssessmentService
	// Reports makes the regulator's forms and keeps the units' outlet and
	// customer counts.
	Reports redress.ReportService
	// UnitReports keeps the units' monthly reports to their superiors.
	UnitReports redress.UnitReportService
	// Corrective keeps the corrective actions (整改).
	Corrective redress.CorrectiveService
	// OpinionBook keeps the customer opinion book's daily checks.
	OpinionBook redress.OpinionBookService
	// Lost keeps the lost-property register.
	Lost redress.LostService
	// Training keeps the training register (培训记录).
	Training redress.TrainingService
	// Incidents keeps the emergency incidents (突发事件) and plans (应急预案).
	Incidents redress.IncidentService
	// Reception keeps the reception log (来访接待登记).
	Reception redress.ReceptionService
	// Referrals keeps the cases' referrals beyond the bank.
	Referrals redress.ReferralService
	// Retention keeps the retention periods and legal holds, and runs the
	// retention job and erasures.
	Retention redress.RetentionService
	// Search finds cases by number, name or text.
	Search redress.SearchService
	// Evidence keeps the files of cases.
	Evidence redress.EvidenceService
	// Metrics serves the metrics (package prom) at /metrics to an admin; nil:
	// the server keeps none. Requests hears of every answered request.
	Metrics  http.Handler
	Requests RequestObserver
	// Notifications lists and acknowledges the acting user's in-app notifications.
	Notifications redress.NotificationService
	Ping          func(ctx context.Context) error // the database answers
	// Now is the clock of the pages and handlers (today's date, the
	// defaults of the forms); nil is time.Now. cmd/redress passes the
	// store's clock so that both agree.
	Now func() time.Time
	// DueSoonDays is the due-soon window in working days, the same setting
	// the deadline sweep uses (REDRESS_DUE_SOON_DAYS); 0 is
	// redress.DefaultDueSoonDays.
	DueSoonDays int
	// ReturnVisits keeps the return-visit policy and the SMS survey (回访).
	ReturnVisits redress.ReturnVisitService
	// Notices sends the notices to customers and keeps their proof.
	Notices redress.CustomerNoticeService
	// Repeats finds repeat complaints and merges them (repeat.go); Archive
	// answers an archived file as it was at closing (archive.go).
	Repeats redress.RepeatService
	Archive redress.ArchiveService
	// Settings keeps the small admin records the pages print (the mediation
	// body of the decision letter); nil prints none.
	Settings redress.SettingsService
	// SignInLimits are the sign-in rates accepted per client address and per
	// login before answering 429; nil is redress.DefaultSignInLimits.
	SignInLimits *redress.SignInLimits
	// PortalAuth authenticates a customer on the public handler (see
	// PublicHandler); nil refuses every portal route that needs a customer.
	PortalAuth PortalAuth
	// ExportJobs keeps the background exports, whose files go to ExportDir
	// (in the data directory; "" turns background exports off) within
	// ExportJobLimits (nil: redress.DefaultExportJobLimits); the workbench
	// starts one for a list of more than AsyncExportRows cases (0:
	// redress.AsyncExportRows). Server.StartExports sets them going.
	ExportJobs      redress.ExportJobService
	ExportDir       string
	ExportJobLimits *redress.ExportJobLimits
	AsyncExportRows int
	// Imports imports a bank's history (import.go); nil turns the import off.
	Imports redress.ImportService
	// Portal is the customer portal's store (portal.go); nil serves no
	// portal. When PortalAuth is nil, the portal's session cookie signs the
	// customer in through it.
	Portal redress.PortalService
	// PortalSMS sends the portal's one-time codes (the SMS gateway of
	// notify/); nil sends none (and logs it).
	PortalSMS redress.Sender
	// PortalLimits are the portal's rate limits; nil is
	// redress.DefaultPortalLimits.
	PortalLimits *redress.PortalLimits
	// RateLimits counts the portal's limits for every server on the
	// database, across restarts (sqldb.RateLimits); nil counts them in this
	// server's memory alone.
	RateLimits redress.RateLimiter
	// UI is the pages' templates, messages and static files (ParseUI); nil:
	// NewServer parses its own. Servers of one process may share one.
	UI *UI
}

// UI is what the pages are made of: the parsed templates, the message
// bundle and the static files, all from the embedded files. It is
// read-only once parsed, so several servers may share it: the tests, which
// build a server per test, parse it once instead of for every server
// (about 0.25 s of CPU each).
type UI struct{ ui *ui }

// ParseUI parses the embedded templates and messages.
func ParseUI() (*UI, error) {
	u, err := newUI()
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	return &UI{ui: u}, nil
}

// SessionCookie is the name of the browser session cookie.
const SessionCookie = "redress_session"

// Server is the HTTP front of Redress.
type Server struct {
	svc    Services
	log    *slog.Logger
	now    func() time.Time // the clock: Services.Now, else time.Now
	routes []route          // the staff handler's table: API operations and pages
	mux    *http.ServeMux
	portal []route // the public handler's table
	public *http.ServeMux
	ui     *ui
	// uploads holds a slot per upload being read or held (maxUploads).
	uploads chan struct{}
	signIn  *signInGuard // the sign-in rate limits
	jobs    exportJobs   // the background exports (export_job.go)
	// portalLimits are the portal's rate limits; codeSends holds a slot per
	// one-time code being sent (maxCodeSends).
	portalLimits *portalGuard
	codeSends    chan struct{}
	// imports holds the one slot of an import run (import.go).
	imports chan struct{}
}

// NewServer builds the server, its API routes and its pages, on the UI of
// svc or one it parses. The templates and messages are embedded, so failing
// to parse them is a defect of the build, caught by the tests: it panics, as it does for a route table that
// mixes staff and portal routes.
func NewServer(svc Services, log *slog.Logger) *Server {
	pages := svc.UI
	if pages == nil {
		parsed, err := ParseUI()
		if err != nil {
			panic(err.Error())
		}
		pages = parsed
	}
	s := &Server{svc: svc, log: log, now: svc.Now, mux: http.NewServeMux(), public: http.NewServeMux(), ui: pages.ui}
	if s.now == nil {
		s.now = time.Now
	}
	s.uploads = make(chan struct{}, maxUploads)
	s.imports = make(chan struct{}, 1)
	limits := redress.DefaultSignInLimits()
	if svc.SignInLimits != nil {
		limits = *svc.SignInLimits
	}
	s.signIn = newSignInGuard(limits)
	s.jobs = exportJobs{dir: svc.ExportDir, limits: redress.DefaultExportJobLimits(), rows: redress.AsyncExportRows}
	if svc.ExportJobLimits != nil {
		s.jobs.limits = *svc.ExportJobLimits
	}
	if svc.AsyncExportRows > 0 {
		s.jobs.rows = svc.AsyncExportRows
	}
	portalLimits := redress.DefaultPortalLimits()
	if svc.PortalLimits != nil {
		portalLimits = *svc.PortalLimits
	}
	s.portalLimits, s.codeSends = newPortalGuard(portalLimits, svc.RateLimits), make(chan struct{}, maxCodeSends)
	if s.svc.PortalAuth == nil && s.svc.Portal != nil {
		s.svc.PortalAuth = s.portalCookieAuth
	}
	s.routes = s.routeTable()
	for _, rt := range s.routes {
		s.mux.Handle(rt.pattern(), s.observed(rt, s.staffHandler(rt)))
	}
	s.mux.Handle("/api/", s.endpoint(route{access: apiPublic, handle: func(w http.ResponseWriter, r *http.Request) error {
		return redress.Errorf(redress.ENOTFOUND, "no API operation %s %s", r.Method, r.URL.Path)
	}}))
	s.portal = s.portalRoutes()
	for _, rt := range s.portal {
		s.public.Handle(rt.pattern(), s.observed(rt, s.portalHandler(rt)))
	}
	s.public.Handle("/", s.portalHandler(route{access: portalPublic, handle: func(w http.ResponseWriter, r *http.Request) error {
		return redress.Errorf(redress.ENOTFOUND, "no page %s %s", r.Method, r.URL.Path)
	}}))
	return s
}

// routeTable gathers the routes of every noun: its API operations and its pages.
func (s *Server) routeTable() []route {
	return slices.Concat(
		s.healthRoutes(), s.openAPIRoutes(), s.staticRoutes(), s.assetRoutes(), s.langRoutes(),
		s.sessionRoutes(), s.workbenchRoutes(), s.intakeRoutes(), s.caseRoutes(), s.actionRoutes(), s.casePageRoutes(),
		s.evidenceRoutes(), s.searchRoutes(), s.statsRoutes(), s.statsPageRoutes(), s.notificationRoutes(), s.inboxRoutes(), s.deadlineRoutes(), s.calendarRoutes(), s.policyRoutes(),
		s.orgRoutes(), s.userRoutes(), s.accountRoutes(), s.auditPageRoutes(), s.codeRoutes(), s.tokenRoutes(), s.auditRoutes(),
		s.settingsRoutes(), s.reviewRequestRoutes(), // review: the mediation body, a request from any unit
		s.assessmentRoutes(),                                         // the staff assessment (考核)
		s.reportRoutes(), s.unitCountsRoutes(), s.unitReportRoutes(), // the regulator's forms, the units' counts, the monthly reports
		s.correctiveRoutes(), s.registerRoutes(), s.opinionBookRoutes(), s.lostRoutes(), // corrective actions (整改), the branch's registers
		s.returnVisitRoutes(),    // return visits (回访): the policy, the survey link
		s.customerNoticeRoutes(), // notices to the customer with their proof
		s.exportJobRoutes(),      // background exports
		s.referralRoutes(),       // referrals to mediation, arbitration or a court
		s.trainingRoutes(),       // training records (培训记录)
		s.registersHubRoutes(),   // the registers' index (网点台账)
		s.metricsRoutes(),        // the metrics (Prometheus), to an admin
		s.caseFileRoutes(),       // the case file (卷宗): one ZIP for a court, the regulator or the archive
		s.incidentRoutes(),       // emergency incidents and the emergency plans
		s.retentionRoutes(),      // retention, legal holds, erasure
		s.repeatRoutes(),         // repeat complaints and merges, the archived file
		s.importRoutes(),         // the import of a bank's history
		s.receptionRoutes(),      // the reception log (来访接待登记) and its visitor registration
	)
}

// Handler returns the staff handler, the API and the pages, with its
// middleware. Cross-site state-changing requests from browsers are refused
// before anything else (http.CrossOriginProtection reads Sec-Fetch-Site and
// Origin); API clients that send neither, like curl or an integration, are
// unaffected.
func (s *Server) Handler() http.Handler {
	return s.middleware(s.log, s.mux)
}
