package ops

import "castdesk/backend/panel"

var usernameOps = []*Op{
	declare(Op{Name: "customersUsernameCheck", Scope: panel.AreaCustomers, Method: "GET", Path: "/customers/username-check", Tag: "Customers",
		Access: AnyAccount, Summary: "Whether a username can be used (admins and resellers)",
		Description: "Read-only: the reason a create (id absent) or an update of account id would give for the username " +
			"(taken, too_short, invalid, …, with params), or available. The account forms ask it as the user types; " +
			"the create or update stays the authority.",
		ParamDocs: map[string]string{"username": "the username as typed", "id": "the account being edited; absent for a new one"}},
		func(e Env, in panel.UsernameCheckInput) (panel.UsernameCheck, error) {
			return e.Panel.Accounts.CheckUsername(e.Ctx, in)
		}),
}
