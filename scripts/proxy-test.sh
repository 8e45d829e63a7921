#!/usr/bin/env bash
# proxy-test.sh — `castdesk serve` as it runs on a real server:
#
#  1. behind a real nginx (Debian package) configured from the shipped
#     docs/deploy/nginx.conf, with TLS from a throw-away test CA (openssl),
#     in front of `serve --trusted-proxy 127.0.0.1/32`: HTTP redirects to
#     HTTPS; setup and login through HTTPS give Secure cookies and HSTS; live
#     media events (server-sent events) arrive through the proxy while a file
#     is uploaded through it; two clients with different X-Forwarded-For are
#     throttled apart (one gets 429, the other is not locked out and logs
#     in), and the session list and the audit log name the forwarded address;
#  2. serve with no trusted proxy, on 0.0.0.0: a forged X-Forwarded-For or
#     X-Forwarded-Proto changes nothing (same throttle, no Secure, no HSTS),
#     and serve warns about plain HTTP at start-up and in /health;
#  3. serve --tls-cert/--tls-key directly: HTTPS works, a SIGHUP after the
#     files are replaced makes a new connection see the new certificate
#     (serial compared with openssl s_client) while an open event stream
#     stays up; under systemd (INVOCATION_ID) the logs on stderr are JSON
#     lines; SIGTERM lets an upload in flight finish, then stops cleanly
#     ("Castdesk stopped.", exit 0);
#  4. Caddy: the shipped docs/deploy/Caddyfile validates, and a Caddy made
#     from it (site address and certificate swapped for the test ones)
#     forwards with HSTS and Secure cookies.
#
#   scripts/proxy-test.sh                uses bin/castdesk (make build)
#   CASTDESK=/path/to/castdesk scripts/proxy-test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

bin=${CASTDESK:-bin/castdesk}
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
[ -x "$bin" ] || { echo "proxy-test.sh: $bin is not built (make build)" >&2; exit 1; }
for tool in nginx caddy openssl curl python3; do
  command -v "$tool" >/dev/null || PATH=$PATH:/usr/sbin command -v "$tool" >/dev/null \
    || { echo "proxy-test.sh: $tool is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }
done
export PATH=$PATH:/usr/sbin

work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  if [ "${keep_logs:-0}" = 1 ]; then
    mkdir -p "$root/artifacts/proxy-test" && cp "$work"/*.log "$root/artifacts/proxy-test/" 2>/dev/null || true
    for f in "$work"/*.log; do echo "--- $f"; tail -n 30 "$f"; done >&2
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'keep_logs=1' ERR
fail() { keep_logs=1; echo "FAIL: $*" >&2; exit 1; }
ok() { printf '  ok  %s\n' "$*"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_serve NAME ARGS...: starts bin/castdesk serve, sets $serve_url and $serve_pid.
start_serve() {
  local name=$1
  shift
  "$bin" serve --data "$work/$name-data" "$@" >"$work/$name.log" 2>"$work/$name.err" &
  serve_pid=$!
  pids+=("$serve_pid")
  serve_url=
  for _ in $(seq 1 100); do
    serve_url=$(sed -n 's#.*serving at \(https*://[][0-9a-f.:]*\)/.*#\1#p' "$work/$name.log" | head -n1)
    [ -n "$serve_url" ] && break
    kill -0 "$serve_pid" 2>/dev/null || fail "$name: serve did not start: $(cat "$work/$name.err")"
    sleep 0.1
  done
  [ -n "$serve_url" ] || fail "$name: serve printed no URL"
}

# req NAME WANT URL [curl args...]: body in $body, headers in $headers.
body=
headers=
req() {
  local name=$1 want=$2 url=$3
  shift 3
  local status
  status=$(curl -sS -o "$work/body" -D "$work/headers" -w '%{http_code}' "$@" "$url") || fail "$name: curl failed"
  body=$(cat "$work/body")
  headers=$(tr -d '\r' <"$work/headers")
  [ "$status" = "$want" ] || fail "$name: $url answered $status, want $want: $body"
  printf '  ok  %-58s -> %s\n' "$name" "$status"
}
json_field() {
  printf '%s' "$body" | grep -o "\"$1\":\(\"[^\"]*\"\|[0-9-]*\|true\|false\)" | head -n1 | sed "s/^\"$1\"://; s/^\"//; s/\"$//"
}
pw='Proxy-Test-Passw0rd!'
setup_json="{\"username\":\"admin\",\"password\":\"$pw\",\"password_confirm\":\"$pw\",\"name\":\"Proxy Admin\",\"email\":\"admin@example.org\"}"
login_json="{\"username\":\"admin\",\"password\":\"$pw\"}"
csrf=(-H 'X-Requested-With: castdesk' -H 'Content-Type: application/json')

# bad_keys URL XFF: sends wrong API keys with X-Forwarded-For: XFF (an N in
# it becomes the try's number) until one is refused with 429 (the
# per-address throttle of unknown keys: 5 free, then a wait); fails after 20.
bad_keys() {
  local url=$1 xff status n
  for n in $(seq 1 20); do
    xff=${2//N/$n}
    status=$(curl -sS -o /dev/null -w '%{http_code}' "${tls[@]}" -H "X-Forwarded-For: $xff" \
      -H 'Authorization: Bearer cdk_aaaaaaaa_wrong' "$url/api/v1/auth/me")
    if [ "$status" = 429 ]; then
      printf '  ok  %-58s -> 429 after %d tries\n' "wrong API keys from X-Forwarded-For $2: locked out" "$n"
      return 0
    fi
    [ "$status" = 401 ] || fail "wrong key from $xff answered $status"
  done
  fail "20 wrong keys from $xff and no 429"
}
key_status() { # URL XFF: the status of one wrong key from XFF
  curl -sS -o /dev/null -w '%{http_code}' "${tls[@]}" -H "X-Forwarded-For: $1" \
    -H 'Authorization: Bearer cdk_aaaaaaaa_wrong' "$serve_or_proxy/api/v1/auth/me"
}

# --- a throw-away CA and two server certificates ------------------------------
echo "==> test CA (openssl): ca.pem; server certificates one.pem and two.pem for localhost/127.0.0.1"
cd "$work"
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj "/CN=Castdesk proxy-test CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>/dev/null
for n in one two; do
  openssl req -newkey rsa:2048 -nodes -keyout "$n.key" -out "$n.csr" -subj "/CN=localhost" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$n.ext"
  openssl x509 -req -in "$n.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile "$n.ext" -out "$n.pem" 2>/dev/null
done
serial_one=$(openssl x509 -in one.pem -noout -serial)
serial_two=$(openssl x509 -in two.pem -noout -serial)
[ "$serial_one" != "$serial_two" ] || fail "the two certificates have one serial"
cd "$root"
tls=(--cacert "$work/ca.pem")

# --- 1. nginx in front of serve --trusted-proxy 127.0.0.1/32 ---------------
echo "==> 1. nginx (from docs/deploy/nginx.conf) in front of serve --trusted-proxy 127.0.0.1/32"
start_serve proxied --addr 127.0.0.1:0 --trusted-proxy 127.0.0.1/32
serve_port=${serve_url##*:}
https_port=$(free_port)
http_port=$(free_port)
mkdir -p "$work/nginx/tmp"
chmod -R 777 "$work/nginx"
# The shipped site, with test ports, certificate and no IPv6 listener.
sed -e '/listen \[::\]/d' \
    -e "s#listen 80;#listen 127.0.0.1:$http_port;#" \
    -e "s#listen 443 ssl http2;#listen 127.0.0.1:$https_port ssl http2;#" \
    -e "s#/etc/letsencrypt/live/castdesk.example.com/fullchain.pem#$work/one.pem#" \
    -e "s#/etc/letsencrypt/live/castdesk.example.com/privkey.pem#$work/one.key#" \
    -e "s#http://127.0.0.1:2020#http://127.0.0.1:$serve_port#" \
    docs/deploy/nginx.conf >"$work/nginx/castdesk.conf"
grep -q "127.0.0.1:$serve_port" "$work/nginx/castdesk.conf" || fail "docs/deploy/nginx.conf: no proxy_pass to 127.0.0.1:2020"
grep -q 'client_max_body_size *2049m' docs/deploy/nginx.conf || fail "docs/deploy/nginx.conf: client_max_body_size is not the upload limit (2 GiB + 1 MiB)"
cat >"$work/nginx/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 64; }
http {
    access_log $work/nginx-access.log;
    client_body_temp_path $work/nginx/tmp/body;
    proxy_temp_path $work/nginx/tmp/proxy;
    fastcgi_temp_path $work/nginx/tmp/fastcgi;
    uwsgi_temp_path $work/nginx/tmp/uwsgi;
    scgi_temp_path $work/nginx/tmp/scgi;
    include $work/nginx/castdesk.conf;
}
EOF
nginx -t -q -p "$work/nginx" -c "$work/nginx/nginx.conf" 2>"$work/nginx-t.log" || fail "nginx -t: $(cat "$work/nginx-t.log")"
ok "nginx -t accepts the shipped site"
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" 2>>"$work/nginx-error.log" &
pids+=($!)
proxy="https://localhost:$https_port"
for _ in $(seq 1 100); do
  curl -s -o /dev/null "${tls[@]}" "$proxy/api/v1/health" && break
  sleep 0.1
done

req "plain HTTP at nginx redirects to HTTPS" 301 "http://localhost:$http_port/api/v1/health"
grep -qi "^location: https://localhost" <<<"$headers" || fail "redirect not to https: $headers"
req "health through nginx over HTTPS" 200 "$proxy/api/v1/health" "${tls[@]}"
grep -qi '^strict-transport-security: max-age=31536000' <<<"$headers" || fail "no HSTS through nginx: $headers"
ok "HSTS: Strict-Transport-Security: max-age=31536000"
[ "$(json_field database)" = ok ] && [ "$(json_field watcher)" = running ] && [ "$(json_field mail_worker)" = running ] \
  || fail "health does not report database/watcher/mail worker: $body"
[ "$(json_field plain_http)" = false ] || fail "loopback serve says plain_http: $body"
ok "health: database ok, watcher running, mail_worker running, plain_http false"

jar=(-b "$work/cookies" -c "$work/cookies")
req "setup: first admin through HTTPS" 201 "$proxy/api/v1/setup" "${tls[@]}" "${csrf[@]}" "${jar[@]}" --data "$setup_json"
grep -i '^set-cookie: castdesk_session=' <<<"$headers" | grep -qi '; *secure' || fail "session cookie without Secure: $headers"
admin_id=$(json_field id)
req "log out" 200 "$proxy/api/v1/auth/logout" "${tls[@]}" "${csrf[@]}" "${jar[@]}" -X POST
req "log in through HTTPS" 200 "$proxy/api/v1/auth/login" "${tls[@]}" "${csrf[@]}" "${jar[@]}" --data "$login_json"
sc=$(grep -i '^set-cookie:' <<<"$headers" || true)
[ -n "$sc" ] || fail "login set no cookie"
if grep -vqi '; *secure' <<<"$sc"; then fail "a cookie without Secure over HTTPS: $sc"; fi
ok "every cookie set at login is Secure ($(grep -c . <<<"$sc") cookies)"

# Live media events through the proxy: open the stream, upload, see it.
curl -sS -N --max-time 30 "${tls[@]}" "${jar[@]}" "$proxy/api/v1/customers/$admin_id/media/events" >"$work/events.log" 2>&1 &
events_pid=$!
pids+=("$events_pid")
for _ in $(seq 1 100); do grep -q '"files":0' "$work/events.log" && break; sleep 0.1; done
grep -q '"files":0' "$work/events.log" || fail "no first media event through nginx: $(cat "$work/events.log")"
ok "media event stream open through nginx (first event: files 0)"
head -c 200000 /dev/urandom >"$work/jingle.mp3"
req "upload a file through nginx" 201 "$proxy/api/v1/customers/$admin_id/media" "${tls[@]}" "${jar[@]}" \
  -H 'X-Requested-With: castdesk' -F "file=@$work/jingle.mp3;type=audio/mpeg"
for _ in $(seq 1 100); do grep -q '"files":1' "$work/events.log" && break; sleep 0.1; done
grep -q '"files":1' "$work/events.log" || fail "the upload's media event did not come through nginx: $(cat "$work/events.log")"
ok "the upload's media event arrived through nginx while the stream stayed open"
kill "$events_pid" 2>/dev/null || true

# Two clients behind the proxy, told apart by the address nginx forwards.
serve_or_proxy=$proxy
bad_keys "$proxy" 203.0.113.10
[ "$(key_status 203.0.113.20)" = 401 ] || fail "203.0.113.20 is locked out with 203.0.113.10"
ok "203.0.113.20 is not locked out (its wrong key: 401, not 429)"
rm -f "$work/cookies2"
req "203.0.113.20 logs in through nginx" 200 "$proxy/api/v1/auth/login" "${tls[@]}" "${csrf[@]}" \
  -b "$work/cookies2" -c "$work/cookies2" -H 'X-Forwarded-For: 203.0.113.20' --data "$login_json"
req "203.0.113.20's session list" 200 "$proxy/api/v1/auth/sessions" "${tls[@]}" -b "$work/cookies2" -H 'X-Forwarded-For: 203.0.113.20'
grep -q '"address":"203.0.113.20"' <<<"$body" || fail "the session list does not show 203.0.113.20: $body"
ok "the session list shows the session from 203.0.113.20"
req "a failed login from 203.0.113.20" 401 "$proxy/api/v1/auth/login" "${tls[@]}" "${csrf[@]}" \
  -H 'X-Forwarded-For: 203.0.113.20' --data "{\"username\":\"admin\",\"password\":\"wrong-$pw\"}"
req "the audit log" 200 "$proxy/api/v1/audit?limit=50" "${tls[@]}" "${jar[@]}"
grep -q 'client=203.0.113.20' <<<"$body" || fail "the audit log does not name the forwarded address 203.0.113.20: $body"
if grep -q 'client=127.0.0.1' <<<"$body"; then fail "the audit log names the proxy, not the client: $body"; fi
ok "the audit log names client=203.0.113.20, never the proxy's 127.0.0.1"

# --- 2. no trusted proxy: forged headers change nothing --------------------
echo "==> 2. serve with no trusted proxy, on 0.0.0.0 (plain HTTP reachable by others)"
start_serve open --addr 0.0.0.0:0
open_url="http://127.0.0.1:${serve_url##*:}"
grep -q 'WARNING: Castdesk answers over plain HTTP' "$work/open.err" || fail "no plain-HTTP warning at start-up: $(cat "$work/open.err")"
ok "start-up warns: $(grep -m1 WARNING "$work/open.err")"
req "health (plain_http)" 200 "$open_url/api/v1/health" -H 'X-Forwarded-Proto: https'
[ "$(json_field plain_http)" = true ] || fail "health does not say plain_http: $body"
if grep -qi '^strict-transport-security' <<<"$headers"; then fail "HSTS over plain HTTP for a forged X-Forwarded-Proto"; fi
ok "health says plain_http: true; a forged X-Forwarded-Proto: https gives no HSTS"
req "setup with forged X-Forwarded-Proto: https" 201 "$open_url/api/v1/setup" "${csrf[@]}" -H 'X-Forwarded-Proto: https' --data "$setup_json"
if grep -i '^set-cookie:' <<<"$headers" | grep -qi 'secure'; then fail "Secure cookie for a forged X-Forwarded-Proto: $headers"; fi
ok "no Secure cookie for a forged X-Forwarded-Proto"
saved_tls=("${tls[@]}")
tls=()
serve_or_proxy=$open_url
# A new forged address on every try: were it believed, each try would be a
# new client's first (free) failure and no 429 would ever come.
bad_keys "$open_url" '198.51.100.N, 192.0.2.N'
ok "wrong keys with a different forged X-Forwarded-For each are counted as one client"
tls=("${saved_tls[@]}")

# --- 3. serve --tls-cert --tls-key -------------------------------------------
echo "==> 3. serve --tls-cert --tls-key, SIGHUP reload, JSON logs under systemd, SIGTERM"
cp "$work/one.pem" "$work/live.pem"
cp "$work/one.key" "$work/live.key"
INVOCATION_ID=proxy-test start_serve direct --addr 127.0.0.1:0 --tls-cert "$work/live.pem" --tls-key "$work/live.key"
direct_pid=$serve_pid
case $serve_url in https://*) ;; *) fail "serve --tls-cert prints $serve_url" ;; esac
direct="https://localhost:${serve_url##*:}"
req "health over serve's own HTTPS" 200 "$direct/api/v1/health" "${tls[@]}"
grep -qi '^strict-transport-security: max-age=31536000' <<<"$headers" || fail "no HSTS over direct TLS"
[ "$(json_field plain_http)" = false ] || fail "TLS serve says plain_http"
ok "HSTS over direct TLS; plain_http false"
served_serial() {
  openssl s_client -connect "127.0.0.1:${serve_url##*:}" -servername localhost -CAfile "$work/ca.pem" </dev/null 2>/dev/null \
    | openssl x509 -noout -serial
}
before=$(served_serial)
[ "$before" = "$serial_one" ] || fail "served $before, want $serial_one"
ok "served certificate before: $before"
req "setup on the TLS server" 201 "$direct/api/v1/setup" "${tls[@]}" "${csrf[@]}" -b "$work/cookies3" -c "$work/cookies3" --data "$setup_json"
direct_admin=$(json_field id)
curl -sS -N --max-time 30 "${tls[@]}" -b "$work/cookies3" "$direct/api/v1/customers/$direct_admin/media/events" >"$work/direct-events.log" 2>&1 &
stream_pid=$!
pids+=("$stream_pid")
for _ in $(seq 1 100); do grep -q '"files":0' "$work/direct-events.log" && break; sleep 0.1; done
grep -q '"files":0' "$work/direct-events.log" || fail "no event stream over direct TLS"
cp "$work/two.pem" "$work/live.pem"
cp "$work/two.key" "$work/live.key"
kill -HUP "$direct_pid"
after=$before
for _ in $(seq 1 50); do
  after=$(served_serial)
  [ "$after" = "$serial_two" ] && break
  sleep 0.1
done
[ "$after" = "$serial_two" ] || fail "after SIGHUP a new connection still gets $after"
ok "after SIGHUP a new connection gets $after"
kill -0 "$stream_pid" 2>/dev/null || fail "the event stream opened before the reload was dropped"
ok "the event stream opened before the reload is still up"
req "health after the reload" 200 "$direct/api/v1/health" "${tls[@]}"
grep -q '^{.*"msg":"serving"' "$work/direct.err" || fail "under systemd the stderr log is not JSON lines: $(head -3 "$work/direct.err")"
grep -q '^{.*"msg":"TLS certificate reloaded"' "$work/direct.err" || fail "no JSON line for the reload on stderr"
if grep -v '^{' "$work/direct.err" | grep -q .; then fail "stderr under systemd has non-JSON lines: $(grep -v '^{' "$work/direct.err" | head -3)"; fi
ok "under systemd (INVOCATION_ID) stderr is JSON lines ($(grep -c . "$work/direct.err") lines)"
kill "$stream_pid" 2>/dev/null || true
# SIGTERM while an upload is still being sent (300 kB at 100 kB/s): the
# upload finishes (201) before serve closes the database and exits 0.
head -c 300000 /dev/urandom >"$work/slow.mp3"
curl -sS -o "$work/slow-upload.json" -w '%{http_code}' --limit-rate 100k "${tls[@]}" -b "$work/cookies3" \
  -H 'X-Requested-With: castdesk' -F "file=@$work/slow.mp3;type=audio/mpeg" \
  "$direct/api/v1/customers/$direct_admin/media" >"$work/slow-upload.status" 2>"$work/slow-upload.log" &
upload_pid=$!
sleep 1 # the upload is under way (it needs about 3 s)
kill -TERM "$direct_pid"
wait "$upload_pid" || true
[ "$(cat "$work/slow-upload.status")" = 201 ] || fail "the upload in flight at SIGTERM answered $(cat "$work/slow-upload.status"): $(cat "$work/slow-upload.json" "$work/slow-upload.log")"
ok "an upload in flight at SIGTERM finished: 201"
rc=0
wait "$direct_pid" || rc=$?
[ "$rc" = 0 ] || fail "serve exited $rc on SIGTERM"
grep -q 'Castdesk stopped.' "$work/direct.log" || fail "serve did not say it stopped"
grep -q '"msg":"shutting down"' "$work/direct.err" || fail "no shutdown log line"
find "$work/direct-data" -name slow.mp3 -size 300000c | grep -q . || fail "the upload in flight at SIGTERM is not on disk, whole"
ok "SIGTERM: requests in flight finished, shut down cleanly, exit 0"

# --- 4. Caddy ----------------------------------------------------------------
echo "==> 4. Caddy (docs/deploy/Caddyfile)"
export HOME=$work/caddy-home XDG_DATA_HOME=$work/caddy-home XDG_CONFIG_HOME=$work/caddy-home
mkdir -p "$HOME"
caddy validate --config docs/deploy/Caddyfile --adapter caddyfile >"$work/caddy-validate.log" 2>&1 \
  || fail "caddy validate docs/deploy/Caddyfile: $(cat "$work/caddy-validate.log")"
ok "caddy validate accepts docs/deploy/Caddyfile"
caddy_port=$(free_port)
{
  printf '{\n\tadmin off\n\tauto_https disable_redirects\n\thttp_port %s\n\thttps_port %s\n}\n' "$(free_port)" "$caddy_port"
  sed -e "s#^castdesk.example.com {#https://localhost:$caddy_port {\n\ttls $work/one.pem $work/one.key#" \
      -e "s#reverse_proxy 127.0.0.1:2020#reverse_proxy 127.0.0.1:$serve_port#" docs/deploy/Caddyfile
} >"$work/Caddyfile"
caddy run --config "$work/Caddyfile" --adapter caddyfile >"$work/caddy.log" 2>&1 &
pids+=($!)
caddy_url="https://localhost:$caddy_port"
for _ in $(seq 1 100); do
  curl -s -o /dev/null "${tls[@]}" "$caddy_url/api/v1/health" && break
  sleep 0.1
done
req "health through Caddy" 200 "$caddy_url/api/v1/health" "${tls[@]}"
grep -qi '^strict-transport-security: max-age=31536000' <<<"$headers" || fail "no HSTS through Caddy"
req "log in through Caddy (a client forging X-Forwarded-For)" 200 "$caddy_url/api/v1/auth/login" "${tls[@]}" "${csrf[@]}" \
  -H 'X-Forwarded-For: 192.0.2.99' --data "$login_json"
grep -i '^set-cookie: castdesk_session=' <<<"$headers" | grep -qi '; *secure' || fail "no Secure session cookie through Caddy"
ok "Caddy: HSTS and a Secure session cookie"

echo "proxy-test.sh: all passed"
