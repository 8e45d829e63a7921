package httpapi

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Options are how `castdesk serve` is deployed.
type Options struct {
	// TrustedProxies are the reverse proxies in front of serve (--trusted-proxy).
	// Only a request whose TCP peer is in one of them has its
	// X-Forwarded-For / Forwarded / X-Forwarded-Proto headers believed; with
	// none, the headers are ignored and the peer is the client.
	TrustedProxies []netip.Prefix
}

// ParseTrustedProxy reads a --trusted-proxy value: a CIDR (10.0.0.0/8) or a
// single address (127.0.0.1, ::1).
func ParseTrustedProxy(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("--trusted-proxy %q is not a CIDR (like 127.0.0.1/32 or 10.0.0.0/8)", s)
		}
		if p.Addr().Is4In6() {
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("--trusted-proxy %q is not an address or a CIDR", s)
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// clientKey holds a request's client as resolved by resolveClient.
type clientKey struct{}

type clientInfo struct {
	addr  string
	https bool
}

// withClient resolves the request's client once, at the door, so every
// throttle, the audit log and the session list see the same address.
func (s *Server) withClient(r *http.Request) *http.Request {
	addr, https := ResolveClient(r.RemoteAddr, r.TLS != nil, r.Header, s.opts.TrustedProxies)
	return r.WithContext(context.WithValue(r.Context(), clientKey{}, clientInfo{addr: addr, https: https}))
}

// isHTTPS: the browser reached us over HTTPS (directly, or at a trusted proxy).
func isHTTPS(r *http.Request) bool {
	if c, ok := r.Context().Value(clientKey{}).(clientInfo); ok {
		return c.https
	}
	return r.TLS != nil
}

// ResolveClient is the client address and whether it came over HTTPS.
// peer is the TCP peer (http.Request.RemoteAddr). When the peer is a trusted
// proxy, the forwarding chain (Forwarded's for= values, or else
// X-Forwarded-For) is read from the right, skipping trusted proxies: the
// first untrusted address is the client (addresses further left were
// written by the client itself and prove nothing). An entry that is not an
// address ends the walk at the proxy that wrote it. The scheme is the
// proto= of the last Forwarded element, or else the last X-Forwarded-Proto.
func ResolveClient(peer string, tls bool, h http.Header, trusted []netip.Prefix) (string, bool) {
	host := peer
	if hp, _, err := net.SplitHostPort(peer); err == nil {
		host = hp
	}
	peerAddr, err := netip.ParseAddr(host)
	if err != nil || !isTrusted(peerAddr.Unmap(), trusted) {
		return host, tls
	}
	client := peerAddr.Unmap()
	var chain []string
	proto := ""
	if fwd := h.Values("Forwarded"); len(fwd) > 0 {
		for _, el := range forwardedElements(fwd) {
			chain = append(chain, el["for"])
			if p, ok := el["proto"]; ok {
				proto = p
			} else {
				proto = ""
			}
		}
	} else {
		for _, v := range h.Values("X-Forwarded-For") {
			for _, part := range strings.Split(v, ",") {
				chain = append(chain, strings.TrimSpace(part))
			}
		}
		if ps := h.Values("X-Forwarded-Proto"); len(ps) > 0 {
			parts := strings.Split(ps[len(ps)-1], ",")
			proto = strings.TrimSpace(parts[len(parts)-1])
		}
	}
	for i := len(chain) - 1; i >= 0; i-- {
		a, ok := forwardedAddr(chain[i])
		if !ok {
			break
		}
		client = a
		if !isTrusted(a, trusted) {
			break
		}
	}
	https := tls
	if proto != "" {
		https = strings.EqualFold(proto, "https")
	}
	return client.String(), https
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// forwardedAddr reads one node of a chain: 192.0.2.1, 192.0.2.1:4711,
// [2001:db8::1]:4711, 2001:db8::1; "unknown" and obfuscated ("_hidden")
// nodes are not addresses.
func forwardedAddr(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return netip.Addr{}, false
		}
		s = s[1:end]
	} else if strings.Count(s, ":") == 1 {
		s, _, _ = strings.Cut(s, ":")
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

// forwardedElements parses Forwarded headers (RFC 7239): elements separated
// by commas, each a ;-separated list of token=value pairs whose value may be
// a quoted string. Keys are lower-cased; a malformed element is kept empty
// (its for= is then no address, which ends the walk there).
func forwardedElements(values []string) []map[string]string {
	var out []map[string]string
	for _, v := range values {
		el := map[string]string{}
		i := 0
		for i <= len(v) {
			// key
			j := i
			for j < len(v) && v[j] != '=' && v[j] != ';' && v[j] != ',' {
				j++
			}
			key := strings.ToLower(strings.TrimSpace(v[i:j]))
			val := ""
			if j < len(v) && v[j] == '=' {
				j++
				for j < len(v) && v[j] == ' ' {
					j++
				}
				if j < len(v) && v[j] == '"' {
					var b strings.Builder
					j++
					for j < len(v) && v[j] != '"' {
						if v[j] == '\\' && j+1 < len(v) {
							j++
						}
						b.WriteByte(v[j])
						j++
					}
					j++ // closing quote
					val = b.String()
				} else {
					k := j
					for j < len(v) && v[j] != ';' && v[j] != ',' {
						j++
					}
					val = strings.TrimSpace(v[k:j])
				}
				for j < len(v) && v[j] != ';' && v[j] != ',' {
					j++ // junk after a quoted value
				}
			}
			if key != "" {
				el[key] = val
			}
			if j >= len(v) {
				out = append(out, el)
				break
			}
			if v[j] == ',' {
				out = append(out, el)
				el = map[string]string{}
			}
			i = j + 1
		}
	}
	return out
}
