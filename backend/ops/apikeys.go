package ops

import (
	"net/http"

	"castdesk/backend/panel"
)

// APIKeyUpdate is a PATCH of key {id}: only the fields sent change.
type APIKeyUpdate struct {
	ByID
	panel.UpdateAPIKeyInput
}

const apiKeyScopesDoc = "scopes: `read` (read every area), `<area>:read` or `<area>:write` (write implies read) for the " +
	"areas customers, services, plans, media, mail, audit and settings; none: the account's full rights. A key never " +
	"exceeds its account's rights. expires_at: RFC 3339, null never expires. allowed_ips: addresses and CIDR prefixes " +
	"the key works from; none: any address. Managing API keys and webhooks needs a key without scopes."

var apiKeyOps = []*Op{
	declare(Op{Name: "apiKeysList", Scope: panel.AreaFullKey, Method: "GET", Path: "/api-keys", Tag: "API keys", Access: AnyAccount,
		Summary: "Your API keys (administrators: anyone's with account_id)",
		Description: "Each key with its scopes, expiry (expires_soon in its last 7 days, expired after), allowed addresses, " +
			"and its last use (time and client address); never the key itself.",
		ParamDocs: map[string]string{"account_id": "administrators: list this account's keys"}},
		func(e Env, in panel.ListAPIKeysInput) (panel.APIKeyList, error) {
			return e.Panel.APIKeys().List(e.Ctx, in)
		}),

	declare(Op{Name: "apiKeyCreate", Scope: panel.AreaFullKey, Method: "POST", Path: "/api-keys", Tag: "API keys", Access: AnyAccount,
		Status: http.StatusCreated, Errors: []int{409},
		Summary:     "Create an API key for your account (needs API access)",
		Description: "The key is in this answer only: it is stored hashed and cannot be shown again. " + apiKeyScopesDoc},
		func(e Env, in panel.CreateAPIKeyInput) (panel.CreatedAPIKey, error) {
			return e.Panel.APIKeys().Create(e.Ctx, in)
		}),

	declare(Op{Name: "apiKeyUpdate", Scope: panel.AreaFullKey, Method: "PATCH", Path: "/api-keys/{id}", Tag: "API keys", Access: AnyAccount,
		Summary: "Change an API key's name, scopes, expiry or allowed addresses (yours; administrators anyone's)",
		Description: "Only the fields sent change; the key itself never does. scopes [] gives the account's full rights, " +
			"expires_at null removes the expiry, allowed_ips [] allows any address. " + apiKeyScopesDoc},
		func(e Env, in APIKeyUpdate) (panel.APIKey, error) {
			return e.Panel.APIKeys().Update(e.Ctx, in.ID, in.UpdateAPIKeyInput)
		}),

	declare(Op{Name: "apiKeyRevoke", Scope: panel.AreaFullKey, Method: "DELETE", Path: "/api-keys/{id}", Tag: "API keys", Access: AnyAccount,
		Summary: "Revoke an API key (yours; administrators anyone's)"},
		func(e Env, in ByID) (Revoked, error) { return Revoked{true}, e.Panel.APIKeys().Revoke(e.Ctx, in.ID) }),
}
