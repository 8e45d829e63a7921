package webhook_test

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"castdesk/backend/mailer"
	"castdesk/backend/panel"
	"castdesk/backend/secrets"
	"castdesk/backend/sqlite"
	"castdesk/backend/testkit"
	"castdesk/backend/webhook/webhooktest"
	"castdesk/backend/wire"

	_ "github.com/mattn/go-sqlite3"
)

// crashHooks: real time, short back-off and lease, so the restarted process
// picks up deliveries the killed one had claimed.
var crashHooks = panel.WebhookOptions{Poll: 20 * time.Millisecond, Timeout: 300 * time.Millisecond,
	Lease: 600 * time.Millisecond, BackoffBase: 50 * time.Millisecond, BackoffMax: 200 * time.Millisecond}

const crashEvents = 20

func openPanel(t *testing.T, dir string) (*sqlite.Store, *panel.Panel) {
	t.Helper()
	core, err := wire.Open(context.Background(), wire.Options{DataDir: dir, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: time.Now, Mailer: &mailer.Mailer{}, Secrets: secrets.NewMemory(), Webhooks: crashHooks})
	if err != nil {
		t.Fatal(err)
	}
	return core.Store, core.Panel
}

// The child: subscribe to a receiver that is down, make 20 changes (each
// queues its event in its own transaction), say QUEUED with the secret,
// keep the worker trying, and wait to be killed.
func crashChild(t *testing.T, dir, url string) {
	_, p := openPanel(t, dir)
	ctx := context.Background()
	res, err := p.Auth.Setup(ctx, panel.SetupInput{Username: "admin", Name: "Admin", Email: "admin@example.org",
		Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword})
	if err != nil {
		t.Fatal(err)
	}
	c, err := p.Auth.Authenticate(ctx, res.Token)
	if err != nil {
		t.Fatal(err)
	}
	admin := panel.WithCaller(ctx, c)
	on := true
	if _, err := p.Settings.Update(admin, panel.SettingsPatch{WebhookAllowPrivateTargets: &on}); err != nil {
		t.Fatal(err)
	}
	w, err := p.Webhooks.Create(admin, panel.WebhookInput{URL: url, Events: []string{panel.EventAccountCreated}})
	if err != nil {
		t.Fatal(err)
	}
	go p.Webhooks.Run(ctx)
	for i := range crashEvents {
		if _, err := p.Accounts.Create(admin, panel.CreateAccountInput{Username: fmt.Sprintf("user%02d", i), Name: "User",
			Email: "user@example.org", Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword}); err != nil {
			t.Fatal(err)
		}
	}
	os.Stdout.WriteString("QUEUED " + w.SigningSecret + "\n")
	time.Sleep(time.Minute) // killed long before
}

// TestKill9BetweenChangeAndDelivery: a real process makes the changes and
// is killed with SIGKILL while its deliveries wait (the receiver is down,
// some are claimed); a new process on the same data dir delivers every
// event once, in order, signed.
func TestKill9BetweenChangeAndDelivery(t *testing.T) {
	if dir := os.Getenv("CASTDESK_HOOK_CHILD_DIR"); dir != "" {
		crashChild(t, dir, os.Getenv("CASTDESK_HOOK_CHILD_URL"))
		return
	}
	r := webhooktest.Reserve(t) // down
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run", "^TestKill9BetweenChangeAndDelivery$", "-test.count=1")
	cmd.Env = append(os.Environ(), "CASTDESK_HOOK_CHILD_DIR="+dir, "CASTDESK_HOOK_CHILD_URL="+r.URL())
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	secret := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if s, ok := strings.CutPrefix(sc.Text(), "QUEUED "); ok {
				secret <- s
			}
		}
		secret <- ""
	}()
	var s string
	select {
	case s = <-secret:
		if s == "" {
			cmd.Wait()
			t.Fatal("the child ended before queueing")
		}
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the child did not queue in time")
	}
	// Let its worker fail and claim, then kill -9 mid-flight.
	time.Sleep(300 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	var queued, claimed int
	queryInt(t, dir, `SELECT count(*) FROM webhook_deliveries WHERE state IN ('queued','sending')`, &queued)
	queryInt(t, dir, `SELECT count(*) FROM webhook_deliveries WHERE state = 'sending'`, &claimed)
	t.Logf("after kill -9: %d of %d deliveries waiting, %d claimed (sending) by the dead process", queued, crashEvents, claimed)
	if queued != crashEvents {
		t.Fatalf("%d deliveries waiting, want %d", queued, crashEvents)
	}

	r.SetSecret(s)
	r.Up(t)
	store, p := openPanel(t, dir)
	defer store.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); p.Webhooks.Run(ctx) }()
	deadline := time.Now().Add(30 * time.Second)
	for r.Received() < crashEvents && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	// Longer than a lease and a back-off: a second delivery would show by now.
	time.Sleep(crashHooks.Lease + crashHooks.BackoffMax + 300*time.Millisecond)
	cancel()
	<-done

	got := r.Deliveries()
	if len(got) != crashEvents {
		t.Fatalf("received %d deliveries, want %d", len(got), crashEvents)
	}
	for i, d := range got {
		var data struct {
			Account panel.Account `json:"account"`
		}
		json.Unmarshal(d.Payload.Data, &data)
		if want := fmt.Sprintf("user%02d", i); data.Account.Username != want || !d.ValidSignature {
			t.Fatalf("delivery %d: %s (signature valid: %v), want %s", i, data.Account.Username, d.ValidSignature, want)
		}
	}
	var delivered int
	queryInt(t, dir, `SELECT count(*) FROM webhook_deliveries WHERE state = 'delivered'`, &delivered)
	if delivered != crashEvents {
		t.Fatalf("%d delivered, want %d", delivered, crashEvents)
	}
}

// queryInt reads what is on disk through a connection of its own.
func queryInt(t *testing.T, dir, query string, dest *int) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, "castdesk.db")+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.QueryRow(query).Scan(dest); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}
