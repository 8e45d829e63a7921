// Package webhooktest is a real HTTP receiver of webhook deliveries for
// tests: it records every request, checks its signature, and can be down
// (connections refused, or cut without an answer) and up again.
package webhooktest

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"castdesk/backend/webhook"
)

// Delivery is one request the receiver took.
type Delivery struct {
	Event      string // Castdesk-Event
	DeliveryID string // Castdesk-Delivery
	Signature  string // Castdesk-Signature
	Body       []byte
	// ValidSignature: the signature matched the receiver's secret at the
	// time the request arrived.
	ValidSignature bool
	Payload        struct {
		ID         string          `json:"id"`
		Event      string          `json:"event"`
		OccurredAt time.Time       `json:"occurred_at"`
		Data       json.RawMessage `json:"data"`
	}
}

// Receiver is an HTTP server on 127.0.0.1 that answers 200 {"ok":true} to every
// delivery while up.
type Receiver struct {
	Port int
	mu   sync.Mutex
	srv  *http.Server
	// secret signs what it accepts; status is its answer while up.
	secret string
	// now is the receiver's clock for the signature's timestamp check.
	now    func() time.Time
	status int
	cut    bool
	got    []Delivery
	// inFlight and maxInFlight count requests being answered at once;
	// hold, when set, keeps each request waiting until closed.
	inFlight, maxInFlight int
	hold                  chan struct{}
}

// Start listens on a free port. It stops when the test ends.
func Start(t testing.TB) *Receiver {
	t.Helper()
	r := &Receiver{status: http.StatusOK, now: time.Now}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r.Port = l.Addr().(*net.TCPAddr).Port
	r.serve(l)
	t.Cleanup(r.Stop)
	return r
}

// Reserve takes a free port without listening on it: connections are
// refused until Up.
func Reserve(t testing.TB) *Receiver {
	r := Start(t)
	r.Stop()
	return r
}

// URL is the receiver's address.
func (r *Receiver) URL() string { return "http://127.0.0.1:" + strconv.Itoa(r.Port) + "/hook" }

// SetSecret is the secret signatures are checked against.
func (r *Receiver) SetSecret(s string) { r.mu.Lock(); r.secret = s; r.mu.Unlock() }

// SetClock is the clock the signature's timestamp is checked against (a
// test's clock when the sender runs on it).
func (r *Receiver) SetClock(now func() time.Time) { r.mu.Lock(); r.now = now; r.mu.Unlock() }

// Answer makes the receiver answer status (while up).
func (r *Receiver) Answer(status int) { r.mu.Lock(); r.status = status; r.mu.Unlock() }

// Cut makes the receiver close every connection without an answer (on)
// or answer again (off); what it cuts is not recorded.
func (r *Receiver) Cut(on bool) { r.mu.Lock(); r.cut = on; r.mu.Unlock() }

// Hold makes every request wait until the returned func is called.
func (r *Receiver) Hold() (release func()) {
	ch := make(chan struct{})
	r.mu.Lock()
	r.hold = ch
	r.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			r.mu.Lock()
			r.hold = nil
			r.mu.Unlock()
			close(ch)
		})
	}
}

func (r *Receiver) serve(l net.Listener) {
	srv := &http.Server{Handler: http.HandlerFunc(r.handle), ReadHeaderTimeout: 10 * time.Second}
	r.mu.Lock()
	r.srv = srv
	r.mu.Unlock()
	go srv.Serve(l)
}

// Stop takes the receiver down: connections are refused until Up.
func (r *Receiver) Stop() {
	r.mu.Lock()
	srv := r.srv
	r.srv = nil
	r.mu.Unlock()
	if srv != nil {
		srv.Close()
	}
}

// Up listens again on the same port.
func (r *Receiver) Up(t testing.TB) {
	t.Helper()
	var l net.Listener
	var err error
	for i := 0; i < 50; i++ { // the port may linger a moment after Stop
		if l, err = net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(r.Port)); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("webhooktest: port %d: %v", r.Port, err)
	}
	r.serve(l)
}

func (r *Receiver) handle(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	if r.cut {
		r.mu.Unlock()
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				c.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	d := Delivery{Event: req.Header.Get("Castdesk-Event"), DeliveryID: req.Header.Get("Castdesk-Delivery"),
		Signature: req.Header.Get("Castdesk-Signature"), Body: body}
	d.ValidSignature = req.Method == http.MethodPost && req.Header.Get("Content-Type") == "application/json" &&
		webhook.Verify(r.secret, d.Signature, body, r.now(), 5*time.Minute) == nil
	json.Unmarshal(body, &d.Payload)
	r.got = append(r.got, d)
	status, hold := r.status, r.hold
	r.inFlight++
	r.maxInFlight = max(r.maxInFlight, r.inFlight)
	r.mu.Unlock()
	if hold != nil {
		<-hold
	}
	r.mu.Lock()
	r.inFlight--
	r.mu.Unlock()
	w.WriteHeader(status)
	io.WriteString(w, `{"ok":true}`)
}

// Deliveries lists what was received, in arrival order.
func (r *Receiver) Deliveries() []Delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Delivery(nil), r.got...)
}

// Received counts the deliveries received so far.
func (r *Receiver) Received() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}

// MaxInFlight is the most requests it answered at once.
func (r *Receiver) MaxInFlight() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.maxInFlight
}
