package web

import (
	"net/http"
	"strings"
	"time"

	"redress"
	"redress/export"
)

// The branch's registers as files (CSV or XLSX, through package export):
// each shows what its page shows, in the page's language, and each export
// is an audit event (streamExport).

// maxRegisterExport bounds the corrective actions one export pages through.
const maxRegisterExport = 10000

// exportLost streams the lost-property register: each item with where and
// when it was found, where it is kept, its tracing and how it was closed
// (the receiver's ID number masked, as on the page).
func (s *Server) exportLost(w http.ResponseWriter, r *http.Request, f export.Format, items []*redress.LostItem) error {
	t := newT(s.ui.bundle, pageLang(r))
	cols := []export.Column{{Title: t.Get("lost.ref")}, {Title: t.Get("register.outlet"), Width: 16}, {Title: t.Get("lost.found_at"), Kind: export.DateTime},
		{Title: t.Get("lost.description"), Width: 30}, {Title: t.Get("lost.place"), Width: 16}, {Title: t.Get("lost.found_by")},
		{Title: t.Get("lost.cctv_ref")}, {Title: t.Get("lost.kept_at")}, {Title: t.Get("field.status")}, {Title: t.Get("lost.traced"), Width: 30},
		{Title: t.Get("lost.receiver")}, {Title: t.Get("field.id_number"), Width: 20}, {Title: t.Get("lost.closed_note"), Width: 30},
		{Title: t.Get("lost.closed_at"), Kind: export.DateTime}, {Title: t.Get("lost.recorded")}}
	return s.streamExport(w, r, f, "lost-items", redress.ExportRecord{What: redress.ExportLost, Filter: r.URL.RawQuery},
		func(ew export.Writer) (int, error) {
			if err := ew.Table(t.Get("lost.title"), cols); err != nil {
				return 0, err
			}
			for i, l := range items {
				var closed any
				if l.ClosedAt != nil {
					closed = *l.ClosedAt
				}
				if err := ew.Row(l.Ref, l.OrgName, l.FoundAt, l.Description, l.Place, l.FoundBy, l.CCTVRef, l.KeptAt,
					t.Label("lost_status", l.Status), l.Traced, l.ReceiverName, l.ReceiverIDNumber, l.ClosedNote, closed, l.RecordedBy); err != nil {
					return i, err
				}
			}
			return len(items), nil
		})
}

// exportCorrective streams the corrective actions of the filter, every page
// of them (at most maxRegisterExport): each with its problem, measures,
// owner, due date, status and its latest verification.
func (s *Server) exportCorrective(w http.ResponseWriter, r *http.Request, f export.Format, filter redress.CorrectiveFilter) error {
	t := newT(s.ui.bundle, pageLang(r))
	cols := []export.Column{{Title: t.Get("corrective.ref")}, {Title: t.Get("field.org"), Width: 16}, {Title: t.Get("corrective.owner")},
		{Title: t.Get("field.status")}, {Title: t.Get("corrective.overdue")}, {Title: t.Get("corrective.due"), Kind: export.Date},
		{Title: t.Get("corrective.problem"), Width: 30}, {Title: t.Get("corrective.measures"), Width: 30}, {Title: t.Get("field.root_cause_code")},
		{Title: t.Get("corrective.cases"), Width: 24}, {Title: t.Get("corrective.evidence"), Width: 30},
		{Title: t.Get("corrective.verified_at"), Kind: export.DateTime}, {Title: t.Get("corrective.effective")}, {Title: t.Get("corrective.created")}}
	filter.Limit = 200
	return s.streamExport(w, r, f, "corrective-actions", redress.ExportRecord{What: redress.ExportCorrective, Filter: r.URL.RawQuery},
		func(ew export.Writer) (int, error) {
			if err := ew.Table(t.Get("corrective.title"), cols); err != nil {
				return 0, err
			}
			rows := 0
			for rows < maxRegisterExport {
				page, err := s.svc.Corrective.ListCorrective(r.Context(), filter)
				if err != nil {
					return rows, err
				}
				for _, a := range page.Actions {
					var verified any
					effective := ""
					if n := len(a.Verifications); n > 0 {
						last := a.Verifications[n-1]
						verified, effective = last.At, yesNoText(t, last.Effective)
					}
					if err := ew.Row(a.Ref, a.OrgName, a.Owner, t.Label("corrective_status", a.Status), yesNoText(t, a.Overdue), a.Due.String(),
						a.Problem, a.Measures, a.RootCauseCode, strings.Join(a.Cases, " "), a.Evidence, verified, effective, a.CreatedBy); err != nil {
						return rows, err
					}
					rows++
				}
				if page.NextBefore == 0 {
					break
				}
				filter.Before = page.NextBefore
			}
			return rows, nil
		})
}

// exportOpinionRegister streams an outlet's opinion register (意见登记簿) of
// a month as the page prints it: each complaint with its handling, reply
// and the head's sign-off.
func (s *Server) exportOpinionRegister(w http.ResponseWriter, r *http.Request, f export.Format, reg *opinionRegister, people map[string]string) error {
	t := newT(s.ui.bundle, pageLang(r))
	name := func(login string) string {
		if n := people[login]; n != "" {
			return n
		}
		return login
	}
	cols := []export.Column{{Title: t.Get("register.seq"), Kind: export.Int}, {Title: t.Get("field.received_at"), Kind: export.DateTime},
		{Title: t.Get("field.no"), Width: 20}, {Title: t.Get("field.complainant")}, {Title: t.Get("field.channel")}, {Title: t.Get("register.content"), Width: 30},
		{Title: t.Get("register.handling"), Width: 20}, {Title: t.Get("register.reply"), Width: 30}, {Title: t.Get("register.head_sign")},
		{Title: t.Get("field.signed_off_at"), Kind: export.DateTime}}
	return s.streamExport(w, r, f, "opinion-register-"+reg.Org+"-"+reg.Month, redress.ExportRecord{What: redress.ExportOpinionRegister, Filter: r.URL.RawQuery},
		func(ew export.Writer) (int, error) {
			if err := ew.Table(reg.OrgName+" "+t.Get("register.opinion")+" "+reg.Month, cols); err != nil {
				return 0, err
			}
			for i, c := range reg.Rows {
				handling := t.Label("status", c.Status)
				if c.Handler != "" {
					handling += " · " + name(c.Handler)
				}
				reply := ""
				if c.Reply != nil {
					reply = t.Label("outcome", c.Reply.Outcome)
					if c.Reply.Redress != "" {
						reply += "：" + c.Reply.Redress
					}
				}
				signer, signed := "", any(nil)
				if c.SignedOffBy != "" {
					signer = name(c.SignedOffBy)
					if c.SignedOffAt != nil {
						signed = *c.SignedOffAt
					}
				}
				if err := ew.Row(i+1, c.ReceivedAt, c.No, c.Complainant.Name, t.Label("channel", c.Channel), c.Subject, handling, reply,
					signer, signed); err != nil {
					return i, err
				}
			}
			return len(reg.Rows), nil
		})
}

// exportOpinionBook streams the opinion book's checks of the outlets in a
// period: a row per outlet and working day, checked (by whom, what was
// found) or missed.
func (s *Server) exportOpinionBook(w http.ResponseWriter, r *http.Request, f export.Format, outlets []redress.OpinionBookOutlet) error {
	t := newT(s.ui.bundle, pageLang(r))
	cols := []export.Column{{Title: t.Get("register.outlet"), Width: 16}, {Title: t.Get("field.code")}, {Title: t.Get("opinion_book.day"), Kind: export.Date},
		{Title: t.Get("opinion_book.checked")}, {Title: t.Get("opinion_book.checked_by")}, {Title: t.Get("opinion_book.entries"), Width: 40}}
	return s.streamExport(w, r, f, "opinion-book", redress.ExportRecord{What: redress.ExportOpinionBook, Filter: r.URL.RawQuery},
		func(ew export.Writer) (int, error) {
			if err := ew.Table(t.Get("opinion_book.title"), cols); err != nil {
				return 0, err
			}
			rows := 0
			for _, o := range outlets {
				for _, d := range o.Days {
					checked, by, entries := t.Get("opinion_book.missed"), "", []string{}
					if d.Check != nil {
						checked, by = t.Get("opinion_book.checked"), d.Check.CheckedBy
						for _, e := range d.Check.Entries {
							entry := t.Label("opinion_outcome", e.Outcome) + " " + e.Text
							if e.CaseNo != "" {
								entry += " (" + e.CaseNo + ")"
							}
							entries = append(entries, entry)
						}
					}
					if err := ew.Row(o.OrgName, o.Org, d.Day.String(), checked, by, strings.Join(entries, "；")); err != nil {
						return rows, err
					}
					rows++
				}
			}
			return rows, nil
		})
}

// exportIncidents streams the incidents of the filter, every page of them
// (at most maxRegisterExport): a sheet of incidents with their closing
// report, and one of their report chains' steps with who acknowledged when.
func (s *Server) exportIncidents(w http.ResponseWriter, r *http.Request, f export.Format, filter redress.IncidentFilter) error {
	t := newT(s.ui.bundle, pageLang(r))
	var list []*redress.Incident
	filter.Limit = 200
	for len(list) < maxRegisterExport {
		page, err := s.svc.Incidents.ListIncidents(r.Context(), filter)
		if err != nil {
			return err
		}
		list = append(list, page.Incidents...)
		if page.NextBefore == 0 {
			break
		}
		filter.Before = page.NextBefore
	}
	at := func(p *time.Time) any {
		if p == nil {
			return nil
		}
		return *p
	}
	return s.streamExport(w, r, f, "incidents", redress.ExportRecord{What: redress.ExportIncidents, Filter: r.URL.RawQuery},
		func(ew export.Writer) (int, error) {
			if err := ew.Table(t.Get("incident.title"), []export.Column{{Title: t.Get("incident.ref")}, {Title: t.Get("incident.kind")},
				{Title: t.Get("field.status")}, {Title: t.Get("field.org"), Width: 16}, {Title: t.Get("incident.occurred_at"), Kind: export.DateTime},
				{Title: t.Get("incident.place"), Width: 16}, {Title: t.Get("incident.people"), Kind: export.Int}, {Title: t.Get("incident.cases"), Width: 24},
				{Title: t.Get("incident.closing_cause"), Width: 30}, {Title: t.Get("incident.closing_actions"), Width: 30},
				{Title: t.Get("incident.closing_outcome"), Width: 30}, {Title: t.Get("incident.closing_follow_up"), Width: 30}}); err != nil {
				return 0, err
			}
			rows := 0
			for _, i := range list {
				var cause, actions, outcome, follow string
				if c := i.Closing; c != nil {
					cause, actions, outcome, follow = c.Cause, c.Actions, c.Outcome, c.FollowUp
				}
				if err := ew.Row(i.Ref, t.Label("incident_kind", i.Kind), t.Label("incident_status", i.Status), i.OrgName, i.OccurredAt,
					i.Place, i.People, strings.Join(i.Cases, " "), cause, actions, outcome, follow); err != nil {
					return rows, err
				}
				rows++
			}
			if err := ew.Table(t.Get("incident.chain"), []export.Column{{Title: t.Get("incident.ref")}, {Title: t.Get("incident.step")},
				{Title: t.Get("incident.notified_at"), Kind: export.DateTime}, {Title: t.Get("incident.due_at"), Kind: export.DateTime},
				{Title: t.Get("incident.ack_by")}, {Title: t.Get("incident.ack_at"), Kind: export.DateTime}, {Title: t.Get("incident.escalated_at"), Kind: export.DateTime}}); err != nil {
				return rows, err
			}
			for _, i := range list {
				for _, st := range i.Chain {
					if err := ew.Row(i.Ref, t.Label("incident_step", st.Step), at(st.NotifiedAt), at(st.DueAt), st.AckBy, at(st.AckAt), at(st.EscalatedAt)); err != nil {
						return rows, err
					}
					rows++
				}
			}
			return rows, nil
		})
}

// yesNoText is yes or no in the page's language.
func yesNoText(t *T, b bool) string {
	if b {
		return t.Get("admin.yes")
	}
	return t.Get("admin.no")
}
