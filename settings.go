package redress

import "context"

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

// SettingsService keeps the small admin records the pages print.
type SettingsService interface {
	// MediationBody returns the mediation body, or nil when none is set.
	// Errors: EUNAUTHORIZED.
	MediationBody(ctx context.Context) (*MediationBody, error)
	// SetMediationBody replaces it (admin only), with an audit event.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID.
	SetMediationBody(ctx context.Context, m MediationBody) (*MediationBody, error)
}
