package web

import (
	"net/http"
	"net/url"
	"strconv"

	"redress"
)

// notificationRoutes are the in-app notification operations.
func (s *Server) notificationRoutes() []route {
	return []route{
		{method: "GET", path: "/api/v1/notifications", summary: "The caller's in-app notifications (deadline reminders, escalations, alerts), newest first",
			query: []param{{"unread", "boolean", "true: only those not read yet"},
				{"before", "integer", "next_before of the previous page"}, {"limit", "integer", "1-200, default 50"}},
			out: redress.NotificationPage{}, handle: s.handleNotificationList},
		{method: "POST", path: "/api/v1/notifications/{id}/read", summary: "Mark one of the caller's notifications read; another user's is not found",
			out: statusAnswer{}, handle: s.handleNotificationRead},
	}
}

func (s *Server) handleNotificationList(w http.ResponseWriter, r *http.Request) error {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return invalid("malformed query string: "+err.Error(), nil)
	}
	var f redress.NotificationFilter
	fields := map[string]string{}
	for name := range q {
		switch name {
		case "unread", "before", "limit":
		default:
			fields[name] = "unknown filter"
		}
	}
	if v := q.Get("unread"); v != "" {
		if f.Unread, err = strconv.ParseBool(v); err != nil {
			fields["unread"] = "must be true or false"
		}
	}
	if v := q.Get("before"); v != "" {
		if f.Before, err = strconv.ParseInt(v, 10, 64); err != nil {
			fields["before"] = "must be a whole number"
		}
	}
	if v := q.Get("limit"); v != "" {
		if f.Limit, err = strconv.Atoi(v); err != nil {
			fields["limit"] = "must be a whole number"
		}
	}
	if len(fields) > 0 {
		return invalid("invalid filter", fields)
	}
	page, err := s.svc.Notifications.ListNotifications(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

func (s *Server) handleNotificationRead(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return redress.Errorf(redress.ENOTFOUND, "notification %s not found", r.PathValue("id"))
	}
	if err := s.svc.Notifications.MarkRead(r.Context(), id); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, statusAnswer{Status: "read"})
	return nil
}

// inboxRoutes are the inbox page: the signed-in user's in-app
// notifications, newest first, each opened onto its case (and marked read).
func (s *Server) inboxRoutes() []route {
	return []route{
		{method: "GET", path: "/inbox", access: pageAuth, handle: s.handleInbox},
		{method: "POST", path: "/inbox/{id}/open", access: pageAuth, handle: s.handleInboxOpen},
		{method: "POST", path: "/inbox/read", access: pageAuth, handle: s.handleInboxReadAll},
	}
}

// inboxPage is one page of the inbox.
type inboxPage struct {
	Page   *redress.NotificationPage
	Unread bool // only the unread ones
}

func (s *Server) handleInbox(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := redress.NotificationFilter{Unread: q.Get("unread") == "true", Limit: 50}
	if v := q.Get("before"); v != "" {
		before, err := strconv.ParseInt(v, 10, 64)
		if err != nil || before < 1 {
			return invalid("invalid filter", map[string]string{"before": "must be a notification ID from a previous page"})
		}
		f.Before = before
	}
	page, err := s.svc.Notifications.ListNotifications(r.Context(), f)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "inbox", &pageData{Title: "inbox.title", Data: inboxPage{Page: page, Unread: f.Unread}})
	return nil
}

// handleInboxOpen marks a notification read and opens its case (or the
// inbox, for a notice about no case).
func (s *Server) handleInboxOpen(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return redress.Errorf(redress.ENOTFOUND, "notification not found")
	}
	if err := s.svc.Notifications.MarkRead(r.Context(), id); err != nil {
		return err
	}
	next := "/inbox"
	if no := r.PostFormValue("case"); no != "" {
		next = "/cases/" + url.PathEscape(no)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (s *Server) handleInboxReadAll(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.svc.Notifications.MarkAllRead(r.Context()); err != nil {
		return err
	}
	http.Redirect(w, r, "/inbox", http.StatusSeeOther)
	return nil
}
