package httpapi

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"os"
	"time"

	"castdesk/backend/ops"
	"castdesk/backend/panel"
)

// customersExportCSV streams the customers list as CSV. Headers go out with
// the first byte, so a refused filter still answers the JSON error.
func (s *Server) customersExportCSV(w http.ResponseWriter, r *http.Request) {
	var in panel.ListAccountsInput
	if err := decodeInput(r, mustOp("customersExportCSV"), &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	http.NewResponseController(w).SetWriteDeadline(time.Time{})
	name := "castdesk-customers-" + time.Now().UTC().Format("20060102-150405") + ".csv"
	out := &lazyHeaders{w: w, set: func(h http.Header) {
		h.Set("Content-Type", "text/csv; charset=utf-8")
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	}}
	if err := s.panel.Accounts.ExportCSV(r.Context(), in, out); err != nil {
		if !out.started {
			s.writeError(w, r, err)
			return
		}
		s.log.Warn("CSV export cut short", "err", err)
	}
	if !out.started {
		out.Write(nil)
	}
}

// lazyHeaders sets the headers and the status at the first write.
type lazyHeaders struct {
	w       http.ResponseWriter
	set     func(http.Header)
	started bool
}

func (l *lazyHeaders) Write(p []byte) (int, error) {
	if !l.started {
		l.started = true
		l.set(l.w.Header())
		l.w.WriteHeader(http.StatusOK)
	}
	return l.w.Write(p)
}

// customersImportCSV reads a CSV body (text/csv) and answers the import's
// verdict as JSON.
func (s *Server) customersImportCSV(w http.ResponseWriter, r *http.Request) (int, any, error) {
	var in panel.ImportCSVInput
	if err := decodeInput(r, mustOp("customersImportCSV"), &in); err != nil {
		return 0, nil, err
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "text/csv", "application/csv", "text/plain", "application/vnd.ms-excel":
	default:
		return 0, nil, &panel.Error{Code: panel.CodeInvalid, Message: "Send the file as text/csv."}
	}
	http.NewResponseController(w).SetReadDeadline(time.Now().Add(10 * time.Minute))
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(10 * time.Minute))
	res, err := s.panel.Accounts.ImportCSV(r.Context(), r.Body, in)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return 0, nil, &panel.Error{Code: panel.CodeTooLarge, Message: "The file is too large."}
	}
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, res, nil
}

// customerExportBundle streams an account's bundle (application/zip).
func (s *Server) customerExportBundle(w http.ResponseWriter, r *http.Request) {
	var in panel.ExportBundleInput
	if err := decodeInput(r, mustOp("customerExportBundle"), &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	exp, err := s.panel.Accounts.ExportBundle(r.Context(), in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	http.NewResponseController(w).SetWriteDeadline(time.Time{})
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": exp.Name}))
	w.WriteHeader(http.StatusOK)
	if err := exp.Write(w); err != nil {
		s.log.Warn("bundle export cut short", "err", err)
	}
}

// customerImportBundle takes a bundle body (application/zip) into a temp
// file, since a zip is read from its end, and imports it.
func (s *Server) customerImportBundle(w http.ResponseWriter, r *http.Request) (int, any, error) {
	var in panel.ImportBundleInput
	if err := decodeInput(r, mustOp("customerImportBundle"), &in); err != nil {
		return 0, nil, err
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/zip" && mt != "application/octet-stream" && mt != "application/x-zip-compressed" {
		return 0, nil, &panel.Error{Code: panel.CodeInvalid, Message: "Send the bundle as application/zip."}
	}
	// Authorize before reading a byte of the body.
	if err := s.panel.Accounts.MayImportBundle(r.Context()); err != nil {
		return 0, nil, err
	}
	http.NewResponseController(w).SetReadDeadline(time.Now().Add(2 * time.Hour))
	f, err := os.CreateTemp("", "castdesk-bundle-*.zip")
	if err != nil {
		return 0, nil, panel.Internal(err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	size, err := io.Copy(f, r.Body)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return 0, nil, &panel.Error{Code: panel.CodeTooLarge, Message: "The bundle is too large."}
	}
	if err != nil {
		return 0, nil, &panel.Error{Code: panel.CodeInvalid, Message: "The upload was cut short."}
	}
	preview, acc, err := s.panel.Accounts.ImportBundle(r.Context(), f, size, in)
	if err != nil {
		return 0, nil, err
	}
	if in.DryRun {
		return http.StatusOK, ops.BundleImported{Preview: preview}, nil
	}
	return http.StatusCreated, ops.BundleImported{Account: acc, Preview: preview}, nil
}
