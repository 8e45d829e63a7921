package httpapi

import (
	"net"
	"net/http"
	"net/url"
	"strings"
)

// crossSite tells whether a browser says the request comes from another
// site: Sec-Fetch-Site: cross-site, or an Origin whose host is not the
// request's Host. The Host header is what the browser addressed, also
// behind a reverse proxy that passes it on (as proxies are set up to), so
// same-origin needs no configured URL. Requests without either header
// (curl, API clients) are not browsers' and are left to the other checks.
// Defence in depth beside SameSite=Strict and X-Requested-With.
func crossSite(r *http.Request) bool {
	if strings.EqualFold(r.Header.Get("Sec-Fetch-Site"), "cross-site") {
		return true
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return true // "null" (a sandboxed or file: page) or garbage: not us
	}
	return !sameHost(hostPort(u.Host, u.Scheme), hostPort(r.Host, u.Scheme))
}

// hostPort is host:port in lower case, with the scheme's default port
// when none is written.
func hostPort(h, scheme string) string {
	h = strings.ToLower(h)
	if _, _, err := net.SplitHostPort(h); err == nil {
		return h
	}
	port := "80"
	if scheme == "https" {
		port = "443"
	}
	return net.JoinHostPort(strings.Trim(h, "[]"), port)
}

func sameHost(a, b string) bool { return a != "" && a == b }
