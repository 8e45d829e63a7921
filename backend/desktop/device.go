package desktop

import (
	"os"
	"strings"
	"sync"
)

// The window's device tokens (panel/device.go): the window trusted for the
// accounts that logged in there, so failed logins elsewhere (a browser, an
// attacker on the network) never lock its owner out. They live in this
// process and in a file of the data directory (0600), as a browser keeps
// its castdesk_device cookie; the page never sees them.
type windowDevices struct {
	mu     sync.Mutex
	loaded bool
	tokens []string
}

func (d windowDoor) DeviceTokens() []string {
	dv := &d.s.devices
	dv.mu.Lock()
	defer dv.mu.Unlock()
	if !dv.loaded {
		dv.loaded = true
		if b, err := os.ReadFile(d.s.panel.Auth.WindowDeviceFile()); err == nil {
			dv.tokens = strings.Fields(string(b))
		}
	}
	return append([]string(nil), dv.tokens...)
}

func (d windowDoor) SetDeviceTokens(tokens []string) {
	dv := &d.s.devices
	dv.mu.Lock()
	defer dv.mu.Unlock()
	dv.loaded, dv.tokens = true, append([]string(nil), tokens...)
	path := d.s.panel.Auth.WindowDeviceFile()
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(strings.Join(tokens, "\n")+"\n"), 0o600); err == nil {
		os.Rename(tmp, path) // kept in memory anyway when the file cannot be written
	}
}
