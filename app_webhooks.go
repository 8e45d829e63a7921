package main

import (
	"context"

	"castdesk/backend/panel"
)

// webhookWorker runs the webhook delivery worker (it also emails the
// owners of API keys about to expire): deliveries queued by any process on
// this data dir are sent from here; claims keep each to one sender.
type webhookWorker struct {
	stop context.CancelFunc
	done chan struct{}
}

func startWebhookWorker(p *panel.Panel) *webhookWorker {
	ctx, cancel := context.WithCancel(context.Background())
	w := &webhookWorker{stop: cancel, done: make(chan struct{})}
	go func() {
		defer close(w.done)
		p.Webhooks.Run(ctx)
	}()
	return w
}

// Stop waits for the requests in flight (bounded by their timeout) to
// record their verdicts, so the store can close after it.
func (w *webhookWorker) Stop() {
	if w == nil {
		return
	}
	w.stop()
	<-w.done
}
