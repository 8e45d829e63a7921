package desktop

import (
	"context"

	"castdesk/backend/panel"
)

// System is health and first-run setup.
type System struct{ s *Session }

func (x *System) Health(_ Empty) (panel.Health, error) {
	ctx, cancel := x.s.anonymous()
	defer cancel()
	return x.s.panel.Health(ctx)
}

func (x *System) Setup(in panel.SetupInput) (AccountResult, error) {
	ctx, cancel := x.s.anonymous()
	defer cancel()
	res, err := x.s.panel.Auth.Setup(ctx, in)
	if err != nil {
		return AccountResult{}, err
	}
	x.s.set(res.Token)
	return AccountResult{res.Account}, nil
}

// Auth is the window's login and logout.
type Auth struct{ s *Session }

func (x *Auth) Login(in panel.LoginInput) (AccountResult, error) {
	ctx, cancel := x.s.anonymous()
	defer cancel()
	res, err := x.s.panel.Auth.Login(ctx, in)
	if err != nil {
		return AccountResult{}, err
	}
	x.s.set(res.Token)
	return AccountResult{res.Account}, nil
}

func (x *Auth) Logout(_ Empty) (AccountResult, error) {
	return withCaller(x.s, func(ctx context.Context) (AccountResult, error) {
		res, err := x.s.panel.Auth.Logout(ctx)
		if err != nil {
			return AccountResult{}, err
		}
		x.s.set(res.Token) // the admin's fresh session after "log in as", else none
		return AccountResult{res.Account}, nil
	})
}

func (x *Auth) ChangePassword(in panel.ChangePasswordInput) (Done, error) {
	return withCaller(x.s, func(ctx context.Context) (Done, error) {
		return done(x.s.panel.Auth.ChangePassword(ctx, in))
	})
}

func (x *Auth) Me(_ Empty) (panel.Me, error) {
	return withCaller(x.s, func(ctx context.Context) (panel.Me, error) {
		return x.s.panel.Auth.Me(ctx)
	})
}

// Settings is System Settings.
type Settings struct{ s *Session }

func (x *Settings) Get(_ Empty) (panel.SystemSettings, error) {
	return withCaller(x.s, func(ctx context.Context) (panel.SystemSettings, error) {
		return x.s.panel.Settings.Get(ctx)
	})
}

func (x *Settings) Update(in panel.SettingsPatch) (panel.SystemSettings, error) {
	return withCaller(x.s, func(ctx context.Context) (panel.SystemSettings, error) {
		return x.s.panel.Settings.Update(ctx, in)
	})
}

// Customers is the Customers screen.
type Customers struct{ s *Session }

type UpdateCustomerInput struct {
	ID int64 `json:"id"`
	panel.UpdateAccountInput
}

type DeleteCustomerInput struct {
	ID      int64  `json:"id"`
	Confirm string `json:"confirm"`
}

type SetPasswordInput struct {
	ID int64 `json:"id"`
	panel.SetPasswordInput
}

// Done answers calls that return nothing but success.
type Done struct {
	OK bool `json:"ok"`
}

func (x *Customers) List(in panel.ListAccountsInput) (panel.AccountPage, error) {
	return withCaller(x.s, func(ctx context.Context) (panel.AccountPage, error) {
		return x.s.panel.Accounts.List(ctx, in)
	})
}

func (x *Customers) Create(in panel.CreateAccountInput) (AccountResult, error) {
	return withCaller(x.s, func(ctx context.Context) (AccountResult, error) {
		acc, err := x.s.panel.Accounts.Create(ctx, in)
		return AccountResult{acc}, err
	})
}

func (x *Customers) Overview(in IDInput) (panel.Overview, error) {
	return withCaller(x.s, func(ctx context.Context) (panel.Overview, error) {
		return x.s.panel.Accounts.Overview(ctx, in.ID)
	})
}

func (x *Customers) Update(in UpdateCustomerInput) (AccountResult, error) {
	return withCaller(x.s, func(ctx context.Context) (AccountResult, error) {
		acc, err := x.s.panel.Accounts.Update(ctx, in.ID, in.UpdateAccountInput)
		return AccountResult{acc}, err
	})
}

func (x *Customers) DeletePreview(in IDInput) (panel.DeletePreview, error) {
	return withCaller(x.s, func(ctx context.Context) (panel.DeletePreview, error) {
		return x.s.panel.Accounts.DeletePreview(ctx, in.ID)
	})
}

func (x *Customers) Delete(in DeleteCustomerInput) (Done, error) {
	return withCaller(x.s, func(ctx context.Context) (Done, error) {
		return done(x.s.panel.Accounts.Delete(ctx, in.ID, in.Confirm))
	})
}

// LoginAs swaps the window's session for one inside the target account.
func (x *Customers) LoginAs(in IDInput) (panel.Me, error) {
	return withCaller(x.s, func(ctx context.Context) (panel.Me, error) {
		res, admin, err := x.s.panel.Auth.LoginAs(ctx, in.ID)
		if err != nil {
			return panel.Me{}, err
		}
		x.s.set(res.Token)
		return panel.Me{Account: res.Account, Impersonator: admin}, nil
	})
}

func (x *Customers) SetPassword(in SetPasswordInput) (Done, error) {
	return withCaller(x.s, func(ctx context.Context) (Done, error) {
		return done(x.s.panel.Accounts.SetPassword(ctx, in.ID, in.SetPasswordInput))
	})
}

// Audit is the audit log screen.
type Audit struct{ s *Session }

func (x *Audit) List(in panel.AuditQuery) (panel.AuditPage, error) {
	return withCaller(x.s, func(ctx context.Context) (panel.AuditPage, error) {
		return x.s.panel.Audit.List(ctx, in)
	})
}

// desktopClient is the throttling identity of calls from the window.
const desktopClient = "desktop"

func (x *Auth) Forgot(in panel.ForgotInput) (Done, error) {
	ctx, cancel := x.s.anonymous()
	defer cancel()
	return done(x.s.panel.Auth.Forgot(ctx, in, desktopClient))
}

func (x *Auth) Reset(in panel.ResetInput) (Done, error) {
	ctx, cancel := x.s.anonymous()
	defer cancel()
	return done(x.s.panel.Auth.Reset(ctx, in, desktopClient))
}

func (x *Customers) ResetPassword(in IDInput) (panel.QueuedMail, error) {
	return withCaller(x.s, func(ctx context.Context) (panel.QueuedMail, error) {
		return x.s.panel.Accounts.ResetAndEmail(ctx, in.ID)
	})
}
