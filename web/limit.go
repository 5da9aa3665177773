package web

import (
	"net/http"
	"net/netip"
	"strconv"
	"unicode/utf8"

	"redress"
)

// limiterKeys is how many client addresses, and how many logins, the
// sign-in limiters remember at most (about 10 MB each when full; see
// redress.Limiter: a full limiter refuses new keys).
const limiterKeys = 100_000

// signInGuard holds the sign-in rate limits of one server: per client
// address and per login (redress.SignInLimits).
type signInGuard struct {
	perAddress, perLogin *redress.Limiter
}

func newSignInGuard(l redress.SignInLimits) *signInGuard {
	return &signInGuard{perAddress: redress.NewLimiter(l.PerAddress, limiterKeys), perLogin: redress.NewLimiter(l.PerLogin, limiterKeys)}
}

// allowSignIn takes one sign-in attempt from the request's client address
// for the login, or refuses it with a TooManyError that says when to try
// again.
func (s *Server) allowSignIn(r *http.Request, login string) error {
	now := s.now()
	if ok, after := s.signIn.perAddress.Allow(addressKey(clientHost(r)), now); !ok {
		return redress.TooMany(after, "too many sign-in attempts from your address: try again later")
	}
	if login == "" {
		return nil
	}
	if ok, after := s.signIn.perLogin.Allow(cutBytes(login, 64), now); !ok {
		return redress.TooMany(after, "too many sign-in attempts for this login: try again later")
	}
	return nil
}

// addressKey is what the per-address limit counts a client address as: an
// IPv4 address, or the /64 of an IPv6 one (one subscriber's network, which
// would otherwise hand a single client 2^64 addresses to spread attempts over).
func addressKey(host string) string {
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	addr = addr.Unmap()
	if addr.Is6() {
		if prefix, err := addr.WithZone("").Prefix(64); err == nil {
			return prefix.String()
		}
	}
	return addr.String()
}

// cutBytes cuts s to at most n bytes on a rune boundary.
func cutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// retryAfter sets the Retry-After header of a request refused for now
// (redress.TooManyError) and reports whether err is one.
func retryAfter(w http.ResponseWriter, err error) bool {
	after, ok := redress.RetryAfter(err)
	if ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(after.Seconds())))
	}
	return ok
}

// writeTooMany answers an API request refused for now with 429, Retry-After
// and the error shape, and reports whether err was such a refusal.
func writeTooMany(w http.ResponseWriter, err error) bool {
	if !retryAfter(w, err) {
		return false
	}
	writeJSON(w, http.StatusTooManyRequests, errorBody{Error: errorDetail{Code: redress.ETOOMANY, Message: redress.ErrorMessage(err)}})
	return true
}
