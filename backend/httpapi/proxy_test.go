package httpapi_test

import (
	"net/http"
	"net/netip"
	"testing"

	"castdesk/backend/httpapi"
)

func prefixes(t *testing.T, ss ...string) []netip.Prefix {
	t.Helper()
	var out []netip.Prefix
	for _, s := range ss {
		p, err := httpapi.ParseTrustedProxy(s)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// ResolveClient believes forwarding headers only from a trusted peer, and
// then takes the right-most untrusted address of the chain.
func TestResolveClient(t *testing.T) {
	trusted := prefixes(t, "127.0.0.1/32", "10.0.0.0/8", "::1")
	cases := []struct {
		name      string
		peer      string
		tls       bool
		headers   map[string][]string
		trusted   []netip.Prefix
		wantAddr  string
		wantHTTPS bool
	}{
		{name: "no proxy trusted: headers ignored", peer: "127.0.0.1:5000",
			headers:  map[string][]string{"X-Forwarded-For": {"203.0.113.9"}, "X-Forwarded-Proto": {"https"}},
			wantAddr: "127.0.0.1"},
		{name: "untrusted peer: forged headers ignored", peer: "198.51.100.7:5000", trusted: trusted,
			headers:  map[string][]string{"X-Forwarded-For": {"203.0.113.9"}, "X-Forwarded-Proto": {"https"}, "Forwarded": {"for=203.0.113.9;proto=https"}},
			wantAddr: "198.51.100.7"},
		{name: "untrusted peer over TLS", peer: "198.51.100.7:5000", tls: true, trusted: trusted, wantAddr: "198.51.100.7", wantHTTPS: true},
		{name: "trusted peer, one hop", peer: "127.0.0.1:5000", trusted: trusted,
			headers:  map[string][]string{"X-Forwarded-For": {"203.0.113.9"}, "X-Forwarded-Proto": {"https"}},
			wantAddr: "203.0.113.9", wantHTTPS: true},
		{name: "trusted peer, no headers", peer: "127.0.0.1:5000", trusted: trusted, wantAddr: "127.0.0.1"},
		{name: "client-forged left entries are skipped", peer: "127.0.0.1:5000", trusted: trusted,
			headers:  map[string][]string{"X-Forwarded-For": {"1.2.3.4, 203.0.113.9"}},
			wantAddr: "203.0.113.9"},
		{name: "chain of trusted proxies", peer: "127.0.0.1:5000", trusted: trusted,
			headers:  map[string][]string{"X-Forwarded-For": {"1.2.3.4, 203.0.113.9, 10.1.2.3", "10.0.0.5"}},
			wantAddr: "203.0.113.9"},
		{name: "all trusted: left-most", peer: "127.0.0.1:5000", trusted: trusted,
			headers:  map[string][]string{"X-Forwarded-For": {"10.9.9.9, 10.0.0.5"}},
			wantAddr: "10.9.9.9"},
		{name: "garbage ends the walk at the proxy that wrote it", peer: "127.0.0.1:5000", trusted: trusted,
			headers:  map[string][]string{"X-Forwarded-For": {"203.0.113.9, nonsense, 10.0.0.5"}},
			wantAddr: "10.0.0.5"},
		{name: "garbage only: the peer", peer: "127.0.0.1:5000", trusted: trusted,
			headers:  map[string][]string{"X-Forwarded-For": {"nonsense"}},
			wantAddr: "127.0.0.1"},
		{name: "proto http from proxy over TLS means http", peer: "127.0.0.1:5000", tls: true, trusted: trusted,
			headers:  map[string][]string{"X-Forwarded-Proto": {"http"}},
			wantAddr: "127.0.0.1", wantHTTPS: false},
		{name: "last X-Forwarded-Proto wins", peer: "127.0.0.1:5000", trusted: trusted,
			headers:  map[string][]string{"X-Forwarded-Proto": {"http, HTTPS"}},
			wantAddr: "127.0.0.1", wantHTTPS: true},
		{name: "Forwarded: quoted IPv6 with port, proto", peer: "[::1]:5000", trusted: trusted,
			headers:  map[string][]string{"Forwarded": {`for="[2001:db8:cafe::17]:4711";proto=https;by=10.0.0.1`}},
			wantAddr: "2001:db8:cafe::17", wantHTTPS: true},
		{name: "Forwarded wins over X-Forwarded-For", peer: "127.0.0.1:5000", trusted: trusted,
			headers:  map[string][]string{"Forwarded": {"for=192.0.2.60;proto=http, for=198.51.100.17"}, "X-Forwarded-For": {"203.0.113.9"}},
			wantAddr: "198.51.100.17"},
		{name: "Forwarded: several headers, trusted hop skipped, case and spaces", peer: "127.0.0.1:5000", trusted: trusted,
			headers:  map[string][]string{"Forwarded": {"For=192.0.2.60:8080 ; Proto=https", `for="10.0.0.7"`}},
			wantAddr: "192.0.2.60", wantHTTPS: false},
		{name: "Forwarded: proto of the last element", peer: "127.0.0.1:5000", trusted: trusted,
			headers:  map[string][]string{"Forwarded": {"for=10.0.0.7, for=192.0.2.60;proto=https"}},
			wantAddr: "192.0.2.60", wantHTTPS: true},
		{name: "Forwarded: unknown and obfuscated are not addresses", peer: "127.0.0.1:5000", trusted: trusted,
			headers:  map[string][]string{"Forwarded": {"for=192.0.2.1, for=unknown, for=_hidden"}},
			wantAddr: "127.0.0.1"},
		{name: "Forwarded: quoted comma does not split", peer: "127.0.0.1:5000", trusted: trusted,
			headers:  map[string][]string{"Forwarded": {`for=192.0.2.43;by="a,b"`}},
			wantAddr: "192.0.2.43"},
		{name: "IPv4-mapped peer is trusted as IPv4", peer: "[::ffff:127.0.0.1]:5000", trusted: trusted,
			headers:  map[string][]string{"X-Forwarded-For": {"::ffff:203.0.113.9"}},
			wantAddr: "203.0.113.9"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := http.Header{}
			for k, vs := range c.headers {
				for _, v := range vs {
					h.Add(k, v)
				}
			}
			addr, https := httpapi.ResolveClient(c.peer, c.tls, h, c.trusted)
			if addr != c.wantAddr || https != c.wantHTTPS {
				t.Errorf("got (%s, https=%v), want (%s, https=%v)", addr, https, c.wantAddr, c.wantHTTPS)
			}
		})
	}
}

func TestParseTrustedProxy(t *testing.T) {
	for in, want := range map[string]string{"127.0.0.1": "127.0.0.1/32", "10.1.2.3/8": "10.0.0.0/8", "::1": "::1/128", "fd00::/8": "fd00::/8"} {
		p, err := httpapi.ParseTrustedProxy(in)
		if err != nil || p.String() != want {
			t.Errorf("ParseTrustedProxy(%q) = %v, %v; want %s", in, p, err, want)
		}
	}
	for _, bad := range []string{"", "localhost", "10.0.0.0/33", "1.2.3"} {
		if _, err := httpapi.ParseTrustedProxy(bad); err == nil {
			t.Errorf("ParseTrustedProxy(%q) accepted", bad)
		}
	}
}
