// Package backup writes and restores whole-desk backups (docs/spec.md §11):
// one zip archive holding a consistent copy of the SQLite database, every
// account's media folder and a manifest (Castdesk version, schema version,
// counts, the SHA-256 of every file). It implements panel.BackupVault over
// DATA/backups, and Restore for `castdesk admin restore`.
//
// Archive layout:
//
//	castdesk.db               the database (VACUUM INTO), deflated
//	media/user_{ID}/...       the media folders, stored (media is compressed already)
//	manifest.json             written last
//
// An archive is written under a hidden ".part" name, synced and renamed
// into place, so a crash or kill -9 never leaves a complete-looking file;
// and it is only complete when its manifest, the last entry, is there.
package backup

import (
	"encoding/json"
	"fmt"
	"time"

	"castdesk/backend/panel"
)

// Format names the archive kind in its manifest.
const (
	Format        = "castdesk-backup"
	FormatVersion = 1
	ManifestName  = "manifest.json"
	DBName        = "castdesk.db"
	MediaPrefix   = "media/"
)

// Manifest is manifest.json.
type Manifest struct {
	Format        string `json:"format"`
	FormatVersion int    `json:"format_version"`
	ID            string `json:"id"`
	// CastdeskVersion made it; SchemaVersion is the number of migrations its
	// database has applied (a restore refuses a schema newer than its own).
	CastdeskVersion string           `json:"castdesk_version"`
	SchemaVersion   int              `json:"schema_version"`
	CreatedAt       time.Time        `json:"created_at"`
	Counts          panel.DataCounts `json:"counts"`
	// ContentRoot is where the media folders were; DefaultContentRoot says
	// it was DATA/content (a restore puts the media into the new data dir).
	ContentRoot        string `json:"content_root"`
	DefaultContentRoot bool   `json:"default_content_root"`
	// SMTPPassword is a reminder: the SMTP password lives in the OS keyring
	// and is never in a backup.
	SMTPPassword string `json:"smtp_password"`
	Files        []File `json:"files"`
}

// File is one archived file and its checksum.
type File struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

const smtpReminder = "not included: it lives in the OS keyring; enter it again under Settings → Email after a restore on another machine"

func (m *Manifest) check() error {
	if m.Format != Format {
		return fmt.Errorf("not a Castdesk backup (format %q)", m.Format)
	}
	if m.FormatVersion > FormatVersion {
		return fmt.Errorf("this backup has format version %d, newer than this Castdesk reads (%d): restore it with Castdesk %s or newer",
			m.FormatVersion, FormatVersion, m.CastdeskVersion)
	}
	return nil
}

func encodeManifest(m *Manifest) ([]byte, error) { return json.MarshalIndent(m, "", " ") }
