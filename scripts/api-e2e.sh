#!/usr/bin/env bash
# api-e2e.sh — the API as a billing integration sees it: only curl and a key.
#
# Starts its own `castdesk serve` on 127.0.0.1:0 with a throw-away data dir,
# bootstraps once with the setup endpoint and a cookie (first admin, API
# access on, one key), then with ONLY the key: creates a customer and a
# service, suspends the service, deletes both, revokes the key — checking
# every status. Needs curl, grep and sed; nothing else.
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
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
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

call "a key cannot log in as someone" 403 POST "/api/v1/customers/$admin_id/login-as" "" "${auth[@]}"
call "the audit names the key" 200 GET "/api/v1/audit?event=account.delete" "" "${auth[@]}"
case $body in *via_api_key=cdk_*) ;; *) fail "audit does not name the key: $body" ;; esac
call "revoke the key, with itself" 200 DELETE "/api/v1/api-keys/$key_id" "" "${auth[@]}"
call "the revoked key is refused" 401 GET /api/v1/auth/me "" "${auth[@]}"
case $body in *revoked*) ;; *) fail "unclear answer to a revoked key: $body" ;; esac

echo "==> api-e2e: all passed"
