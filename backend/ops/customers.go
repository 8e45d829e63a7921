package ops

import (
	"net/http"

	"castdesk/backend/panel"
)

// CustomerUpdate is a PATCH of account {id}: only the fields sent change.
type CustomerUpdate struct {
	ByID
	panel.UpdateAccountInput
}

// CustomerDelete names the account and repeats its username as typed.
type CustomerDelete struct {
	ByID
	Confirm string `json:"confirm"`
}

// CustomerSetPassword is a manual password reset of account {id}.
type CustomerSetPassword struct {
	ByID
	panel.SetPasswordInput
}

var customerOps = []*Op{
	declare(Op{Name: "customersList", Scope: panel.AreaCustomers, Method: "GET", Path: "/customers", Tag: "Customers", Access: AnyAccount,
		Summary:     "Accounts the caller may see",
		Description: "Admins see everyone, a reseller itself and its customers, a customer itself.",
		ParamDocs: map[string]string{"q": "matches ID, username, name, email", "reseller_id": "accounts owned by this reseller",
			"sort": "id, username, name, email, created_at; '-' before for descending", "level": "customer or admin",
			"status": "enabled or disabled", "cursor": "next_cursor of the previous page", "limit": "page size, 1-200 (default 50)"}},
		func(e Env, in panel.ListAccountsInput) (panel.AccountPage, error) {
			return e.Panel.Accounts.List(e.Ctx, in)
		}),

	declare(Op{Name: "customersCreate", Scope: panel.AreaCustomers, Method: "POST", Path: "/customers", Tag: "Customers", Access: AnyAccount,
		Status: http.StatusCreated, Summary: "Create an account (admins and resellers)"},
		func(e Env, in panel.CreateAccountInput) (AccountBody, error) {
			return accountBody(e.Panel.Accounts.Create(e.Ctx, in))
		}),

	declare(Op{Name: "customerOverview", Scope: panel.AreaCustomers, Method: "GET", Path: "/customers/{id}", Tag: "Customers", Access: AnyAccount,
		Summary: "Customer overview"},
		func(e Env, in ByID) (panel.Overview, error) { return e.Panel.Accounts.Overview(e.Ctx, in.ID) }),

	declare(Op{Name: "customerUpdate", Scope: panel.AreaCustomers, Method: "PATCH", Path: "/customers/{id}", Tag: "Customers", Access: AnyAccount,
		Summary: "Manage an account's details (only the fields sent)", Errors: []int{409},
		Description: "reseller_plan_id 0 removes the plan. api_access is the account's API access switch " +
			"(admins and the account's reseller)."},
		func(e Env, in CustomerUpdate) (AccountBody, error) {
			return accountBody(e.Panel.Accounts.Update(e.Ctx, in.ID, in.UpdateAccountInput))
		}),

	declare(Op{Name: "customerDeletePreview", Scope: panel.AreaCustomers, Method: "GET", Path: "/customers/{id}/delete-preview", Tag: "Customers",
		Access: AnyAccount, Summary: "What a delete would take away"},
		func(e Env, in ByID) (panel.DeletePreview, error) { return e.Panel.Accounts.DeletePreview(e.Ctx, in.ID) }),

	declare(Op{Name: "customerDelete", Scope: panel.AreaCustomers, Method: "DELETE", Path: "/customers/{id}", Tag: "Customers", Access: AnyAccount,
		Summary: "Delete an account, its services and files for good", Errors: []int{409, 503},
		ParamDocs: map[string]string{"confirm": "the account's username, as typed by the user (required)"}},
		func(e Env, in CustomerDelete) (Deleted, error) {
			return Deleted{true}, e.Panel.Accounts.Delete(e.Ctx, in.ID, in.Confirm)
		}),

	declare(Op{Name: "customerLoginAs", Scope: panel.AreaCustomers, Method: "POST", Path: "/customers/{id}/login-as", Tag: "Customers",
		Access: SessionOnly, NoBody: true, Errors: []int{409},
		Summary: "Log in as this account (the session moves inside it)"},
		func(e Env, in ByID) (panel.Me, error) {
			res, admin, err := e.Panel.Auth.LoginAs(e.Ctx, in.ID)
			if err != nil {
				return panel.Me{}, err
			}
			e.Door.SetSession(res.Token)
			return panel.Me{Account: res.Account, Impersonator: admin}, nil
		}),

	declare(Op{Name: "customerSetPassword", Scope: panel.AreaCustomers, Method: "PUT", Path: "/customers/{id}/password", Tag: "Customers",
		Access: AnyAccount, Summary: "Manual password reset (administrators)"},
		func(e Env, in CustomerSetPassword) (Updated, error) {
			return Updated{true}, e.Panel.Accounts.SetPassword(e.Ctx, in.ID, in.SetPasswordInput)
		}),

	declare(Op{Name: "customerResetPassword", Scope: panel.AreaCustomers, Method: "POST", Path: "/customers/{id}/reset-password", Tag: "Customers",
		Access: AnyAccount, Status: http.StatusAccepted, NoBody: true,
		Summary:     "Reset & email a temporary password (administrators; resellers for their customers)",
		Description: "The account must choose a new password at its next login; its sessions end."},
		func(e Env, in ByID) (panel.QueuedMail, error) { return e.Panel.Accounts.ResetAndEmail(e.Ctx, in.ID) }),
}
