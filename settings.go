package redress

import (
	"context"
	"strings"
)

// MediationBody is the mediation body (调解组织) the decision letter names
// as the customer's remedy besides 核查, arbitration and the courts: admin
// data, one record for the bank (e.g. the local 银行业保险业消费纠纷调解中心).
type MediationBody struct {
	Name    string `json:"name"`
	Contact string `json:"contact"` // address, telephone, website
}

// Validate checks a mediation body: a name and how to reach it.
func (m *MediationBody) Validate() error {
	var p Problems
	checkText(&p, "name", m.Name, 2, 200)
	checkText(&p, "contact", m.Contact, 2, 500)
	return p.Err()
}

// BankProfile is how the prints name the bank to the customer: its name
// (the letterhead of the receipt, the registration form and the decision
// letter), its complaint hotline, and where a customer tracks a case (a
// web address or the nearest outlet, in words).
type BankProfile struct {
	Name    string `json:"name"`
	Hotline string `json:"hotline"`
	TrackAt string `json:"track_at,omitempty"`
	// Address is where the customer writes to or comes to (the notices).
	Address string `json:"address,omitempty"`
	// PortalURL is the portal's address as the customer reaches it
	// (https://…, no path): the survey SMS links to it; without it no survey
	// link goes out by itself.
	PortalURL string `json:"portal_url,omitempty"`
}

// Validate checks a bank profile: a name and a hotline.
func (b *BankProfile) Validate() error {
	var p Problems
	checkText(&p, "name", b.Name, 2, 100)
	checkText(&p, "hotline", b.Hotline, 3, 50)
	checkText(&p, "track_at", b.TrackAt, 0, 200)
	checkText(&p, "address", b.Address, 0, 200)
	if b.PortalURL != "" && !portalURL(b.PortalURL) {
		p.Add("portal_url", "must be an address like https://portal.example.com, with no path, query or space")
	}
	return p.Err()
}

// ListPrivacy is the bank's policy on how lists show complainants
// (DOMAIN.md §6: names in lists as surname + * where a policy says so):
// ShowNames shows their names in full in lists; by default they are masked
// (张*), the case page showing them whole. Numbers are always masked.
type ListPrivacy struct {
	ShowNames bool `json:"show_names"`
}

// ListName is a complainant's name as a list shows it under the policy.
func (p ListPrivacy) ListName(name string) string {
	if p.ShowNames {
		return name
	}
	return MaskName(name)
}

// SettingsService keeps the small admin records the pages print.
type SettingsService interface {
	// MediationBody returns the mediation body, or nil when none is set.
	// Errors: EUNAUTHORIZED.
	MediationBody(ctx context.Context) (*MediationBody, error)
	// SetMediationBody replaces it (admin only), with an audit event.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID.
	SetMediationBody(ctx context.Context, m MediationBody) (*MediationBody, error)
	// BankProfile returns the bank's profile, or nil when none is set.
	// Errors: EUNAUTHORIZED.
	BankProfile(ctx context.Context) (*BankProfile, error)
	// SetBankProfile replaces it (admin only), with an audit event.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID.
	SetBankProfile(ctx context.Context, b BankProfile) (*BankProfile, error)
	// ListPrivacy returns how lists show complainants (names masked when
	// never set).
	// Errors: EUNAUTHORIZED.
	ListPrivacy(ctx context.Context) (ListPrivacy, error)
	// SetListPrivacy replaces it (admin only), with an audit event.
	// Errors: EUNAUTHORIZED, EFORBIDDEN.
	SetListPrivacy(ctx context.Context, p ListPrivacy) (ListPrivacy, error)
}

// portalURL reports whether s is an http(s) origin a link may be built on:
// a scheme, a host of letters, digits, dots, hyphens and a port, nothing else.
func portalURL(s string) bool {
	rest, ok := strings.CutPrefix(s, "https://")
	if !ok {
		if rest, ok = strings.CutPrefix(s, "http://"); !ok {
			return false
		}
	}
	rest = strings.TrimSuffix(rest, "/")
	if rest == "" || len(s) > 200 {
		return false
	}
	for _, r := range rest {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == ':') {
			return false
		}
	}
	return true
}
