package web

import (
	"net/http"

	"redress"
)

// parseSmallForm reads a form of at most 1 MiB.
func parseSmallForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
	if err := r.ParseForm(); err != nil {
		return invalid("the form could not be read (too large?)", nil)
	}
	return nil
}

// afterPost redirects back with a message when err is nil, shows a user
// error on the page given by again, and passes other errors on.
func (s *Server) afterPost(w http.ResponseWriter, r *http.Request, err error, back string, again func(d *pageData) error) error {
	if err == nil {
		flash(w, newT(s.ui.bundle, pageLang(r)).Get("admin.saved"))
		http.Redirect(w, r, back, http.StatusSeeOther)
		return nil
	}
	switch redress.ErrorCode(err) {
	case redress.EINVALID, redress.ECONFLICT, redress.ENOTFOUND:
		return again(&pageData{Error: pageMessage(err), Fields: pageFields(err), Form: r.PostForm})
	}
	return err
}
