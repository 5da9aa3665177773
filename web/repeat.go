package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"redress"
)

// repeatRoutes are repeat complaints (重复投诉, redress repeat.go) and the
// archived file (归档, archive.go): the API, the case page's forms, the
// file as at closing and the window's admin setting.
func (s *Server) repeatRoutes() []route {
	return []route{
		{method: "POST", path: "/api/v1/cases/repeats", summary: "Repeat candidates of a draft before it is registered: earlier cases by the same complainant (ID, phone, account), a similar text or the same respondent, within the window, best first, each with why it matched",
			body: redress.RepeatDraft{}, out: redress.RepeatCandidates{}, handle: s.handleRepeatDraft},
		{method: "GET", path: "/api/v1/cases/{no}/repeats", summary: "Repeat candidates of a registered case, best first, each with why it matched",
			out: redress.RepeatCandidates{}, handle: s.handleCaseRepeats},
		{method: "POST", path: "/api/v1/cases/{no}/merge", summary: "Merge the case into a surviving case within its handling period (Order 2020 No.3 Art.18); the complainant is told",
			body: redress.MergeRequest{}, out: redress.Case{}, handle: s.handleMerge},
		{method: "POST", path: "/api/v1/cases/{no}/unmerge", summary: "End the case's merge: its own clocks run again",
			body: redress.UnmergeRequest{}, out: redress.Case{}, handle: s.handleUnmerge},
		{method: "POST", path: "/api/v1/cases/{no}/link", summary: "Record the case as a repeat of an earlier case, without merging",
			body: redress.LinkRequest{}, out: redress.Case{}, handle: s.handleLink},
		{method: "GET", path: "/api/v1/cases/{no}/archive", summary: "The archived file as it was at its latest closing (归档): the case and its evidence",
			out: redress.ArchiveSnapshot{}, handle: s.handleArchivedFile},
		{method: "GET", path: "/api/v1/settings/repeats", summary: "The repeat window in days",
			out: redress.RepeatPolicy{}, handle: s.handleRepeatPolicy},
		{method: "PUT", path: "/api/v1/settings/repeats", summary: "Set the repeat window in days (admin)",
			body: redress.RepeatPolicy{}, out: redress.RepeatPolicy{}, handle: s.handleRepeatPolicySave},
		{method: "POST", path: "/cases/{no}/merge", access: pageAuth, handle: s.handleMergeSubmit},
		{method: "POST", path: "/cases/{no}/unmerge", access: pageAuth, handle: s.handleUnmergeSubmit},
		{method: "POST", path: "/cases/{no}/link", access: pageAuth, handle: s.handleLinkSubmit},
		{method: "GET", path: "/cases/{no}/archive", access: pageAuth, handle: s.handleArchivePage},
	}
}

func (s *Server) handleRepeatDraft(w http.ResponseWriter, r *http.Request) error {
	var d redress.RepeatDraft
	if err := readJSON(w, r, &d); err != nil {
		return err
	}
	got, err := s.svc.Repeats.RepeatCandidates(r.Context(), d)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, got)
	return nil
}

func (s *Server) handleCaseRepeats(w http.ResponseWriter, r *http.Request) error {
	got, err := s.svc.Repeats.CaseRepeats(r.Context(), r.PathValue("no"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, got)
	return nil
}

func (s *Server) handleMerge(w http.ResponseWriter, r *http.Request) error {
	var m redress.MergeRequest
	if err := readJSON(w, r, &m); err != nil {
		return err
	}
	c, err := s.svc.Repeats.Merge(r.Context(), r.PathValue("no"), m)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) handleUnmerge(w http.ResponseWriter, r *http.Request) error {
	var u redress.UnmergeRequest
	if err := readJSON(w, r, &u); err != nil {
		return err
	}
	c, err := s.svc.Repeats.Unmerge(r.Context(), r.PathValue("no"), u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) handleLink(w http.ResponseWriter, r *http.Request) error {
	var l redress.LinkRequest
	if err := readJSON(w, r, &l); err != nil {
		return err
	}
	c, err := s.svc.Repeats.Link(r.Context(), r.PathValue("no"), l)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) handleArchivedFile(w http.ResponseWriter, r *http.Request) error {
	snap, err := s.svc.Archive.ArchivedFile(r.Context(), r.PathValue("no"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, snap)
	return nil
}

func (s *Server) handleRepeatPolicy(w http.ResponseWriter, r *http.Request) error {
	p, err := s.svc.Repeats.RepeatPolicy(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (s *Server) handleRepeatPolicySave(w http.ResponseWriter, r *http.Request) error {
	var p redress.RepeatPolicy
	if err := readJSON(w, r, &p); err != nil {
		return err
	}
	saved, err := s.svc.Repeats.SetRepeatPolicy(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, saved)
	return nil
}

// repeatFormDone goes back to the case page; a refused form shows the case
// page with the problem, as a referral's form does.
func (s *Server) repeatFormDone(w http.ResponseWriter, r *http.Request, no string, err error) error {
	if err != nil {
		return s.referralFailed(w, r, err)
	}
	http.Redirect(w, r, "/cases/"+url.PathEscape(no)+"#repeats", http.StatusSeeOther)
	return nil
}

func (s *Server) handleMergeSubmit(w http.ResponseWriter, r *http.Request) error {
	no := r.PathValue("no")
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	v, _ := strconv.Atoi(f.Get("version"))
	_, err := s.svc.Repeats.Merge(r.Context(), no, redress.MergeRequest{Into: strings.ToUpper(strings.TrimSpace(f.Get("into"))), Version: v,
		Reason: f.Get("reason"), Notice: redress.NoticeMethod(f.Get("notice_method")), Proof: f.Get("notice_proof")})
	return s.repeatFormDone(w, r, no, err)
}

func (s *Server) handleUnmergeSubmit(w http.ResponseWriter, r *http.Request) error {
	no := r.PathValue("no")
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	v, _ := strconv.Atoi(f.Get("version"))
	_, err := s.svc.Repeats.Unmerge(r.Context(), no, redress.UnmergeRequest{Version: v, Reason: f.Get("reason")})
	return s.repeatFormDone(w, r, no, err)
}

func (s *Server) handleLinkSubmit(w http.ResponseWriter, r *http.Request) error {
	no := r.PathValue("no")
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	_, err := s.svc.Repeats.Link(r.Context(), no, redress.LinkRequest{To: strings.ToUpper(strings.TrimSpace(f.Get("to"))), Reason: f.Get("reason")})
	return s.repeatFormDone(w, r, no, err)
}

// handleArchivePage shows the archived file as it was at closing.
func (s *Server) handleArchivePage(w http.ResponseWriter, r *http.Request) error {
	snap, err := s.svc.Archive.ArchivedFile(r.Context(), r.PathValue("no"))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "case_archive", &pageData{Title: "archive.title", Data: snap})
	return nil
}
