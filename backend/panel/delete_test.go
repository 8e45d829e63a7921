package panel_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"castdesk/backend/media"
	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

func writeFile(t *testing.T, path string, size int) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, make([]byte, size), 0o644); err != nil {
		t.Fatal(err)
	}
}

func addService(t *testing.T, dbPath string, owner int64, port int, status string) {
	t.Helper()
	db, err := sql.Open("sqlite3", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`INSERT INTO services (owner_id, name, type, port, status, created_at, updated_at) VALUES (?, 'Radio', 'icecast', ?, ?, 0, 0)`,
		owner, port, status); err != nil {
		t.Fatal(err)
	}
}

func TestDeletePreviewAndCascade(t *testing.T) {
	env := testkit.New(t)
	adminCtx, _ := env.Setup(t)
	db, _ := sql.Open("sqlite3", env.DBPath)
	defer db.Close()
	db.Exec(`INSERT INTO plans (name, name_key, created_at, updated_at) VALUES ('Gold', 'gold', 0, 0)`)
	reseller := env.CreateAccount(t, adminCtx, "reseller", panel.LevelCustomer)
	if _, err := env.Panel.Accounts.Update(adminCtx, reseller.ID, panel.UpdateAccountInput{ResellerPlanID: ptr(int64(1))}); err != nil {
		t.Fatal(err)
	}
	resellerCtx := env.Login(t, "reseller", testkit.StrongPassword)
	customer := env.CreateAccount(t, resellerCtx, "cust", panel.LevelCustomer)
	if customer.OwnerID == nil || *customer.OwnerID != reseller.ID {
		t.Fatalf("reseller's customer not owned: %+v", customer)
	}
	addService(t, env.DBPath, reseller.ID, 8000, "active")
	addService(t, env.DBPath, reseller.ID, 8002, "suspended")
	root := filepath.Join(env.Dir, "content")
	folder := filepath.Join(root, "user_"+itoa(reseller.ID))
	writeFile(t, filepath.Join(folder, "a.mp3"), 1000)
	writeFile(t, filepath.Join(folder, "sub", "b.mp3"), 500)

	ov, err := env.Panel.Accounts.Overview(adminCtx, reseller.ID)
	if err != nil || ov.Services.Active != 1 || ov.Services.Suspended != 1 || ov.Media.Files != 2 || ov.Media.Bytes != 1500 || ov.Media.Path != folder {
		t.Fatalf("overview: %+v %v", ov, err)
	}
	pv, err := env.Panel.Accounts.DeletePreview(adminCtx, reseller.ID)
	if err != nil || len(pv.Services) != 2 || pv.Files != 2 || pv.Bytes != 1500 || len(pv.CustomersReassigned) != 1 || pv.CustomersReassigned[0].ID != customer.ID {
		t.Fatalf("preview: %+v %v", pv, err)
	}
	// The confirmation must be the username, exactly.
	for _, wrong := range []string{"", "RESELLER", "resellerx"} {
		if err := env.Panel.Accounts.Delete(adminCtx, reseller.ID, wrong); testkit.Code(err) != panel.CodeInvalid {
			t.Fatalf("confirm %q: %v", wrong, err)
		}
	}
	if _, err := os.Stat(folder); err != nil {
		t.Fatal("a refused delete touched the folder")
	}
	if err := env.Panel.Accounts.Delete(adminCtx, reseller.ID, "reseller"); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Store.AccountByID(context.Background(), reseller.ID); testkit.Code(err) != panel.CodeNotFound {
		t.Fatalf("account still there: %v", err)
	}
	var services, sessions int
	db.QueryRow(`SELECT count(*) FROM services`).Scan(&services)
	db.QueryRow(`SELECT count(*) FROM sessions WHERE account_id = ?`, reseller.ID).Scan(&sessions)
	if services != 0 || sessions != 0 {
		t.Fatalf("left behind: %d services, %d sessions", services, sessions)
	}
	if _, err := os.Stat(folder); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("folder still there: %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Join(root, ".deleting")); len(entries) != 0 {
		t.Fatalf("aside copies left: %v", entries)
	}
	moved, _ := env.Store.AccountByID(context.Background(), customer.ID)
	if moved.OwnerID != nil {
		t.Fatalf("customer not handed to the top level: %+v", moved)
	}
	if _, err := env.Panel.Auth.Login(context.Background(), panel.LoginInput{Username: "reseller", Password: testkit.StrongPassword}); testkit.Code(err) != panel.CodeUnauthorized {
		t.Fatalf("deleted account logs in: %v", err)
	}
}

// failingPurge stands for a crash after the commit: the aside folder stays.
type failingPurge struct{ *media.Folders }

func (failingPurge) Purge(string) error { return errors.New("simulated crash before purge") }

func TestCrashSafeDelete(t *testing.T) {
	env := testkit.New(t)
	adminCtx, _ := env.Setup(t)
	root := filepath.Join(env.Dir, "content")
	kept := env.CreateAccount(t, adminCtx, "kept", panel.LevelCustomer)
	gone := env.CreateAccount(t, adminCtx, "gone", panel.LevelCustomer)
	keptFolder := filepath.Join(root, "user_"+itoa(kept.ID))
	goneFolder := filepath.Join(root, "user_"+itoa(gone.ID))
	writeFile(t, filepath.Join(keptFolder, "song.mp3"), 10)
	writeFile(t, filepath.Join(goneFolder, "song.mp3"), 10)

	// Crash 1: the folder was moved aside, then the process died before the
	// transaction committed. The account exists, so reconcile brings it back.
	folders := &media.Folders{}
	if _, err := folders.MoveAside(root, kept.ID); err != nil {
		t.Fatal(err)
	}
	// Crash 2: the transaction committed, the process died before the purge.
	env.Folders = failingPurge{&media.Folders{}}
	env.Reopen(t)
	adminCtx = env.Login(t, "admin", testkit.StrongPassword)
	if err := env.Panel.Accounts.Delete(adminCtx, gone.ID, "gone"); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(filepath.Join(root, ".deleting")); len(entries) != 2 {
		t.Fatalf("want two aside folders before reconcile, got %v", entries)
	}
	// Crash 3: an account whose folder vanished gets an empty one.
	admin, _ := env.Store.AccountByUsernameKey(context.Background(), "admin")
	os.RemoveAll(filepath.Join(root, "user_"+itoa(admin.ID)))

	// Restart: reconcile.
	env.Folders = &media.Folders{}
	env.Reopen(t)
	if err := env.Panel.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	<-env.Panel.StartDone() // Start runs the reconcile in the background
	if b, err := os.ReadFile(filepath.Join(keptFolder, "song.mp3")); err != nil || len(b) != 10 {
		t.Fatalf("kept account's files not restored: %v", err)
	}
	if _, err := os.Stat(goneFolder); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("deleted account's folder came back")
	}
	if entries, _ := os.ReadDir(filepath.Join(root, ".deleting")); len(entries) != 0 {
		t.Fatalf("aside folders left after reconcile: %v", entries)
	}
	if fi, err := os.Stat(filepath.Join(root, "user_"+itoa(admin.ID))); err != nil || !fi.IsDir() {
		t.Fatal("missing folder not recreated")
	}
}
