package httpapi

import (
	"net/http"
	"strings"
)

// deviceCookie holds the browser's device tokens (panel/device.go), joined
// by "~": one per account that logged in from this browser. It is only sent
// to the login routes.
const (
	deviceCookie     = "castdesk_device"
	deviceCookiePath = "/api/v1/auth/"
	deviceCookieAge  = 180 * 24 * 60 * 60
	deviceSeparator  = "~"
)

func (d httpDoor) DeviceTokens() []string {
	c, err := d.r.Cookie(deviceCookie)
	if err != nil || c.Value == "" || len(c.Value) > 4096 {
		return nil
	}
	return strings.Split(c.Value, deviceSeparator)
}

func (d httpDoor) SetDeviceTokens(tokens []string) {
	http.SetCookie(d.w, &http.Cookie{Name: deviceCookie, Value: strings.Join(tokens, deviceSeparator), Path: deviceCookiePath,
		MaxAge: deviceCookieAge, HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: isHTTPS(d.r)})
}
