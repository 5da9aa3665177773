package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"redress"
)

// noCodes is a code service with no codes.
type noCodes struct{ redress.CodeService }

func (noCodes) ListCodes(context.Context, redress.Dimension) ([]*redress.Code, error) {
	return nil, nil
}

// noOrgs is an org service with no units.
type noOrgs struct{ redress.OrgService }

func (noOrgs) ListOrgs(context.Context) ([]*redress.OrgUnit, error) { return nil, nil }

// TestPagesUseTheInjectedClock shows the registration page's default time of
// receipt from Services.Now, not from the machine's clock.
func TestPagesUseTheInjectedClock(t *testing.T) {
	t.Parallel()
	fixed := time.Date(2031, 2, 3, 1, 4, 0, 0, time.UTC) // 09:04 in Beijing
	s := NewServer(Services{Sessions: &grantingAuth{}, Codes: noCodes{}, Orgs: noOrgs{},
		Now: func() time.Time { return fixed }}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	r := httptest.NewRequest("GET", "/cases/new", nil)
	r.AddCookie(&http.Cookie{Name: SessionCookie, Value: staffSession})
	rec := serve(s.Handler(), r)
	if rec.Code != http.StatusOK {
		t.Fatalf("registration page: %d %s", rec.Code, rec.Body)
	}
	if want := `value="2031-02-03T09:04"`; !strings.Contains(rec.Body.String(), want) {
		t.Fatalf("the page does not show the injected time %s", want)
	}
}
