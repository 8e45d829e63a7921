package httpapi

import (
	"net/http"

	"castdesk/backend/panel"
)

// Route docs of the routes in routes.go, services.go and apikeys.go. Routes
// in other files are documented next to them with documentRoutes.

var pageQuery = []param{
	{Name: "cursor", Type: "string", Description: "next_cursor of the previous page"},
	{Name: "limit", Type: "integer", Description: "page size, 1-200 (default 50)"},
}

func init() {
	documentRoutes(map[string]routeDoc{
		// System
		"GET /api/v1/health": {Tag: "System", Access: public, Summary: "Status and version; needs_setup before the first admin exists",
			Response: panel.Health{}},
		"POST /api/v1/setup": {Tag: "System", Access: public, Summary: "Create the first administrator and log in",
			Description: "Refused with 409 once any account exists.", Request: panel.SetupInput{},
			Status: http.StatusCreated, Response: accountBody{}, Errors: []int{409}},
		"GET /api/v1/openapi.json": {Tag: "System", Access: public, Summary: "This document", Response: map[string]any{}},
		"GET /api/v1/settings": {Tag: "System", Access: adminOnly, Summary: "System settings",
			Response: panel.SystemSettings{}},
		"PATCH /api/v1/settings": {Tag: "System", Access: adminOnly, Summary: "Change system settings (only the fields sent)",
			Request: panel.SettingsPatch{}, Response: panel.SystemSettings{}},
		"GET /api/v1/audit": {Tag: "System", Access: adminOnly, Summary: "The audit log, newest first",
			Query: []param{
				{Name: "actor", Type: "string", Description: "username or id of the actor"},
				{Name: "subject", Type: "string", Description: `"account:12", "plan:3", or an id`},
				{Name: "event", Type: "string", Description: `an event name or its prefix ("login")`},
				{Name: "cursor", Type: "integer", Description: "next_cursor of the previous page"},
				{Name: "limit", Type: "integer", Description: "page size"},
			},
			Response: panel.AuditPage{}},

		// Sessions
		"POST /api/v1/auth/login": {Tag: "Sessions", Access: public, Summary: "Log in: sets the session cookie",
			Description: "Every failure is the same 401, whatever the reason; repeated failures answer 429.",
			Request:     panel.LoginInput{}, Response: accountBody{}, Errors: []int{401, 429}},
		"POST /api/v1/auth/logout": {Tag: "Sessions", Access: sessionOnly, Summary: "Log out",
			Description: "Inside \"log in as\" it returns to the administrator: account is then the admin (else null).",
			Response:    accountBody{}},
		"GET /api/v1/auth/me": {Tag: "Sessions", Access: anyAccount, Summary: "Who is calling (and who is really there during \"log in as\")",
			Response: panel.Me{}},
		"PUT /api/v1/auth/password": {Tag: "Sessions", Access: sessionOnly, Summary: "Change your own password",
			Request: panel.ChangePasswordInput{}, Response: updated{}},

		// Customers
		"GET /api/v1/customers": {Tag: "Customers", Access: anyAccount, Summary: "Accounts the caller may see",
			Description: "Admins see everyone, a reseller itself and its customers, a customer itself.",
			Query: []param{
				{Name: "q", Type: "string", Description: "matches ID, username, name, email"},
				{Name: "level", Type: "string", Enum: []string{"customer", "admin"}},
				{Name: "status", Type: "string", Enum: []string{"enabled", "disabled"}},
				{Name: "reseller_id", Type: "integer", Description: "accounts owned by this reseller"},
				{Name: "sort", Type: "string", Description: "id, username, name, email, created_at; '-' before for descending"},
				pageQuery[0], pageQuery[1],
			},
			Response: panel.AccountPage{}},
		"POST /api/v1/customers": {Tag: "Customers", Access: anyAccount, Summary: "Create an account (admins and resellers)",
			Request: panel.CreateAccountInput{}, Status: http.StatusCreated, Response: accountBody{}},
		"GET /api/v1/customers/{id}": {Tag: "Customers", Access: anyAccount, Summary: "Customer overview",
			Response: panel.Overview{}},
		"PATCH /api/v1/customers/{id}": {Tag: "Customers", Access: anyAccount, Summary: "Manage an account's details (only the fields sent)",
			Description: "reseller_plan_id 0 removes the plan. api_access is the account's API access switch (admins and the account's reseller).",
			Request:     panel.UpdateAccountInput{}, Response: accountBody{}, Errors: []int{409}},
		"GET /api/v1/customers/{id}/delete-preview": {Tag: "Customers", Access: anyAccount, Summary: "What a delete would take away",
			Response: panel.DeletePreview{}},
		"DELETE /api/v1/customers/{id}": {Tag: "Customers", Access: anyAccount, Summary: "Delete an account, its services and files for good",
			Query:    []param{{Name: "confirm", Type: "string", Description: "the account's username, as typed by the user (required)"}},
			Response: deleted{}, Errors: []int{409, 503}},
		"POST /api/v1/customers/{id}/login-as": {Tag: "Customers", Access: sessionOnly, Summary: "Log in as this account (the session moves inside it)",
			Response: panel.Me{}, Errors: []int{409}},
		"PUT /api/v1/customers/{id}/password": {Tag: "Customers", Access: anyAccount, Summary: "Manual password reset (administrators)",
			Request: panel.SetPasswordInput{}, Response: updated{}},

		// Reseller plans
		"GET /api/v1/plans": {Tag: "Plans", Access: adminOnly, Summary: "Reseller plans", Response: Items[panel.Plan]{}},
		"POST /api/v1/plans": {Tag: "Plans", Access: adminOnly, Summary: "Create a reseller plan (null limits are unlimited)",
			Request: panel.PlanInput{}, Status: http.StatusCreated, Response: panel.Plan{}, Errors: []int{409}},
		"GET /api/v1/plans/{id}": {Tag: "Plans", Access: anyAccount, Summary: "A plan (administrators; resellers their own)",
			Response: panel.Plan{}},
		"PATCH /api/v1/plans/{id}": {Tag: "Plans", Access: adminOnly, Summary: "Change a plan (only the fields sent; null = unlimited)",
			Request: panel.PlanInput{}, Response: panel.Plan{}, Errors: []int{409}},
		"DELETE /api/v1/plans/{id}": {Tag: "Plans", Access: adminOnly, Summary: "Delete a plan (409 while assigned)",
			Response: deleted{}, Errors: []int{409}},

		// Media services
		"GET /api/v1/services": {Tag: "Services", Access: anyAccount, Summary: "Media services the caller may see",
			Query: []param{
				{Name: "owner_id", Type: "integer"},
				{Name: "status", Type: "string", Enum: []string{panel.ServiceActive, panel.ServiceSuspended}},
				{Name: "type", Type: "string", Enum: panel.ServiceTypes},
				{Name: "cursor", Type: "integer", Description: "next_cursor of the previous page"},
				{Name: "limit", Type: "integer", Description: "page size, 1-200 (default 50)"},
			},
			Response: panel.ServicePage{}},
		"GET /api/v1/services/next-port": {Tag: "Services", Access: anyAccount, Summary: "The next free port (administrators and resellers)",
			Response: nextPort{}},
		"POST /api/v1/services": {Tag: "Services", Access: anyAccount, Summary: "Create a media service (administrators and resellers)",
			Description: "422 limit_exceeded when the owner's reseller plan forbids it.",
			Request:     panel.ServiceInput{}, Status: http.StatusCreated, Response: panel.Service{}, Errors: []int{422}},
		"GET /api/v1/services/{id}": {Tag: "Services", Access: anyAccount, Summary: "A media service", Response: panel.Service{}},
		"PATCH /api/v1/services/{id}": {Tag: "Services", Access: anyAccount, Summary: "Change a media service (only the fields sent)",
			Request: panel.ServiceInput{}, Response: panel.Service{}, Errors: []int{422}},
		"DELETE /api/v1/services/{id}": {Tag: "Services", Access: anyAccount, Summary: "Delete a media service",
			Response: deleted{}},
		"POST /api/v1/services/{id}/suspend": {Tag: "Services", Access: anyAccount, Summary: "Suspend a media service",
			Request: suspendBody{}, Response: panel.Service{}},
		"POST /api/v1/services/{id}/unsuspend": {Tag: "Services", Access: anyAccount, Summary: "Unsuspend a media service",
			Response: panel.Service{}, Errors: []int{422}},

		// API keys
		"GET /api/v1/api-keys": {Tag: "API keys", Access: anyAccount, Summary: "Your API keys (administrators: anyone's with account_id)",
			Query:    []param{{Name: "account_id", Type: "integer", Description: "administrators: list this account's keys"}},
			Response: panel.APIKeyList{}},
		"POST /api/v1/api-keys": {Tag: "API keys", Access: anyAccount, Summary: "Create an API key for your account (needs API access)",
			Description: "The key is in this answer only: it is stored hashed and cannot be shown again.",
			Request:     panel.CreateAPIKeyInput{}, Status: http.StatusCreated, Response: panel.CreatedAPIKey{}, Errors: []int{409}},
		"DELETE /api/v1/api-keys/{id}": {Tag: "API keys", Access: anyAccount, Summary: "Revoke an API key (yours; administrators anyone's)",
			Response: revoked{}},
	})
}
