package ops

import (
	"net/http"

	"castdesk/backend/panel"
)

var apiKeyOps = []*Op{
	declare(Op{Name: "apiKeysList", Method: "GET", Path: "/api-keys", Tag: "API keys", Access: AnyAccount,
		Summary:   "Your API keys (administrators: anyone's with account_id)",
		ParamDocs: map[string]string{"account_id": "administrators: list this account's keys"}},
		func(e Env, in panel.ListAPIKeysInput) (panel.APIKeyList, error) {
			return e.Panel.APIKeys().List(e.Ctx, in)
		}),

	declare(Op{Name: "apiKeyCreate", Method: "POST", Path: "/api-keys", Tag: "API keys", Access: AnyAccount,
		Status: http.StatusCreated, Errors: []int{409},
		Summary:     "Create an API key for your account (needs API access)",
		Description: "The key is in this answer only: it is stored hashed and cannot be shown again."},
		func(e Env, in panel.CreateAPIKeyInput) (panel.CreatedAPIKey, error) {
			return e.Panel.APIKeys().Create(e.Ctx, in)
		}),

	declare(Op{Name: "apiKeyRevoke", Method: "DELETE", Path: "/api-keys/{id}", Tag: "API keys", Access: AnyAccount,
		Summary: "Revoke an API key (yours; administrators anyone's)"},
		func(e Env, in ByID) (Revoked, error) { return Revoked{true}, e.Panel.APIKeys().Revoke(e.Ctx, in.ID) }),
}
