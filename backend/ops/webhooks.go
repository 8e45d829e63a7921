package ops

import (
	"net/http"

	"castdesk/backend/panel"
)

// WebhookUpdate is a PATCH of webhook {id}: only the fields sent change.
type WebhookUpdate struct {
	ByID
	panel.WebhookPatch
}

// WebhookDeliveries pages the delivery log of webhook {id}.
type WebhookDeliveries struct {
	ByID
	panel.WebhookDeliveriesInput
}

// WebhookRedeliver names a delivery of webhook {id}.
type WebhookRedeliver struct {
	ByID
	DeliveryID int64 `json:"delivery_id" path:"delivery_id"`
}

const webhookDoc = "Administrators receive every event; resellers the events of their own customers (and their own)."

var webhookOps = []*Op{
	declare(Op{Name: "webhooksList", Scope: panel.AreaFullKey, Method: "GET", Path: "/webhooks", Tag: "Webhooks", Access: AnyAccount,
		Summary: "Webhook subscriptions (administrators: everyone's; resellers: their own)"},
		func(e Env, _ NoInput) (panel.WebhookList, error) { return e.Panel.Webhooks.List(e.Ctx) }),

	declare(Op{Name: "webhookCreate", Scope: panel.AreaFullKey, Method: "POST", Path: "/webhooks", Tag: "Webhooks", Access: AnyAccount,
		Status: http.StatusCreated, Errors: []int{409},
		Summary: "Subscribe a URL to events (administrators and resellers)",
		Description: "url: http or https. A URL on a loopback, private or link-local address is refused (fields.url = " +
			"private_target) unless the setting webhook_allow_private_targets is on; the address is checked again at " +
			"every delivery. events: names from the list in docs/api.md. secret: 16-200 characters, or empty to have one " +
			"generated; it is in this answer and not shown again (secret_hint: its last 4 characters). " + webhookDoc},
		func(e Env, in panel.WebhookInput) (panel.SavedWebhook, error) {
			return e.Panel.Webhooks.Create(e.Ctx, in)
		}),

	declare(Op{Name: "webhookGet", Scope: panel.AreaFullKey, Method: "GET", Path: "/webhooks/{id}", Tag: "Webhooks", Access: AnyAccount,
		Summary: "A webhook subscription"},
		func(e Env, in ByID) (*panel.Webhook, error) { return e.Panel.Webhooks.Get(e.Ctx, in.ID) }),

	declare(Op{Name: "webhookUpdate", Scope: panel.AreaFullKey, Method: "PATCH", Path: "/webhooks/{id}", Tag: "Webhooks", Access: AnyAccount,
		Summary:     "Change a webhook subscription (only the fields sent)",
		Description: "secret \"\" generates a new one, returned in this answer's secret (empty when the secret did not change)."},
		func(e Env, in WebhookUpdate) (panel.SavedWebhook, error) {
			return e.Panel.Webhooks.Update(e.Ctx, in.ID, in.WebhookPatch)
		}),

	declare(Op{Name: "webhookDelete", Scope: panel.AreaFullKey, Method: "DELETE", Path: "/webhooks/{id}", Tag: "Webhooks", Access: AnyAccount,
		Summary: "Delete a webhook subscription, its queue and its delivery log"},
		func(e Env, in ByID) (Deleted, error) { return Deleted{true}, e.Panel.Webhooks.Delete(e.Ctx, in.ID) }),

	declare(Op{Name: "webhookDeliveries", Scope: panel.AreaFullKey, Method: "GET", Path: "/webhooks/{id}/deliveries", Tag: "Webhooks",
		Access: AnyAccount, Summary: "The delivery log of a subscription, newest first",
		Description: "Each delivery with its state (queued, sending, delivered, failed), attempts, and the last attempt's " +
			"status code, duration and the first 1 KiB of the response. A failed attempt has error_kind, from a closed list " +
			"(dns, connect, timeout, tls, certificate, private_target, redirect, http_status, response_too_large, other; " +
			"\"\" when the last attempt did not fail), and error, the sender's own English text.",
		ParamDocs: map[string]string{"cursor": "next_cursor of the previous page", "limit": "page size, 1-200 (default 50)"}},
		func(e Env, in WebhookDeliveries) (panel.WebhookDeliveryPage, error) {
			return e.Panel.Webhooks.Deliveries(e.Ctx, in.ID, in.WebhookDeliveriesInput)
		}),

	declare(Op{Name: "webhookRedeliver", Scope: panel.AreaFullKey, Method: "POST", Path: "/webhooks/{id}/deliveries/{delivery_id}/redeliver",
		Tag: "Webhooks", Access: AnyAccount, NoBody: true, Status: http.StatusAccepted, Errors: []int{409},
		Summary:     "Send a delivered or failed delivery again",
		Description: "A new delivery of the same event and body (a new Castdesk-Delivery id, the same body id), queued last; 409 while the delivery is still queued."},
		func(e Env, in WebhookRedeliver) (*panel.WebhookDelivery, error) {
			return e.Panel.Webhooks.Redeliver(e.Ctx, in.ID, in.DeliveryID)
		}),

	declare(Op{Name: "webhookTest", Scope: panel.AreaFullKey, Method: "POST", Path: "/webhooks/{id}/test", Tag: "Webhooks",
		Access: AnyAccount, NoBody: true, Status: http.StatusAccepted, Errors: []int{409},
		Summary: "Send a test event (ping) to this subscription", Description: "409 while the subscription is off."},
		func(e Env, in ByID) (*panel.WebhookDelivery, error) { return e.Panel.Webhooks.Test(e.Ctx, in.ID) }),
}
