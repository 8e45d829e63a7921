package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
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

// upload streams each file part to storage: nothing is buffered in memory
// or in a temp dir outside the account's folder.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) (int, any, error) {
	var q ops.MediaUpload
	if err := decodeInput(r, mustOp("mediaUpload"), &q); err != nil {
		return 0, nil, err
	}
	id := q.ID
	// Big files take longer than the server's read timeout.
	http.NewResponseController(w).SetReadDeadline(time.Now().Add(2 * time.Hour))
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return 0, nil, &panel.Error{Code: panel.CodeInvalid, Message: "Send the files as multipart/form-data."}
	}
	// Authorize before reading a byte of the body.
	if _, err := s.panel.Media.Summary(r.Context(), id); err != nil {
		return 0, nil, err
	}
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

func uploadReadError(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return panel.ErrMediaTooLarge
	}
	var pe *panel.Error
	if errors.As(err, &pe) {
		return pe
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "multipart") {
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
