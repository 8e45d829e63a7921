package main

import (
	"context"
	"os"

	"castdesk/backend/panel"
)

// keyringService is the OS keyring entry's service name;
// CASTDESK_KEYRING_SERVICE lets tests and side-by-side installs keep their own.
func keyringService() string {
	if s := os.Getenv("CASTDESK_KEYRING_SERVICE"); s != "" {
		return s
	}
	return "castdesk"
}

// mailWorker runs the outbox worker: mail queued by any process on this
// data dir (the window and serve may share it) is sent from here; the
// outbox's claims keep each message to one sender.
type mailWorker struct {
	stop context.CancelFunc
	done chan struct{}
}

func startMailWorker(p *panel.Panel) *mailWorker {
	ctx, cancel := context.WithCancel(context.Background())
	w := &mailWorker{stop: cancel, done: make(chan struct{})}
	go func() {
		defer close(w.done)
		p.Mail.Run(ctx)
	}()
	return w
}

// Stop waits for a send in flight (bounded by its timeout) to record its
// verdict, so the store can close after it.
func (w *mailWorker) Stop() {
	if w == nil {
		return
	}
	w.stop()
	<-w.done
}
