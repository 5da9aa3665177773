package web

import (
	"net/http"
	"strconv"
	"strings"

	"redress"
	"redress/export"
)

// trainingRoutes are the training register (培训记录): the API and the pages.
func (s *Server) trainingRoutes() []route {
	return []route{
		{method: "GET", path: "/api/v1/training/sessions", summary: "The training register in the caller's scope, newest first (at most 1,000 sessions; staff: the sessions they are on)",
			query: []param{{"org", "string", "the unit that held it, with its subtree (default: the caller's scope)"},
				{"status", "string", "planned or held"}, {"topic", "string", "one topic: service_skills, business_knowledge, communication, dispute_resolution, complaint_rules, consumer_protection, privacy, emergency, other"},
				{"from", "string", "held on or after, YYYY-MM-DD"}, {"to", "string", "held on or before, YYYY-MM-DD"},
				{"login", "string", "only sessions with this person on the roster"},
				{"format", "string", "json (default), or csv or xlsx: the sessions and their attendance as a file (also by Accept)"}},
			out: listAnswer[redress.TrainingSession]{}, handle: s.handleTrainingList},
		{method: "POST", path: "/api/v1/training/sessions", summary: "Plan a training session: the unit, title, topics, day, hours, trainer, form, pass mark and roster (managers, branch heads, head office)",
			status: http.StatusCreated, body: redress.NewTrainingSession{}, out: redress.TrainingSession{}, handle: s.handleTrainingPlan},
		{method: "GET", path: "/api/v1/training/sessions/{id}", summary: "One training session with its roster, attendance and scores",
			out: redress.TrainingSession{}, handle: s.handleTrainingView},
		{method: "POST", path: "/api/v1/training/sessions/{id}/attendance", summary: "Record, at the version seen, who on the roster attended and their test scores (on or after the session's day)",
			body: redress.TrainingAttendance{}, out: redress.TrainingSession{}, handle: s.handleTrainingAttendance},
		{method: "GET", path: "/registers/training", access: pageAuth, handle: s.handleTrainingPage},
		{method: "POST", path: "/registers/training", access: pageAuth, handle: s.handleTrainingPlanSubmit},
		{method: "GET", path: "/registers/training/{id}", access: pageAuth, handle: s.handleTrainingSessionPage},
		{method: "POST", path: "/registers/training/{id}/attendance", access: pageAuth, handle: s.handleTrainingAttendanceSubmit},
	}
}

// trainingID reads the {id} of a path: a number or a reference PX-000012.
func trainingID(r *http.Request) (int64, error) {
	id, ok := redress.ParseTrainingRef(r.PathValue("id"))
	if !ok {
		return 0, redress.Errorf(redress.ENOTFOUND, "training session %q not found", r.PathValue("id"))
	}
	return id, nil
}

func trainingFilterFrom(r *http.Request) redress.TrainingFilter {
	q := r.URL.Query()
	return redress.TrainingFilter{Org: q.Get("org"), Status: redress.TrainingStatus(q.Get("status")), Topic: redress.TrainingTopic(q.Get("topic")),
		From: q.Get("from"), To: q.Get("to"), Login: q.Get("login")}
}

func (s *Server) handleTrainingList(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.Training.TrainingSessions(r.Context(), trainingFilterFrom(r))
	if err != nil {
		return err
	}
	format, err := exportFormat(r)
	if err != nil {
		return err
	}
	if format != "" {
		return s.exportTraining(w, r, format, list)
	}
	writeJSON(w, http.StatusOK, listAnswer[redress.TrainingSession]{Items: derefAll(list)})
	return nil
}

func (s *Server) handleTrainingPlan(w http.ResponseWriter, r *http.Request) error {
	var n redress.NewTrainingSession
	if err := readJSON(w, r, &n); err != nil {
		return err
	}
	t, err := s.svc.Training.PlanTraining(r.Context(), n)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, t)
	return nil
}

func (s *Server) handleTrainingView(w http.ResponseWriter, r *http.Request) error {
	id, err := trainingID(r)
	if err != nil {
		return err
	}
	t, err := s.svc.Training.Training(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}

func (s *Server) handleTrainingAttendance(w http.ResponseWriter, r *http.Request) error {
	id, err := trainingID(r)
	if err != nil {
		return err
	}
	var a redress.TrainingAttendance
	if err := readJSON(w, r, &a); err != nil {
		return err
	}
	t, err := s.svc.Training.RecordAttendance(r.Context(), id, a)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}

// trainingPage is what the register's pages show: the list with its filter
// and the planning form, or one session with its sign-in sheet.
type trainingPage struct {
	Sessions []*redress.TrainingSession
	Filter   redress.TrainingFilter
	Units    []*redress.OrgUnit
	People   []*redress.User
	Topics   []redress.TrainingTopic
	Forms    []redress.TrainingForm
	Statuses []redress.TrainingStatus
	Session  *redress.TrainingSession
	Today    string
	MayPlan  bool
	PassMark int
}

func (s *Server) handleTrainingPage(w http.ResponseWriter, r *http.Request) error {
	return s.trainingPage(w, r, &pageData{})
}

func (s *Server) trainingPage(w http.ResponseWriter, r *http.Request, d *pageData) error {
	u, err := redress.RequireUser(r.Context())
	if err != nil {
		return err
	}
	p := &trainingPage{Filter: trainingFilterFrom(r), Topics: redress.TrainingTopics, Forms: redress.TrainingForms,
		Statuses: redress.TrainingStatuses, MayPlan: u.Role.PlansTraining(),
		Today: redress.Today(s.now()), PassMark: redress.TrainingPassMark}
	if p.MayPlan {
		if err := s.trainingChoices(r, u, p); err != nil {
			return err
		}
	}
	p.Sessions, err = s.svc.Training.TrainingSessions(r.Context(), p.Filter)
	if code := redress.ErrorCode(err); code == redress.EINVALID && d.Error == "" {
		d.Error, d.Fields = pageMessage(err), pageFields(err)
	} else if err != nil && code != redress.EINVALID {
		return err
	}
	d.Title, d.Data = "training.title", p
	s.render(w, r, http.StatusOK, "training", d)
	return nil
}

// trainingChoices fills the units a planner may hold a session in and the
// people they may put on its roster: active case staff in their scope.
func (s *Server) trainingChoices(r *http.Request, u *redress.User, p *trainingPage) error {
	orgs, err := s.svc.Orgs.ListOrgs(r.Context())
	if err != nil {
		return err
	}
	for _, o := range orgs {
		if redress.InSubtree(o.Path, u.OrgPath) {
			p.Units = append(p.Units, o)
		}
	}
	people, err := s.svc.Users.ListUsers(r.Context(), redress.UserFilter{})
	if err != nil {
		return err
	}
	for _, person := range people {
		if !person.Disabled && person.Role.ReadsCases() && person.Role != redress.RoleAuditor {
			p.People = append(p.People, person)
		}
	}
	return nil
}

func (s *Server) handleTrainingPlanSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	n := redress.NewTrainingSession{Org: f.Get("org"), Title: f.Get("title"), HeldOn: f.Get("held_on"), Trainer: f.Get("trainer"),
		Form: redress.TrainingForm(f.Get("form")), Notes: f.Get("notes"), Attendees: f["attendees"]}
	for _, t := range f["topics"] {
		n.Topics = append(n.Topics, redress.TrainingTopic(t))
	}
	n.Hours = -1 // a missing or unreadable length is refused by the root
	if h, err := strconv.ParseFloat(strings.TrimSpace(f.Get("hours")), 64); err == nil {
		n.Hours = h
	}
	if v := strings.TrimSpace(f.Get("pass_mark")); v != "" {
		mark := -1
		if m, err := strconv.Atoi(v); err == nil {
			mark = m
		}
		n.PassMark = &mark
	}
	t, err := s.svc.Training.PlanTraining(r.Context(), n)
	back := "/registers/training"
	if err == nil {
		back += "/" + t.Ref
	}
	return s.afterPost(w, r, err, back, func(d *pageData) error { return s.trainingPage(w, r, d) })
}

func (s *Server) handleTrainingSessionPage(w http.ResponseWriter, r *http.Request) error {
	return s.trainingSessionPage(w, r, &pageData{})
}

func (s *Server) trainingSessionPage(w http.ResponseWriter, r *http.Request, d *pageData) error {
	u, err := redress.RequireUser(r.Context())
	if err != nil {
		return err
	}
	id, err := trainingID(r)
	if err != nil {
		return err
	}
	t, err := s.svc.Training.Training(r.Context(), id)
	if err != nil {
		return err
	}
	d.Title, d.Data = "training.session", &trainingPage{Session: t, MayPlan: u.Role.PlansTraining() && t.HeldOn <= redress.Today(s.now())}
	if s.svc.Settings != nil {
		if d.Bank, err = s.svc.Settings.BankProfile(r.Context()); err != nil {
			return err
		}
	}
	s.render(w, r, http.StatusOK, "training_session", d)
	return nil
}

func (s *Server) handleTrainingAttendanceSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := trainingID(r)
	if err != nil {
		return err
	}
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	version, _ := strconv.Atoi(f.Get("version"))
	a := redress.TrainingAttendance{Version: version}
	came := map[string]bool{}
	for _, login := range f["attended"] {
		came[login] = true
	}
	for _, login := range f["roster"] {
		rec := redress.AttendanceRecord{Login: login, Attended: came[login]}
		if v := strings.TrimSpace(f.Get("score_" + login)); v != "" {
			score := -1
			if n, err := strconv.Atoi(v); err == nil {
				score = n
			}
			rec.Score = &score
		}
		a.Attendees = append(a.Attendees, rec)
	}
	_, err = s.svc.Training.RecordAttendance(r.Context(), id, a)
	return s.afterPost(w, r, err, "/registers/training/"+redress.TrainingRef(id), func(d *pageData) error { return s.trainingSessionPage(w, r, d) })
}

// exportTraining streams the register: a sheet of sessions and one of every
// seat with its attendance and score.
func (s *Server) exportTraining(w http.ResponseWriter, r *http.Request, f export.Format, list []*redress.TrainingSession) error {
	t := newT(s.ui.bundle, pageLang(r))
	topics := func(ts []redress.TrainingTopic) string {
		names := make([]string, len(ts))
		for i, topic := range ts {
			names[i] = t.Label("training_topic", topic)
		}
		return strings.Join(names, "、")
	}
	return s.streamExport(w, r, f, "training", redress.ExportRecord{What: redress.ExportTraining, Filter: r.URL.RawQuery},
		func(ew export.Writer) (int, error) {
			rows := 0
			if err := ew.Table(t.Get("training.sessions"), []export.Column{{Title: t.Get("training.ref")}, {Title: t.Get("training.held_on"), Kind: export.Date},
				{Title: t.Get("field.org"), Width: 20}, {Title: t.Get("training.title_field"), Width: 30}, {Title: t.Get("training.topics"), Width: 30},
				{Title: t.Get("training.hours"), Kind: export.Amount}, {Title: t.Get("training.trainer")}, {Title: t.Get("training.form")},
				{Title: t.Get("field.status")}, {Title: t.Get("training.roster"), Kind: export.Int}, {Title: t.Get("training.attended"), Kind: export.Int},
				{Title: t.Get("training.passed"), Kind: export.Int}}); err != nil {
				return rows, err
			}
			for _, session := range list {
				came, passed := 0, 0
				for _, seat := range session.Attendees {
					if seat.Attended {
						came++
					}
					if seat.Passed {
						passed++
					}
				}
				if err := ew.Row(session.Ref, session.HeldOn, session.OrgName, session.Title, topics(session.Topics),
					strconv.FormatFloat(session.Hours, 'f', 2, 64), session.Trainer, t.Label("training_form", session.Form),
					t.Label("training_status", session.Status), len(session.Attendees), came, passed); err != nil {
					return rows, err
				}
				rows++
			}
			if err := ew.Table(t.Get("training.seats"), []export.Column{{Title: t.Get("training.ref")}, {Title: t.Get("training.held_on"), Kind: export.Date},
				{Title: t.Get("training.title_field"), Width: 30}, {Title: t.Get("assessment.person"), Width: 14}, {Title: t.Get("field.login"), Width: 14},
				{Title: t.Get("field.org")}, {Title: t.Get("training.attended")}, {Title: t.Get("training.score"), Kind: export.Int},
				{Title: t.Get("training.passed")}}); err != nil {
				return rows, err
			}
			for _, session := range list {
				for _, seat := range session.Attendees {
					var score any
					if seat.Score != nil {
						score = *seat.Score
					}
					if err := ew.Row(session.Ref, session.HeldOn, session.Title, seat.Name, seat.Login, seat.Org,
						yesNoText(t, seat.Attended), score, yesNoText(t, seat.Passed)); err != nil {
						return rows, err
					}
					rows++
				}
			}
			return rows, nil
		})
}
