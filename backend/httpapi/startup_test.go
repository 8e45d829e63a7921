package httpapi_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"testing"
	"testing/fstest"

	"castdesk/backend/httpapi"
	"castdesk/backend/media"
	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

// heldFolders are the real media folders whose start-up reconcile waits
// until the test releases it.
type heldFolders struct {
	*media.Folders
	entered chan struct{}
	release chan struct{}
}

func (h *heldFolders) Reconcile(root string, existing map[int64]bool) error {
	close(h.entered)
	<-h.release
	return h.Folders.Reconcile(root, existing)
}

// A restart answers /health before the start-up reconcile of the media
// folders is done, and says "indexing" meanwhile; a delete sent meanwhile
// waits for it, so the reconcile never restores the deleted folder.
func TestHealthAnswersWhileStartupReconcileRuns(t *testing.T) {
	kit := testkit.New(t)
	admin, _ := kit.Setup(t)
	acc := kit.CreateAccount(t, admin, "cleo", panel.LevelCustomer)
	set, err := kit.Panel.Settings.Get(admin)
	if err != nil {
		t.Fatal(err)
	}
	folder := (&media.Folders{}).Path(set.ContentRoot, acc.ID)
	if _, err := os.Stat(folder); err != nil {
		t.Fatalf("the account's folder: %v", err)
	}

	held := &heldFolders{Folders: &media.Folders{}, entered: make(chan struct{}), release: make(chan struct{})}
	kit.Folders = held
	kit.Reopen(t) // the restart
	if err := kit.Panel.Start(context.Background()); err != nil {
		t.Fatalf("start: %v", err)
	}
	<-held.entered // the reconcile runs and is held

	assets := fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>Castdesk</title>")}}
	srv := httptest.NewServer(httpapi.New(kit.Panel, assets, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)
	c := (&env{Env: kit, srv: srv}).client(t)
	r := c.do("GET", "/api/v1/health", nil).expect(t, 200, "")
	if r.body["status"] != "indexing" {
		t.Fatalf("health while the reconcile is held: %v, want status indexing", r.raw)
	}

	admin = kit.Login(t, "admin", testkit.StrongPassword)
	deleted := make(chan error, 1)
	go func() { deleted <- kit.Panel.Accounts.Delete(admin, acc.ID, "cleo") }()

	close(held.release)
	<-kit.Panel.StartDone()
	if err := <-deleted; err != nil {
		t.Fatalf("delete during the reconcile: %v", err)
	}
	if _, err := os.Stat(folder); !os.IsNotExist(err) {
		t.Fatalf("the deleted account's folder after the reconcile: %v, want gone", err)
	}
	r = c.do("GET", "/api/v1/health", nil).expect(t, 200, "")
	if r.body["status"] != "ok" {
		t.Fatalf("health after the reconcile: %v, want status ok", r.raw)
	}
}
