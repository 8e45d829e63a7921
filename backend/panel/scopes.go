package panel

import (
	"context"
	"fmt"
	"net/netip"
	"sort"
	"strings"
)

// API key scopes (docs/api.md, "Scopes"). A key without scopes acts with its
// account's full rights; a key with scopes acts with its account's rights
// narrowed to them: `read` reads every area, `<area>:read` reads one area,
// `<area>:write` reads and changes it. Scopes never widen anything: the
// services still authorize every call by the account behind the key.
//
// Which area an operation belongs to, and whether it reads or writes, is
// part of its declaration (backend/ops); the HTTP door asks CheckScope
// before running it. What a scope allows is decided here.

// Area is a part of the panel a scope names.
type Area string

const (
	AreaCustomers Area = "customers"
	AreaServices  Area = "services"
	AreaPlans     Area = "plans"
	AreaMedia     Area = "media"
	AreaMail      Area = "mail"
	AreaAudit     Area = "audit"
	AreaSettings  Area = "settings"

	// AreaAnyKey: any key may call the operation whatever its scopes (who am
	// I; actions that refuse every key anyway).
	AreaAnyKey Area = "any"
	// AreaFullKey: only a key without scopes may call it: managing API keys
	// and webhooks would otherwise let a narrow key make itself a wider one
	// (a new key, or a webhook that reports what its scopes cannot read).
	AreaFullKey Area = "full"
)

// ScopeAreas are the areas a scope may name, in the order the keys page lists them.
var ScopeAreas = []Area{AreaCustomers, AreaServices, AreaPlans, AreaMedia, AreaMail, AreaAudit, AreaSettings}

// ScopeReadAll is the scope that reads every area.
const ScopeReadAll = "read"

// AllScopes lists every scope string a key may hold. The audit log is
// read-only: it has no write scope.
func AllScopes() []string {
	out := []string{ScopeReadAll}
	for _, a := range ScopeAreas {
		out = append(out, string(a)+":read")
		if a != AreaAudit {
			out = append(out, string(a)+":write")
		}
	}
	return out
}

// ScopeName is the scope an operation of area needs ("customers:write").
func ScopeName(area Area, write bool) string {
	if write {
		return string(area) + ":write"
	}
	return string(area) + ":read"
}

// normalizeScopes validates scopes and returns them sorted without
// duplicates; nil (no scopes: full rights) for an empty list. A `:read`
// next to the same area's `:write` is dropped (write implies read).
func normalizeScopes(in []string, fields *Problems) []string {
	valid := map[string]bool{}
	for _, s := range AllScopes() {
		valid[s] = true
	}
	set := map[string]bool{}
	for _, s := range in {
		s = strings.ToLower(strings.TrimSpace(s))
		if s == "" {
			continue
		}
		if !valid[s] {
			fields.Add("scopes", ReasonInvalid, Params{"value": s})
			return nil
		}
		set[s] = true
	}
	var out []string
	for s := range set {
		if area, ok := strings.CutSuffix(s, ":read"); ok && (set[area+":write"] || set[ScopeReadAll]) {
			continue
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// scopesAllow tells whether scopes (nil: full rights) cover an operation of
// area; write: it changes something.
func scopesAllow(scopes []string, area Area, write bool) bool {
	if len(scopes) == 0 || area == AreaAnyKey {
		return true
	}
	if area == AreaFullKey {
		return false
	}
	for _, s := range scopes {
		switch {
		case s == ScopeName(area, true):
			return true
		case !write && (s == ScopeReadAll || s == ScopeName(area, false)):
			return true
		}
	}
	return false
}

// CheckScope refuses a call by an API key whose scopes do not cover an
// operation of area (write: one that changes something) with 403
// forbidden, field scope: missing_scope and the scope needed in params, or
// needs_full_key for what only a key without scopes may do. Sessions, the
// window and keys without scopes pass.
func CheckScope(ctx context.Context, area Area, write bool) error {
	c, ok := CallerFrom(ctx)
	if !ok || !c.ViaKey || scopesAllow(c.Scopes, area, write) {
		return nil
	}
	if area == AreaFullKey {
		return FieldError(CodeForbidden, "Only an API key without scopes can do this (managing API keys and webhooks).",
			"scope", ReasonNeedsFullKey, nil)
	}
	need := ScopeName(area, write)
	return FieldError(CodeForbidden, fmt.Sprintf("This API key lacks the scope %s.", need),
		"scope", ReasonMissingScope, Params{"required": need})
}

// Allowed client addresses of a key: single addresses or CIDR prefixes,
// IPv4 or IPv6. Stored canonical ("192.0.2.7", "198.51.100.0/24").
const allowedIPsMax = 50

func normalizeAllowedIPs(in []string, fields *Problems) []string {
	var out []string
	seen := map[string]bool{}
	for _, raw := range in {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		var canon string
		if strings.Contains(raw, "/") {
			p, err := netip.ParsePrefix(raw)
			if err != nil {
				fields.Add("allowed_ips", ReasonInvalid, Params{"value": raw})
				return nil
			}
			p = p.Masked()
			if p.Addr().Is4In6() {
				p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
			}
			canon = p.String()
		} else {
			a, err := netip.ParseAddr(raw)
			if err != nil {
				fields.Add("allowed_ips", ReasonInvalid, Params{"value": raw})
				return nil
			}
			canon = a.Unmap().WithZone("").String()
		}
		if !seen[canon] {
			seen[canon] = true
			out = append(out, canon)
		}
	}
	if len(out) > allowedIPsMax {
		fields.Add("allowed_ips", ReasonTooBig, Params{"max": allowedIPsMax})
		return nil
	}
	return out
}

// addressAllowed tells whether client (an IP address as the door sees it)
// is in allowed; an empty list allows every address.
func addressAllowed(allowed []string, client string) bool {
	if len(allowed) == 0 {
		return true
	}
	a, err := netip.ParseAddr(client)
	if err != nil {
		return false
	}
	a = a.Unmap().WithZone("")
	for _, s := range allowed {
		if strings.Contains(s, "/") {
			if p, err := netip.ParsePrefix(s); err == nil && p.Contains(a) {
				return true
			}
		} else if b, err := netip.ParseAddr(s); err == nil && b == a {
			return true
		}
	}
	return false
}
