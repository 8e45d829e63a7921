package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/textproto"
	"os"
	"strings"
	"sync"
	"time"

	"castdesk/backend/ops"
	"castdesk/backend/panel"
)

// sseHeartbeat is how often an idle event stream sends a comment (so
// proxies keep it open) and checks that its session is still valid.
var sseHeartbeat = 15 * time.Second

// mediaHub fans index changes out to the open event streams. Each stream
// holds only the latest event per account: every event carries complete
// totals, so a slow reader skips to the newest and loses nothing.
type mediaHub struct {
	mu     sync.Mutex
	subs   map[chan panel.MediaChanged]int64
	closed chan struct{}
}

func newMediaHub() *mediaHub {
	return &mediaHub{subs: map[chan panel.MediaChanged]int64{}, closed: make(chan struct{})}
}

func (h *mediaHub) Publish(ev panel.MediaChanged) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch, id := range h.subs {
		if id != ev.AccountID {
			continue
		}
		select {
		case ch <- ev:
		default:
			select { // replace the stale one
			case <-ch:
			default:
			}
			select {
			case ch <- ev:
			default:
			}
		}
	}
}

func (h *mediaHub) subscribe(accountID int64) (chan panel.MediaChanged, func()) {
	ch := make(chan panel.MediaChanged, 1)
	h.mu.Lock()
	h.subs[ch] = accountID
	h.mu.Unlock()
	return ch, func() {
		h.mu.Lock()
		delete(h.subs, ch)
		h.mu.Unlock()
	}
}

// CloseStreams ends every open event stream; serve calls it on shutdown so
// that graceful shutdown does not wait for browsers to hang up.
func (s *Server) CloseStreams() {
	s.media.mu.Lock()
	defer s.media.mu.Unlock()
	select {
	case <-s.media.closed:
	default:
		close(s.media.closed)
	}
}

// An upload's read deadline fits its size: the body must keep arriving at
// uploadFloorRate on average after a margin for a slow start, so a client
// that trickles (or declares far more than it sends) is cut off instead of
// holding a connection for hours. 64 KiB/s is a slow mobile uplink.
var (
	uploadFloorRate int64 = 64 << 10 // bytes per second
	uploadMargin          = time.Minute
)

// uploadPaceWindow is how far ahead of the bytes read the deadline is set.
const uploadPaceWindow = 1 << 20

// uploadFraming is what multipart framing may add to the files' bytes in a
// declared length (UploadBodyLimit allows the same): what is left is checked
// against the quota and the disk reserve before reading.
const uploadFraming = ops.UploadBodyLimit - panel.MaxUploadBytes

// UploadDeadline is when reading an upload that started at start must have
// received n bytes.
func UploadDeadline(start time.Time, n int64) time.Time {
	return start.Add(uploadMargin + time.Duration(n)*time.Second/time.Duration(uploadFloorRate))
}

// pacedBody moves the connection's read deadline along as the body arrives.
type pacedBody struct {
	io.ReadCloser
	rc    *http.ResponseController
	start time.Time
	limit int64 // the declared length, else the body limit
	read  int64
	next  int64 // bytes read at which the deadline moves again
}

func newPacedBody(body io.ReadCloser, w http.ResponseWriter, declared int64) *pacedBody {
	p := &pacedBody{ReadCloser: body, rc: http.NewResponseController(w), start: time.Now(), limit: ops.UploadBodyLimit}
	if declared > 0 {
		p.limit = declared
	}
	p.extend()
	return p
}

func (p *pacedBody) extend() {
	p.next = min(p.read+uploadPaceWindow, p.limit)
	p.rc.SetReadDeadline(UploadDeadline(p.start, p.next))
}

func (p *pacedBody) Read(b []byte) (int, error) {
	n, err := p.ReadCloser.Read(b)
	p.read += int64(n)
	if p.read >= p.next && p.next < p.limit {
		p.extend()
	}
	return n, err
}

// tooLargeBody refuses a declared length over the operation's body limit.
func tooLargeBody() error {
	return panel.FieldError(panel.CodeTooLarge, "The upload is larger than the limit of 2 GiB per request.",
		"file", panel.ReasonTooLargeFile, panel.Params{"max": panel.MaxUploadBytes})
}

// upload streams each file part to storage: nothing is buffered in memory
// or in a temp dir outside the account's folder. A refusal closes the
// connection: Go's server would otherwise read up to 256 KiB of a body it
// will not use before answering, and wait for a client that declared more
// than it sent.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) (int, any, error) {
	status, out, err := s.uploadFiles(w, r)
	if err != nil {
		w.Header().Set("Connection", "close")
	}
	return status, out, err
}

func (s *Server) uploadFiles(w http.ResponseWriter, r *http.Request) (int, any, error) {
	var q ops.MediaUpload
	if err := decodeInput(r, mustOp("mediaUpload"), &q); err != nil {
		return 0, nil, err
	}
	id := q.ID
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return 0, nil, &panel.Error{Code: panel.CodeInvalid, Message: "Send the files as multipart/form-data."}
	}
	// Before reading a byte of the body: a declared length over the limit,
	// the caller's right, the quota left and the disk reserve.
	if r.ContentLength > ops.UploadBodyLimit {
		return 0, nil, tooLargeBody()
	}
	if err := s.panel.Media.CheckUpload(r.Context(), id, max(0, r.ContentLength-uploadFraming)); err != nil {
		return 0, nil, err
	}
	r.Body = newPacedBody(r.Body, w, r.ContentLength)
	mr, err := r.MultipartReader()
	if err != nil {
		return 0, nil, &panel.Error{Code: panel.CodeInvalid, Message: "Send the files as multipart/form-data."}
	}
	in := panel.MediaUploadInput{Overwrite: q.Overwrite}
	out := ops.MediaUploaded{Items: []panel.MediaFile{}}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, nil, uploadReadError(err)
		}
		switch part.FormName() {
		case "dir":
			b, err := io.ReadAll(io.LimitReader(part, 2048))
			if err != nil {
				return 0, nil, uploadReadError(err)
			}
			in.Dir = strings.Trim(strings.TrimSpace(string(b)), "/")
		case "file":
			in.Name = part.FileName()
			if in.Name == "" {
				return 0, nil, panel.InvalidField("file", panel.ReasonRequired)
			}
			f, err := s.panel.Media.Upload(r.Context(), id, in, part)
			if err != nil {
				return 0, nil, uploadReadError(err)
			}
			out.Items = append(out.Items, f)
		}
		part.Close()
	}
	if len(out.Items) == 0 {
		return 0, nil, panel.InvalidField("file", panel.ReasonRequired)
	}
	return http.StatusCreated, out, nil
}

// uploadReadError tells what went wrong reading an upload: the body over
// its limit, a refusal of the panel (quota, disk, names), a client too slow
// or gone, a malformed part. A malformed part header is most often a control
// character (a NUL) in the file name, which Go's MIME reader refuses.
func uploadReadError(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return panel.ErrMediaTooLarge
	}
	var pe *panel.Error
	if errors.As(err, &pe) && pe.Code != panel.CodeInternal {
		return pe
	}
	var proto textproto.ProtocolError
	var netErr net.Error
	switch {
	case errors.As(err, &proto):
		return panel.InvalidField("name", panel.ReasonInvalid)
	case errors.Is(err, os.ErrDeadlineExceeded) || errors.As(err, &netErr) && netErr.Timeout():
		return &panel.Error{Code: panel.CodeInvalid, Message: "The upload was cut off: the body arrived too slowly."}
	case errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "multipart"):
		return &panel.Error{Code: panel.CodeInvalid, Message: "The upload was cut short or is not valid multipart data."}
	}
	return err
}

// mediaEvents is the server-sent event stream of one account's index.
func (s *Server) mediaEvents(w http.ResponseWriter, r *http.Request) {
	var in ops.ByID
	if err := decodeInput(r, mustOp("mediaEvents"), &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	id := in.ID
	first, err := s.panel.Media.Summary(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	ch, unsubscribe := s.media.subscribe(id)
	defer unsubscribe()
	send := func(ev panel.MediaChanged) bool {
		b, _ := json.Marshal(ev)
		if _, err := fmt.Fprintf(w, "event: media\ndata: %s\n\n", b); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !send(first) {
		return
	}
	beat := time.NewTicker(sseHeartbeat)
	defer beat.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.media.closed:
			return
		case ev := <-ch:
			if !send(ev) {
				return
			}
		case <-beat.C:
			// The session may have ended (logout, disabled account) or lost
			// the right to see this account since the stream opened.
			ctx, err := s.authenticate(r)
			if err != nil {
				return
			}
			if _, err := s.panel.Media.Summary(ctx, id); err != nil {
				return
			}
			if _, err := io.WriteString(w, ": ping\n\n"); err != nil || rc.Flush() != nil {
				return
			}
		}
	}
}

// mustOp is a declared operation a raw handler belongs to.
func mustOp(name string) *ops.Op {
	o, ok := ops.ByName(name)
	if !ok {
		panic("httpapi: no operation " + name)
	}
	return o
}
