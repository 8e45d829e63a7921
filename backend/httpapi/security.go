package httpapi

import (
	"net/http"

	"castdesk/backend/panel"
)

// pendingCookie carries a login that awaits its second factor between
// POST /auth/login and POST /auth/login/2fa: HttpOnly, SameSite=Strict, sent
// only to the login routes, and short-lived (the server forgets it after 5
// minutes anyway).
const (
	pendingCookie     = "castdesk_login_pending"
	pendingCookiePath = "/api/v1/auth/login"
	pendingCookieAge  = 5 * 60
)

func (d httpDoor) Client() panel.ClientInfo {
	return panel.ClientInfo{Address: clientID(d.r), UserAgent: d.r.UserAgent()}
}

func (d httpDoor) PendingLogin() string {
	c, err := d.r.Cookie(pendingCookie)
	if err != nil {
		return ""
	}
	return c.Value
}

func (d httpDoor) SetPendingLogin(token string) {
	if token == "" {
		if d.PendingLogin() != "" {
			http.SetCookie(d.w, &http.Cookie{Name: pendingCookie, Value: "", Path: pendingCookiePath, MaxAge: -1, HttpOnly: true,
				SameSite: http.SameSiteStrictMode, Secure: isHTTPS(d.r)})
		}
		return
	}
	http.SetCookie(d.w, &http.Cookie{Name: pendingCookie, Value: token, Path: pendingCookiePath, MaxAge: pendingCookieAge,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: isHTTPS(d.r)})
}
