package ops

import "castdesk/backend/panel"

// DeviceDoor is what a door that keeps device tokens offers (panel/device.go):
// the HTTP door keeps them in the castdesk_device cookie, the window in its
// process and data directory. Login reads them and stores what the panel
// answers after a right password.
type DeviceDoor interface {
	DeviceTokens() []string
	SetDeviceTokens(tokens []string)
}

// loginFrom is a login's input with the client and the device tokens the
// door knows.
func loginFrom(e Env, in panel.LoginInput) panel.LoginInput {
	in.Client = e.Door.ClientID()
	if d, ok := e.Door.(DeviceDoor); ok {
		in.DeviceTokens = d.DeviceTokens()
	}
	return in
}

// keepDevices stores the device tokens a login answered, if any.
func keepDevices(e Env, tokens []string) {
	if d, ok := e.Door.(DeviceDoor); ok && tokens != nil {
		d.SetDeviceTokens(tokens)
	}
}
