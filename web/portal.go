package web

import (
	"context"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"time"

	"redress"
)

// The customer portal's JSON API under /api/v1/public/, on the public
// handler only (PublicHandler). Every answer about a number or a phone is
// the same whether they are known or not; every action is audited by the
// store with the client address (redress.WithClientAddress, set by
// portalHandler).

// PortalCookie is the name of the customer's session cookie, scoped to one
// case and redress.PortalSessionTTL (its own: the staff session cookie is
// removed from every request of the public handler).
const PortalCookie = "redress_portal"

// maxPortalJSON bounds a portal request's JSON body (the description may be
// 20,000 characters of Chinese: 60 KiB in UTF-8).
const maxPortalJSON = 128 << 10

// maxCodeSends bounds the SMS codes being sent at once; a request beyond it
// is answered the same and its code is not sent (the customer asks again).
const maxCodeSends = 16

// portalGuard holds the portal's rate limits (redress.PortalLimits), each
// named, and the limiter that counts them: the store's, shared by every
// server on the database and kept across restarts (Services.RateLimits),
// or this server's memory when there is none (portal_limit.go).
type portalGuard struct {
	submitAddress, submitPhone             *portalLimit
	codeAddress, codePhone, codeCase       *portalLimit
	trackAddress, trackCase, actPerSession *portalLimit
	counter                                redress.RateLimiter
}

func newPortalGuard(l redress.PortalLimits, counter redress.RateLimiter) *portalGuard {
	if counter == nil {
		counter = newMemoryLimits()
	}
	n := func(name string, l redress.Limit) *portalLimit { return &portalLimit{name: name, limit: l} }
	return &portalGuard{submitAddress: n("submit_address", l.SubmitPerAddress), submitPhone: n("submit_phone", l.SubmitPerPhone),
		codeAddress: n("code_address", l.CodePerAddress), codePhone: n("code_phone", l.CodePerPhone), codeCase: n("code_case", l.CodePerCase),
		trackAddress: n("track_address", l.TrackPerAddress), trackCase: n("track_case", l.TrackPerCase),
		actPerSession: n("act_session", l.ActPerSession), counter: counter}
}

// limitKey is one limit and the key it counts.
type limitKey struct {
	l   *portalLimit
	key string
}

// allowPortal takes one attempt from each limiter, or refuses the request
// with a TooManyError whose message (in the request's language) is the
// message with the given id: the first limiter that refuses says when.
func (s *Server) allowPortal(r *http.Request, message string, keys ...limitKey) error {
	now := s.now()
	for _, k := range keys {
		ok, after, err := s.portalLimits.counter.Allow(r.Context(), k.l.name, cutBytes(k.key, 64), k.l.limit, now)
		if err != nil {
			return err
		}
		if !ok {
			t := newT(s.ui.bundle, pageLang(r))
			minutes := int((after + time.Minute - 1) / time.Minute)
			return redress.TooMany(after, "%s", t.Get(message, "N", max(minutes, 1)))
		}
	}
	return nil
}

func (s *Server) portalAPIRoutes() []route {
	return []route{
		{method: "GET", path: "/api/v1/public/units", access: portalPublic, summary: "Public (portal): the units a customer may choose, as a tree (code, name, kind, parent)",
			out: listAnswer[redress.OrgUnit]{}, handle: s.handlePortalUnits},
		{method: "POST", path: "/api/v1/public/cases", access: portalPublic, summary: "Public (portal): submit a complaint or petition; consent must be true; rate-limited per address and phone (429)",
			status: http.StatusCreated, body: redress.PortalSubmission{}, out: redress.PortalReceipt{}, handle: s.handlePortalSubmitAPI},
		{method: "POST", path: "/api/v1/public/codes", access: portalPublic, summary: "Public (portal): send a one-time code by SMS to the phone of the case; always 202, known or not; rate-limited per address, phone and case",
			status: http.StatusAccepted, body: redress.PortalCodeRequest{}, out: portalAccepted{}, handle: s.handlePortalCode},
		{method: "POST", path: "/api/v1/public/track", access: portalPublic, summary: "Public (portal): open the case with its code: the case as the customer sees it and a session cookie (403 for any mismatch, 429)",
			body: redress.PortalTrackRequest{}, out: redress.PortalView{}, handle: s.handlePortalTrack},
		{method: "GET", path: "/api/v1/public/case", access: portalCustomer, summary: "Portal customer: the case as the customer sees it",
			out: redress.PortalView{}, handle: s.handlePortalCase},
		{method: "POST", path: "/api/v1/public/case/material", access: portalCustomer, multipart: true, summary: "Portal customer: add a file (PDF, picture, recording or text, checked by content; at most 10 MiB)",
			status: http.StatusCreated, out: redress.PortalFile{}, handle: s.handlePortalMaterialAPI},
		{method: "POST", path: "/api/v1/public/case/withdraw", access: portalCustomer, summary: "Portal customer: withdraw the case",
			body: redress.PortalWithdrawal{}, out: redress.PortalView{}, handle: s.handlePortalWithdrawAPI},
		{method: "POST", path: "/api/v1/public/case/review", access: portalCustomer, summary: "Portal customer: request the review of the decision (核查, 复查, 复核) within its window",
			body: redress.PortalReviewRequest{}, out: redress.PortalView{}, handle: s.handlePortalReviewAPI},
		{method: "POST", path: "/api/v1/public/case/rating", access: portalCustomer, summary: "Portal customer: rate the handling once the decision was notified",
			body: redress.PortalRating{}, out: redress.PortalView{}, handle: s.handlePortalRateAPI},
	}
}

// portalAccepted is the one answer to a code request.
type portalAccepted struct {
	Status string `json:"status"`
}

// codeAccepted is said for every code request, known or not.
const codeAccepted = "if the number and phone match a case, a code was sent by SMS; it is valid for 10 minutes"

func (s *Server) handlePortalUnits(w http.ResponseWriter, r *http.Request) error {
	units, err := s.svc.Portal.PortalUnits(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listAnswer[redress.OrgUnit]{Items: derefAll(units)})
	return nil
}

func derefAll[T any](list []*T) []T {
	out := make([]T, 0, len(list))
	for _, v := range list {
		out = append(out, *v)
	}
	return out
}

// readPortalJSON reads a portal request's JSON body within maxPortalJSON.
func readPortalJSON(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxPortalJSON)
	return readJSON(w, r, v)
}

// submitLimits are the limiters a submission takes from: its address and
// its phone.
func (s *Server) submitLimits(r *http.Request, phone string) []limitKey {
	return []limitKey{{s.portalLimits.submitAddress, addressKey(clientHost(r))},
		{s.portalLimits.submitPhone, redress.NormalizeMobile(phone)}}
}

func (s *Server) handlePortalSubmitAPI(w http.ResponseWriter, r *http.Request) error {
	var sub redress.PortalSubmission
	if err := readPortalJSON(w, r, &sub); err != nil {
		return err
	}
	if err := s.allowPortal(r, "portal.too_many.submit", s.submitLimits(r, sub.Complainant.Phone)...); err != nil {
		return err
	}
	receipt, err := s.svc.Portal.SubmitCase(r.Context(), sub)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, receipt)
	return nil
}

// codeLimits are the limiters a code request takes from: address, phone, case.
func (s *Server) codeLimits(r *http.Request, req redress.PortalCodeRequest) []limitKey {
	return []limitKey{{s.portalLimits.codeAddress, addressKey(clientHost(r))},
		{s.portalLimits.codePhone, redress.NormalizeMobile(req.Phone)}, {s.portalLimits.codeCase, normalNo(req.No)}}
}

// requestCode asks the store for a code and sends it when there is one.
func (s *Server) requestCode(r *http.Request, req redress.PortalCodeRequest) error {
	if err := s.allowPortal(r, "portal.too_many.code", s.codeLimits(r, req)...); err != nil {
		return err
	}
	code, to, err := s.svc.Portal.RequestCode(r.Context(), req)
	if err != nil {
		return err
	}
	if code != "" {
		s.sendCode(r.Context(), normalNo(req.No), to, code)
	}
	return nil
}

func (s *Server) handlePortalCode(w http.ResponseWriter, r *http.Request) error {
	var req redress.PortalCodeRequest
	if err := readPortalJSON(w, r, &req); err != nil {
		return err
	}
	if err := s.requestCode(r, req); err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, portalAccepted{Status: codeAccepted})
	return nil
}

// sendCode sends a code by SMS off the request, so that the answer and its
// time are the same whether a code was sent or not; at most maxCodeSends
// at once.
func (s *Server) sendCode(ctx context.Context, no, to, code string) {
	if s.svc.PortalSMS == nil {
		s.log.Warn("portal: no SMS gateway is configured (REDRESS_SMS_URL): the code is not sent", slog.String("case", no))
		return
	}
	select {
	case s.codeSends <- struct{}{}:
	default:
		s.log.Warn("portal: too many codes being sent: this one is dropped", slog.String("case", no))
		return
	}
	n := redress.Notification{Channel: redress.NotifySMS, To: to, Kind: redress.NotifyPortalCode, Body: redress.PortalCodeText(no, code), CaseNo: no}
	ctx = context.WithoutCancel(ctx)
	go func() {
		defer func() { <-s.codeSends }()
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if err := s.svc.PortalSMS.Send(ctx, n); err != nil {
			s.log.Error("portal: send code", slog.String("case", no), slog.String("to", n.MaskedTo()), slog.String("error", err.Error()))
		}
	}()
}

// normalNo is a tracking number as the limits count it.
func normalNo(no string) string { return cutBytes(upperASCII(no), 32) }

func upperASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// track checks a code and, when it opens the case, sets the session cookie.
func (s *Server) track(w http.ResponseWriter, r *http.Request, req redress.PortalTrackRequest) (*redress.PortalCustomer, error) {
	if err := s.allowPortal(r, "portal.too_many.track", limitKey{s.portalLimits.trackAddress, addressKey(clientHost(r))},
		limitKey{s.portalLimits.trackCase, normalNo(req.No)}); err != nil {
		return nil, err
	}
	token, cust, err := s.svc.Portal.Track(r.Context(), req)
	if err != nil {
		return nil, err
	}
	http.SetCookie(w, &http.Cookie{Name: PortalCookie, Value: token, Path: "/", MaxAge: int(redress.PortalSessionTTL.Seconds()),
		HttpOnly: true, Secure: secureRequest(r), SameSite: http.SameSiteStrictMode})
	return cust, nil
}

func (s *Server) handlePortalTrack(w http.ResponseWriter, r *http.Request) error {
	var req redress.PortalTrackRequest
	if err := readPortalJSON(w, r, &req); err != nil {
		return err
	}
	cust, err := s.track(w, r, req)
	if err != nil {
		return err
	}
	return s.writePortalCase(w, redress.WithCustomer(r.Context(), cust), r)
}

// writePortalCase answers with the customer's case, its status in words.
func (s *Server) writePortalCase(w http.ResponseWriter, ctx context.Context, r *http.Request) error {
	v, err := s.svc.Portal.PortalCase(ctx)
	if err != nil {
		return err
	}
	v.StatusText = newT(s.ui.bundle, pageLang(r)).Get(stageKey(v.Stage))
	writeJSON(w, http.StatusOK, v)
	return nil
}

// stageKey is the message of a stage in the customer's words.
func stageKey(stage redress.PortalStage) string { return "portal.stage." + string(stage) }

func (s *Server) handlePortalCase(w http.ResponseWriter, r *http.Request) error {
	return s.writePortalCase(w, r.Context(), r)
}

// portalCookieAuth is the portal's authentication (Services.PortalAuth when
// none is given): the session cookie, looked up by the store.
func (s *Server) portalCookieAuth(r *http.Request) (context.Context, error) {
	c, err := r.Cookie(PortalCookie)
	if err != nil {
		return nil, redress.Errorf(redress.EUNAUTHORIZED, "track your case with its number and a code first")
	}
	cust, err := s.svc.Portal.PortalSession(r.Context(), c.Value)
	if err != nil {
		return nil, err
	}
	return redress.WithCustomer(r.Context(), cust), nil
}

// allowAct takes one follow-up action from the customer's session.
func (s *Server) allowAct(r *http.Request) error {
	cust := redress.CustomerFrom(r.Context())
	if cust == nil {
		return redress.Errorf(redress.EUNAUTHORIZED, "track your case with its number and a code first")
	}
	return s.allowPortal(r, "portal.too_many.act", limitKey{s.portalLimits.actPerSession, cust.Session})
}

// checkCSRF checks a page form's CSRF token against the session's.
func checkCSRF(r *http.Request) error {
	cust := redress.CustomerFrom(r.Context())
	if cust == nil || subtle.ConstantTimeCompare([]byte(r.PostFormValue("csrf")), []byte(cust.CSRF)) != 1 {
		return redress.Errorf(redress.EFORBIDDEN, "the form has expired: open your case again")
	}
	return nil
}

// addMaterial reads one uploaded file (field "file") and adds it.
func (s *Server) addMaterial(w http.ResponseWriter, r *http.Request, csrf bool) (*redress.PortalFile, error) {
	if err := s.allowAct(r); err != nil {
		return nil, err
	}
	n, release, err := s.evidenceFromRequest(w, r, "file")
	defer release()
	if err != nil {
		return nil, err
	}
	if csrf {
		if err := checkCSRF(r); err != nil {
			return nil, err
		}
	}
	if n == nil {
		return nil, invalid("invalid input", map[string]string{"file": "required"})
	}
	return s.svc.Portal.AddMaterial(r.Context(), *n)
}

func (s *Server) handlePortalMaterialAPI(w http.ResponseWriter, r *http.Request) error {
	f, err := s.addMaterial(w, r, false)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, f)
	return nil
}

// portalActAPI reads an action's body, takes it, and answers with the case.
func portalActAPI[T any](s *Server, do func(context.Context, T) error) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in T
		if err := readPortalJSON(w, r, &in); err != nil {
			return err
		}
		if err := s.allowAct(r); err != nil {
			return err
		}
		if err := do(r.Context(), in); err != nil {
			return err
		}
		return s.writePortalCase(w, r.Context(), r)
	}
}

func (s *Server) handlePortalWithdrawAPI(w http.ResponseWriter, r *http.Request) error {
	return portalActAPI(s, s.svc.Portal.Withdraw)(w, r)
}

func (s *Server) handlePortalReviewAPI(w http.ResponseWriter, r *http.Request) error {
	return portalActAPI(s, s.svc.Portal.RequestReview)(w, r)
}

func (s *Server) handlePortalRateAPI(w http.ResponseWriter, r *http.Request) error {
	return portalActAPI(s, s.svc.Portal.Rate)(w, r)
}
