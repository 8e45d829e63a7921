package panel

import "sync"

// The state of a process's background workers and of its transport, for
// /health (monitoring). The process that runs a worker reports it; one that
// runs none (the console commands, most tests) reports "off".
const (
	WorkerOff     = "off"
	WorkerRunning = "running"
	WorkerStopped = "stopped"
)

// Worker names.
const (
	WorkerWatcher = "watcher"
	WorkerMail    = "mail"
)

type monitor struct {
	mu        sync.Mutex
	workers   map[string]string
	plainHTTP bool
}

// SetWorker records a background worker's state (WorkerRunning, WorkerStopped).
func (p *Panel) SetWorker(name, state string) {
	p.mon.mu.Lock()
	defer p.mon.mu.Unlock()
	if p.mon.workers == nil {
		p.mon.workers = map[string]string{}
	}
	p.mon.workers[name] = state
}

func (p *Panel) worker(name string) string {
	p.mon.mu.Lock()
	defer p.mon.mu.Unlock()
	if s, ok := p.mon.workers[name]; ok {
		return s
	}
	return WorkerOff
}

// SetPlainHTTP records that serve answers over plain HTTP on an address
// other machines can reach (no --tls-cert, not loopback): passwords and
// session cookies then cross the network readable, and Settings says so.
func (p *Panel) SetPlainHTTP(exposed bool) {
	p.mon.mu.Lock()
	defer p.mon.mu.Unlock()
	p.mon.plainHTTP = exposed
}

func (p *Panel) isPlainHTTP() bool {
	p.mon.mu.Lock()
	defer p.mon.mu.Unlock()
	return p.mon.plainHTTP
}
