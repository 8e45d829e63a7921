package httpapi

import (
	"fmt"
	"mime"
	"net/http"
	"time"

	"castdesk/backend/ops"
)

// backupDownload streams a finished backup archive (with Range support, so
// an interrupted download of a big archive can resume).
func (s *Server) backupDownload(w http.ResponseWriter, r *http.Request) {
	var in ops.BackupByID
	if err := decodeInput(r, mustOp("backupDownload"), &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	f, b, err := s.panel.Backups.Open(r.Context(), in.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	defer f.Close()
	// The server's write timeout would cut a big archive short.
	http.NewResponseController(w).SetWriteDeadline(time.Time{})
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": b.Name}))
	w.Header().Set("X-Castdesk-Backup", fmt.Sprint(b.ID))
	http.ServeContent(w, r, b.Name, b.CreatedAt, f)
}
