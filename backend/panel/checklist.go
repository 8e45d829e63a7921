package panel

import "context"

// SetupChecklist is the first steps of a new administrator, shown on Home
// until dismissed: email configured and a test sent with these settings, a
// first plan, a first customer, and the administrator's own API access
// (off for the first administrator).
type SetupChecklist struct {
	EmailConfigured bool `json:"email_configured"`
	// EmailTested: a test email went out with the current email settings.
	EmailTested bool `json:"email_tested"`
	Plans       int  `json:"plans"`
	// Customers counts the accounts that are not administrators.
	Customers int  `json:"customers"`
	APIAccess bool `json:"api_access"`
	// Done: every step is done.
	Done bool `json:"done"`
}

// SetupChecklist answers the first steps (administrators).
func (s *Accounts) SetupChecklist(ctx context.Context) (SetupChecklist, error) {
	c, err := requireAdmin(ctx)
	if err != nil {
		return SetupChecklist{}, err
	}
	values, err := s.deps.Store.Settings(ctx)
	if err != nil {
		return SetupChecklist{}, Internal(err)
	}
	set, err := s.settings.current(ctx, s.deps.Store)
	if err != nil {
		return SetupChecklist{}, err
	}
	out := SetupChecklist{EmailConfigured: set.emailConfigured(), APIAccess: c.Account.APIAccess}
	out.EmailTested = out.EmailConfigured && values[keySMTPTested] != "" && values[keySMTPTested] == smtpFingerprint(set.smtpConfig())
	plans, err := s.deps.Store.ListPlans(ctx)
	if err != nil {
		return SetupChecklist{}, Internal(err)
	}
	out.Plans = len(plans)
	customers, err := s.deps.Store.ListAccounts(ctx, AccountQuery{Level: LevelCustomer, Sort: "id", Limit: 1})
	if err != nil {
		return SetupChecklist{}, Internal(err)
	}
	out.Customers = customers.Total
	out.Done = out.EmailTested && out.Plans > 0 && out.Customers > 0 && out.APIAccess
	return out, nil
}
