package desktop

import "castdesk/backend/panel"

// The window is one client on the desk's own machine: its sessions and
// sign-ins are recorded as "desktop" / "Castdesk window". A login awaiting
// its second factor is kept in the window's Session, like its token.

func (d windowDoor) Client() panel.ClientInfo {
	return panel.ClientInfo{Address: panel.DesktopAddress, UserAgent: panel.DesktopUserAgent}
}

func (d windowDoor) PendingLogin() string {
	d.s.mu.Lock()
	defer d.s.mu.Unlock()
	return d.s.pending
}

func (d windowDoor) SetPendingLogin(token string) {
	d.s.mu.Lock()
	d.s.pending = token
	d.s.mu.Unlock()
}
