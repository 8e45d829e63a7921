package ops

import (
	"os"
	"path/filepath"
	"time"

	"castdesk/backend/panel"
)

// UploadBodyLimit is the most an upload body may carry: one file at the
// limit plus its multipart framing.
const UploadBodyLimit = panel.MaxUploadBytes + 1<<20

// addFilesTimeout bounds one add of local files: big files take long.
const addFilesTimeout = 2 * time.Hour

// MediaList is one page of account {id}'s media library.
type MediaList struct {
	ByID
	panel.MediaListInput
}

// MediaDelete names one file of account {id}.
type MediaDelete struct {
	ByID
	Path string `json:"path"`
}

// MediaUpload is the query of an upload (the files are multipart parts).
type MediaUpload struct {
	ByID
	Overwrite bool `json:"overwrite"`
}

// MediaUploaded lists the files stored.
type MediaUploaded struct {
	Items []panel.MediaFile `json:"items"`
}

// MediaAdd says where files added from this computer go: Dir is a folder
// inside account {id}'s folder ("" = its top).
type MediaAdd struct {
	ByID
	Dir       string `json:"dir"`
	Overwrite bool   `json:"overwrite"`
}

// MediaAddDropped places the files of one drop on the window.
type MediaAddDropped struct {
	MediaAdd
	Token string `json:"token"`
}

// MediaAdded lists the files added; Skipped names what was not (folders,
// unreadable files); Canceled is true when the user closed the picker.
type MediaAdded struct {
	Items    []panel.MediaFile `json:"items"`
	Skipped  []string          `json:"skipped"`
	Canceled bool              `json:"canceled"`
}

var mediaOps = []*Op{
	declare(Op{Name: "mediaList", Scope: panel.AreaMedia, Method: "GET", Path: "/customers/{id}/media", Tag: "Media", Access: AnyAccount,
		Summary: "An account's media library, one page",
		Description: "Sorted and searched on the live index of the account's folder under the content root. Also answers " +
			"the folder path, the account's totals and the upload size limit.",
		ParamDocs: map[string]string{"q": "substring of the path, case-insensitive", "kind": "audio, video, image, playlist or other",
			"sort":   "path, size, modified_at, kind; '-' before for descending (default path)",
			"cursor": "next_cursor of the previous page", "limit": "page size, 1-100 (default 50)"}},
		func(e Env, in MediaList) (panel.MediaLibrary, error) {
			return e.Panel.Media.List(e.Ctx, in.ID, in.MediaListInput)
		}),

	raw[MediaUpload, MediaUploaded](Op{Name: "mediaUpload", Scope: panel.AreaMedia, Method: "POST", Path: "/customers/{id}/media", Tag: "Media",
		Access: AnyAccount, Status: 201, BodyLimit: UploadBodyLimit, Errors: []int{409, 413, 422, 503},
		Summary: "Upload files (multipart/form-data)",
		Description: "Parts named `file` (one or more; the part's file name is the name kept), optional field `dir` " +
			"(a folder inside the account's folder, created if missing) sent before the files, optional query " +
			"`overwrite=true`. Each file is streamed to a hidden temp file in its folder and renamed into place. " +
			"A declared Content-Length over the body limit is refused before a byte is read: 413 `too_large` " +
			"(fields.file = too_large, params.file.max); over what is left of the account's storage quota: 422 " +
			"`limit_exceeded` with fields.file = over_quota and params.file {used, allowed, size} in bytes (also " +
			"when an undeclared stream crosses the quota). A file larger than max_upload_bytes: 422 `limit_exceeded` " +
			"(too_large). While the server's disk is below its free-space reserve (min_free_space_mb) or full: 503 " +
			"`unavailable` with fields.disk = disk_full. A name with a control character or a bidi override: 400 " +
			"with fields.name = invalid; a name taken without overwrite: 400 with fields.name = taken. The body must " +
			"keep arriving at 64 KiB/s on average (plus a minute), or the upload is cut off.",
		ParamDocs: map[string]string{"overwrite": "replace files of the same name"}}),

	declare(Op{Name: "mediaDelete", Scope: panel.AreaMedia, Method: "DELETE", Path: "/customers/{id}/media", Tag: "Media", Access: AnyAccount,
		Summary:   "Delete one file",
		ParamDocs: map[string]string{"path": "the file's path as listed (relative, '/'-separated)"}},
		func(e Env, in MediaDelete) (Deleted, error) {
			return Deleted{true}, e.Panel.Media.Delete(e.Ctx, in.ID, in.Path)
		}),

	raw[ByID, panel.MediaChanged](Op{Name: "mediaEvents", Scope: panel.AreaMedia, Method: "GET", Path: "/customers/{id}/media/events", Tag: "Media",
		Access: AnyAccount, Stream: true, Summary: "Live updates of an account's media (server-sent events)",
		Description: "text/event-stream. `event: media` with data `{account_id, files, bytes}` at once and after every " +
			"change of the index (debounced; bursts arrive as one event). Re-fetch the library page on each. A comment " +
			"line every 15 s keeps the stream open; the stream ends when the session does. The window door sends the " +
			"same data as its media:changed event."}),

	declare(Op{Name: "storageStatus", Scope: panel.AreaMedia, Method: "GET", Path: "/storage", Tag: "Media", Access: AdminOnly,
		Summary: "Accounts over their storage quota, and the disk's free space",
		Description: "over_quota lists up to 20 accounts whose media take more than their quota (largest overrun " +
			"first; over_quota_total counts them all). volumes are the content root's and the database's volumes " +
			"(one when they are the same) with their free space and reserve; disk_low is set while one is below its " +
			"reserve, when uploads are refused."},
		func(e Env, _ NoInput) (panel.StorageStatus, error) { return e.Panel.Media.Storage(e.Ctx) }),

	declare(Op{Name: "mediaStatus", Scope: panel.AreaMedia, Method: "GET", Path: "/media/status", Tag: "Media", Access: AdminOnly,
		Summary:     "The folder watcher's state",
		Description: "limit_hint is set when the inotify watch limit was reached and some folders are polled."},
		func(e Env, _ NoInput) (panel.MediaWatchStatus, error) { return e.Panel.Media.Status(e.Ctx) }),

	declare(Op{Name: "mediaPickFiles", Doors: WindowOnly, Access: AnyAccount, Timeout: addFilesTimeout,
		Summary: "Open the system file picker and copy the chosen files into the account's folder"},
		func(e Env, in MediaAdd) (MediaAdded, error) {
			files, err := localFiles(e)
			if err != nil {
				return MediaAdded{}, err
			}
			// Check the right first, so the picker never opens for nothing.
			if _, err := e.Panel.Media.Summary(e.Ctx, in.ID); err != nil {
				return MediaAdded{}, err
			}
			paths, err := files.PickFiles("Add media files")
			if err != nil {
				return MediaAdded{}, panel.Internal(err)
			}
			if len(paths) == 0 {
				return MediaAdded{Items: []panel.MediaFile{}, Skipped: []string{}, Canceled: true}, nil
			}
			return addLocalFiles(e, in, paths)
		}),

	declare(Op{Name: "mediaAddDropped", Doors: WindowOnly, Access: AnyAccount, Timeout: addFilesTimeout,
		Summary: "Copy the files of one drop on the window into the account's folder (a drop's token is good once)"},
		func(e Env, in MediaAddDropped) (MediaAdded, error) {
			files, err := localFiles(e)
			if err != nil {
				return MediaAdded{}, err
			}
			paths, ok := files.TakeDrop(in.Token)
			if !ok {
				return MediaAdded{}, panel.InvalidField("token", panel.ReasonInvalid)
			}
			return addLocalFiles(e, in.MediaAdd, paths)
		}),
}

func localFiles(e Env) (LocalFiles, error) {
	files, ok := e.Door.(LocalFiles)
	if !ok {
		return nil, panel.Unavailable("Only the desktop window can add files from this computer.", nil)
	}
	return files, nil
}

// addLocalFiles copies files of this computer into the account's folder.
// What cannot be read is skipped, unless nothing could be added at all.
func addLocalFiles(e Env, in MediaAdd, paths []string) (MediaAdded, error) {
	out := MediaAdded{Items: []panel.MediaFile{}, Skipped: []string{}}
	for _, p := range paths {
		m, err := addLocalFile(e, in, p)
		if err == errSkipped {
			out.Skipped = append(out.Skipped, filepath.Base(p))
			continue
		}
		if err != nil {
			if len(out.Items) == 0 {
				return MediaAdded{}, err
			}
			out.Skipped = append(out.Skipped, filepath.Base(p))
			continue
		}
		out.Items = append(out.Items, m)
	}
	return out, nil
}

var errSkipped = panel.InvalidField("file", panel.ReasonInvalid)

func addLocalFile(e Env, in MediaAdd, path string) (panel.MediaFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return panel.MediaFile{}, errSkipped
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		return panel.MediaFile{}, errSkipped
	}
	return e.Panel.Media.Upload(e.Ctx, in.ID, panel.MediaUploadInput{Dir: in.Dir, Name: filepath.Base(path), Overwrite: in.Overwrite,
		Size: info.Size()}, f)
}

// MediaDrop is the window's media:dropped event: what was dropped on it.
// Only the Go side knows the paths, so a script can add only what the user
// really dropped (mediaAddDropped with the token).
type MediaDrop struct {
	Token string   `json:"token"`
	Names []string `json:"names"`
}
