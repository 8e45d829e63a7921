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

	"castdesk/backend/panel"
)

// uploadBodyLimit is the most a POST .../media body may carry: one file at
// the limit plus its multipart framing.
const uploadBodyLimit = panel.MaxUploadBytes + 1<<20

// bodyLimit is the body size allowed for a request: uploads are the only
// bodies above 1 MiB.
func bodyLimit(r *http.Request) int64 {
	if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/api/v1/customers/") && strings.HasSuffix(r.URL.Path, "/media") {
		return uploadBodyLimit
	}
	return maxBody
}

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

// stream registers a route that writes its own response (event streams).
func (s *Server) stream(pattern string, h http.HandlerFunc) {
	s.patterns = append(s.patterns, pattern)
	s.mux.Handle(pattern, h)
}

func init() {
	documentRoutes(map[string]routeDoc{
		"GET /api/v1/customers/{id}/media": {Tag: "Media", Access: anyAccount, Summary: "An account's media library, one page",
			Description: "Sorted and searched on the live index of user_{id}/ under the content root. Also answers the folder path, " +
				"the account's totals and the upload size limit.",
			Query: []param{
				{Name: "q", Type: "string", Description: "substring of the path, case-insensitive"},
				{Name: "kind", Type: "string", Enum: []string{"audio", "video", "image", "playlist", "other"}},
				{Name: "sort", Type: "string", Description: "path, size, modified_at, kind; '-' before for descending (default path)"},
				pageQuery[0], pageQuery[1],
			},
			Response: panel.MediaLibrary{}},
		"POST /api/v1/customers/{id}/media": {Tag: "Media", Access: anyAccount, Summary: "Upload files (multipart/form-data)",
			Description: "Parts named `file` (one or more; the part's file name is the name kept), optional field `dir` " +
				"(a folder inside the account's folder, created if missing) sent before the files, optional query `overwrite=true`. " +
				"Each file is streamed to a hidden temp file in its folder and renamed into place. Larger than max_upload_bytes: 422 " +
				"`limit_exceeded`; a name taken without overwrite: 400 with fields.name = taken.",
			Query:  []param{{Name: "overwrite", Type: "boolean", Description: "replace files of the same name"}},
			Status: http.StatusCreated, Response: uploadResult{}, Errors: []int{409, 413, 422}},
		"DELETE /api/v1/customers/{id}/media": {Tag: "Media", Access: anyAccount, Summary: "Delete one file",
			Query:    []param{{Name: "path", Type: "string", Description: "the file's path as listed (relative, '/'-separated)"}},
			Response: deleted{}},
		"GET /api/v1/customers/{id}/media/events": {Tag: "Media", Access: anyAccount, Summary: "Live updates of an account's media (server-sent events)",
			Description: "text/event-stream. `event: media` with data `{account_id, files, bytes}` at once and after every change " +
				"of the index (debounced; bursts arrive as one event). Re-fetch the library page on each. A comment line every 15 s " +
				"keeps the stream open; the stream ends when the session does.",
			Stream: true, Response: panel.MediaChanged{}},
		"GET /api/v1/media/status": {Tag: "Media", Access: adminOnly, Summary: "The folder watcher's state",
			Description: "limit_hint is set when the inotify watch limit was reached and some folders are polled.",
			Response:    panel.MediaWatchStatus{}},
	})
}

type uploadResult struct {
	Items []panel.MediaFile `json:"items"`
}

func (s *Server) mediaRoutes() {
	m := s.panel.Media
	s.media = newMediaHub()
	m.Relay.Attach(s.media)
	s.handle("GET /api/v1/customers/{id}/media", byID(http.StatusOK, func(r *http.Request, id int64) (any, error) {
		q := r.URL.Query()
		fields := map[string]string{}
		in := panel.MediaListInput{Q: q.Get("q"), Kind: q.Get("kind"), Sort: q.Get("sort"), Cursor: q.Get("cursor"),
			Limit: int(queryInt(r, "limit", fields))}
		if len(fields) > 0 {
			return nil, panel.Invalid(fields)
		}
		return m.List(r.Context(), id, in)
	}))
	s.handle("POST /api/v1/customers/{id}/media", s.upload)
	s.handle("DELETE /api/v1/customers/{id}/media", byID(http.StatusOK, func(r *http.Request, id int64) (any, error) {
		err := m.Delete(r.Context(), id, r.URL.Query().Get("path"))
		return deleted{err == nil}, err
	}))
	s.handle("GET /api/v1/media/status", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		st, err := m.Status(r.Context())
		return http.StatusOK, st, err
	})
	s.stream("GET /api/v1/customers/{id}/media/events", s.mediaEvents)
}

// upload streams each file part to storage: nothing is buffered in memory
// or in a temp dir outside the account's folder.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
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
	in := panel.MediaUploadInput{Overwrite: r.URL.Query().Get("overwrite") == "true"}
	out := uploadResult{Items: []panel.MediaFile{}}
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
	id, err := pathID(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
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
