#!/usr/bin/env bash
# api-e2e.sh — the API as a billing integration sees it: only curl and a key.
#
# Starts its own `castdesk serve` on 127.0.0.1:0 with a throw-away data dir,
# bootstraps once with the setup endpoint and a cookie (first admin, API
# access on, one key), then with ONLY the key: creates a customer and a
# service, suspends the service, deletes both, revokes the key — checking
# every status. Then, as a billing system: a key scoped to
# customers:write,services:write provisions a customer and a service and
# suspends it, while a webhook subscription receives the events, signed
# (scripts/webhook-receiver.mjs). Needs curl, grep, sed and node.
#
#   scripts/api-e2e.sh                   uses bin/castdesk (make build)
#   CASTDESK=/path/to/castdesk scripts/api-e2e.sh
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${CASTDESK:-bin/castdesk}
[ -x "$bin" ] || { echo "api-e2e.sh: $bin is not built (make build)" >&2; exit 1; }
command -v curl >/dev/null || { echo "api-e2e.sh: curl is missing (apt-get install curl)" >&2; exit 1; }

work=$(mktemp -d)
server_pid=
receiver_pid=
cleanup() {
  for pid in "$server_pid" "$receiver_pid"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  if [ "${keep_logs:-0}" = 1 ] && [ -d artifacts ]; then
    mkdir -p artifacts/api-e2e && cp "$work"/*.log artifacts/api-e2e/ 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'keep_logs=1' ERR

# --- the server -------------------------------------------------------------
"$bin" serve --addr 127.0.0.1:0 --data "$work/data" >"$work/server.log" 2>&1 &
server_pid=$!
base=
for _ in $(seq 1 100); do
  base=$(sed -n 's#.*serving at \(http://[0-9.:]*\)/.*#\1#p' "$work/server.log" | head -n1)
  [ -n "$base" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; echo "api-e2e.sh: the server did not start" >&2; exit 1; }
  sleep 0.1
done
[ -n "$base" ] || { cat "$work/server.log" >&2; echo "api-e2e.sh: the server printed no URL" >&2; exit 1; }
echo "==> castdesk serve at $base"

# --- the webhook receiver (it logs every delivery and checks its signature) --
command -v node >/dev/null || { echo "api-e2e.sh: node is missing (the webhook receiver)" >&2; exit 1; }
hook_secret='api-e2e-webhook-secret-0123456789'
node scripts/webhook-receiver.mjs "$hook_secret" "$work/hooks.log" >"$work/receiver.log" 2>&1 &
receiver_pid=$!
hook_url=
for _ in $(seq 1 100); do
  hook_url=$(sed -n 's#^listening on \(http://[0-9.:]*/hook\)$#\1#p' "$work/receiver.log" | head -n1)
  [ -n "$hook_url" ] && break
  sleep 0.1
done
[ -n "$hook_url" ] || { cat "$work/receiver.log" >&2; echo "api-e2e.sh: the webhook receiver did not start" >&2; exit 1; }
echo "==> webhook receiver at $hook_url"

# --- helpers ----------------------------------------------------------------
fail() { keep_logs=1; echo "FAIL: $*" >&2; exit 1; }

# call NAME WANT_STATUS METHOD PATH [JSON] [curl args...]: the body lands in $body.
body=
call() {
  local name=$1 want=$2 method=$3 path=$4 data=${5:-}
  shift 5 2>/dev/null || shift $#
  local args=(-sS -o "$work/body" -w '%{http_code}' -X "$method" "$@")
  [ -n "$data" ] && args+=(-H 'Content-Type: application/json' --data "$data")
  local status
  status=$(curl "${args[@]}" "$base$path") || fail "$name: curl failed"
  body=$(cat "$work/body")
  echo "$body" >>"$work/responses.log"
  if [ "$status" != "$want" ]; then
    fail "$name: $method $path answered $status, want $want: $body"
  fi
  printf '  ok  %-44s %s %s -> %s\n' "$name" "$method" "$path" "$status"
}

# json_field NAME: the first "NAME": value in $body (numbers and strings).
json_field() {
  printf '%s' "$body" | grep -o "\"$1\":\(\"[^\"]*\"\|[0-9-]*\)" | head -n1 | sed "s/^\"$1\"://; s/^\"//; s/\"$//"
}


pw='Api-E2e-Passw0rd!'
cookie=(-b "$work/cookies" -c "$work/cookies" -H 'X-Requested-With: castdesk')

# --- bootstrap, once, with a cookie ----------------------------------------
echo "==> bootstrap: first admin, API access, one key"
call "health" 200 GET /api/v1/health ""
call "setup: first admin" 201 POST /api/v1/setup \
  "{\"username\":\"admin\",\"password\":\"$pw\",\"password_confirm\":\"$pw\",\"name\":\"E2E Admin\",\"email\":\"admin@example.org\"}" "${cookie[@]}"
admin_id=$(json_field id)
call "no key yet: API access is off" 403 POST /api/v1/api-keys '{"name":"billing"}' "${cookie[@]}"
call "turn on the admin's API access" 200 PATCH "/api/v1/customers/$admin_id" '{"api_access":true}' "${cookie[@]}"
call "create a key" 201 POST /api/v1/api-keys '{"name":"billing"}' "${cookie[@]}"
key=$(json_field key)
key_id=$(json_field id)
case $key in cdk_*) ;; *) fail "the key does not look like one: $key" ;; esac
call "the list never shows the key again" 200 GET /api/v1/api-keys "" "${cookie[@]}"
case $body in *"$key"*) fail "the key is listed" ;; esac
rm -f "$work/cookies"

# --- from here on: only the key --------------------------------------------
auth=(-H "Authorization: Bearer $key")
echo "==> with only the key"
call "without a key: unauthorized" 401 GET /api/v1/customers ""
call "with a wrong key: unauthorized" 401 GET /api/v1/customers "" -H "Authorization: Bearer cdk_aaaaaaaa_wrong"
call "who am I" 200 GET /api/v1/auth/me "" "${auth[@]}"
[ "$(json_field username)" = admin ] || fail "the key acts as $(json_field username), not admin"
call "the OpenAPI document" 200 GET /api/v1/openapi.json "" "${auth[@]}"
case $body in *'"openapi":"3.'*) ;; *) fail "not an OpenAPI 3 document" ;; esac

call "create a customer" 201 POST /api/v1/customers \
  "{\"username\":\"radio-one\",\"password\":\"$pw\",\"password_confirm\":\"$pw\",\"name\":\"Radio One\",\"email\":\"radio@example.org\"}" "${auth[@]}"
customer_id=$(json_field id)
[ -n "$customer_id" ] || fail "no customer id in $body"
call "the customer's overview" 200 GET "/api/v1/customers/$customer_id" "" "${auth[@]}"

call "create a service" 201 POST /api/v1/services \
  "{\"owner_id\":$customer_id,\"name\":\"Radio One FM\",\"type\":\"icecast\",\"max_connections\":50,\"bitrate_kbps\":128}" "${auth[@]}"
service_id=$(json_field id)
[ -n "$service_id" ] || fail "no service id in $body"
[ "$(json_field status)" = active ] || fail "new service not active: $body"

call "suspend the service" 200 POST "/api/v1/services/$service_id/suspend" '{"reason":"unpaid invoice"}' "${auth[@]}"
[ "$(json_field status)" = suspended ] || fail "service not suspended: $body"
call "it shows as suspended" 200 GET "/api/v1/services/$service_id" "" "${auth[@]}"
[ "$(json_field status)" = suspended ] || fail "service not suspended on read: $body"

call "delete the service" 200 DELETE "/api/v1/services/$service_id" "" "${auth[@]}"
call "the service is gone" 404 GET "/api/v1/services/$service_id" "" "${auth[@]}"
call "delete needs the username to confirm" 400 DELETE "/api/v1/customers/$customer_id?confirm=wrong" "" "${auth[@]}"
call "delete the customer" 200 DELETE "/api/v1/customers/$customer_id?confirm=radio-one" "" "${auth[@]}"
call "the customer is gone" 404 GET "/api/v1/customers/$customer_id" "" "${auth[@]}"

# --- a billing system: a scoped key provisions, a webhook hears it ---------
echo "==> a key scoped to customers:write,services:write, and a webhook"
hook_events='["account.created","service.created","service.suspended","service.unsuspended","account.deleted"]'
call "a private webhook target is refused by default" 400 POST /api/v1/webhooks \
  "{\"url\":\"$hook_url\",\"events\":$hook_events}" "${auth[@]}"
case $body in *private_target*) ;; *) fail "not refused as a private target: $body" ;; esac
call "allow private webhook targets (the receiver is local)" 200 PATCH /api/v1/settings '{"webhook_allow_private_targets":true}' "${auth[@]}"
call "subscribe the receiver" 201 POST /api/v1/webhooks \
  "{\"url\":\"$hook_url\",\"events\":$hook_events,\"secret\":\"$hook_secret\"}" "${auth[@]}"
hook_id=$(json_field id)
call "a scoped key, from this address only" 201 POST /api/v1/api-keys \
  '{"name":"billing","scopes":["customers:write","services:write"],"allowed_ips":["127.0.0.1","::1"]}' "${auth[@]}"
billing_key=$(json_field key)
bill=(-H "Authorization: Bearer $billing_key")
call "the scoped key provisions a customer" 201 POST /api/v1/customers \
  "{\"username\":\"radio-two\",\"password\":\"$pw\",\"password_confirm\":\"$pw\",\"name\":\"Radio Two\",\"email\":\"two@example.org\"}" "${bill[@]}"
customer2=$(json_field id)
call "and its service" 201 POST /api/v1/services \
  "{\"owner_id\":$customer2,\"name\":\"Radio Two FM\",\"type\":\"icecast\",\"max_connections\":20}" "${bill[@]}"
service2=$(json_field id)
call "and suspends it (unpaid invoice)" 200 POST "/api/v1/services/$service2/suspend" '{"reason":"unpaid invoice"}' "${bill[@]}"
call "reseller plans are outside its scopes" 403 GET /api/v1/plans "" "${bill[@]}"
case $body in *missing_scope*plans:read*) ;; *) fail "unclear scope refusal: $body" ;; esac
call "so is managing webhooks" 403 GET /api/v1/webhooks "" "${bill[@]}"
case $body in *needs_full_key*) ;; *) fail "unclear scope refusal: $body" ;; esac
call "and the settings" 403 PATCH /api/v1/settings '{"webhook_allow_private_targets":false}' "${bill[@]}"

# The deliveries: queued with each change, sent by the worker at once.
want="account.created service.created service.suspended"
got=
for _ in $(seq 1 100); do
  got=$( (sed -n 's/^{"event":"\([a-z_.]*\)".*/\1/p' "$work/hooks.log" 2>/dev/null || true) | tr '\n' ' ' | sed 's/ $//')
  [ "$got" = "$want" ] && break
  sleep 0.1
done
[ "$got" = "$want" ] || fail "webhook events: got '$got', want '$want'"
valid=$(grep -c '"valid":true' "$work/hooks.log" || true)
[ "$valid" = 3 ] || fail "$valid of 3 deliveries had a valid Castdesk-Signature: $(cat "$work/hooks.log")"
grep -q '"suspend_reason":"unpaid invoice"' "$work/hooks.log" || fail "service.suspended lacks the service: $(cat "$work/hooks.log")"
printf '  ok  %-44s %s\n' "the receiver got, in order, signed" "$got"
call "the delivery log says delivered" 200 GET "/api/v1/webhooks/$hook_id/deliveries" "" "${auth[@]}"
case $body in *'"state":"delivered"'*'"status_code":200'*) ;; *) fail "delivery log: $body" ;; esac

call "a key cannot log in as someone" 403 POST "/api/v1/customers/$admin_id/login-as" "" "${auth[@]}"
call "the audit names the key" 200 GET "/api/v1/audit?event=account.delete" "" "${auth[@]}"
case $body in *via_api_key=cdk_*) ;; *) fail "audit does not name the key: $body" ;; esac
call "revoke the key, with itself" 200 DELETE "/api/v1/api-keys/$key_id" "" "${auth[@]}"
call "the revoked key is refused" 401 GET /api/v1/auth/me "" "${auth[@]}"
case $body in *revoked*) ;; *) fail "unclear answer to a revoked key: $body" ;; esac

# serve gives back the pages the loader relocated for the window door's
# libraries (serve_memory_linux.go) and must have gone on answering all the
# above without them: what is left private in libraries other than the C
# library's own is the few that a thread of their own may still run.
if [ -r "/proc/$server_pid/smaps" ]; then
  kib=$(awk '/^[0-9a-f]+-[0-9a-f]+ /{lib = ($6 ~ /\.so/ && $6 !~ /\/(ld-linux|libc\.so|libm\.so|libpthread|libdl\.so|librt\.so|libresolv|libnss_|libgcc_s)/)}
             /^Anonymous:/{if (lib) s += $2} END{print s + 0}' "/proc/$server_pid/smaps")
  [ "$kib" -lt 4096 ] || fail "serve still holds $kib KiB of relocated window-library pages"
  printf '  ok  %-44s %s\n' "window libraries' private pages given back" "$kib KiB left"
fi

echo "==> api-e2e: all passed"
