package mailer_test

import (
	"bufio"
	"context"
	"database/sql"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"castdesk/backend/mailer"
	"castdesk/backend/mailer/smtptest"
	"castdesk/backend/panel"
	"castdesk/backend/secrets"
	"castdesk/backend/sqlite"
	"castdesk/backend/testkit"
	"castdesk/backend/wire"

	_ "github.com/mattn/go-sqlite3"
)

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

// crashMail: real time, short back-off and lease, so the restarted process
// picks up rows the killed one had claimed.
var crashMail = panel.MailOptions{Poll: 20 * time.Millisecond, SendTimeout: 300 * time.Millisecond,
	Lease: 600 * time.Millisecond, BackoffBase: 50 * time.Millisecond, BackoffMax: 200 * time.Millisecond, MaxAttempts: 1000}

func openPanel(t *testing.T, dir string) (*sqlite.Store, *panel.Panel) {
	t.Helper()
	core, err := wire.Open(context.Background(), wire.Options{DataDir: dir, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: time.Now, Mailer: &mailer.Mailer{}, Secrets: secrets.NewMemory(), Mail: crashMail})
	if err != nil {
		t.Fatal(err)
	}
	return core.Store, core.Panel
}

// The child: queue 100 mails while the SMTP server is down, keep the worker
// retrying, say QUEUED, and wait to be killed.
func crashChild(t *testing.T, dir string, port int) {
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
	host, enc, from := "127.0.0.1", panel.EncryptionNone, "panel@example.org"
	if _, err := p.Settings.Update(admin, panel.SettingsPatch{SMTPHost: &host, SMTPPort: &port, SMTPEncryption: &enc, SMTPFromAddress: &from}); err != nil {
		t.Fatal(err)
	}
	acc, err := p.Accounts.Create(admin, panel.CreateAccountInput{Username: "jane", Name: "Jane", Email: "jane@example.org",
		Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword})
	if err != nil {
		t.Fatal(err)
	}
	go p.Mail.Run(ctx)
	for i := 0; i < 100; i++ {
		if _, err := p.Mail.EmailUser(admin, acc.ID, panel.EmailUserInput{Subject: "Message " + strconv.Itoa(i), Message: "<p>Body</p>"}); err != nil {
			t.Fatal(err)
		}
	}
	os.Stdout.WriteString("QUEUED\n")
	time.Sleep(time.Minute) // killed long before
}

func TestCrashKill9ThenRestartDeliversAllOnce(t *testing.T) {
	if dir := os.Getenv("CASTDESK_CRASH_CHILD_DIR"); dir != "" {
		port, _ := strconv.Atoi(os.Getenv("CASTDESK_CRASH_CHILD_PORT"))
		crashChild(t, dir, port)
		return
	}
	s := smtptest.Reserve(t, smtptest.Options{Mode: smtptest.Plain}) // down
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run", "^TestCrashKill9ThenRestartDeliversAllOnce$", "-test.count=1")
	cmd.Env = append(os.Environ(), "CASTDESK_CRASH_CHILD_DIR="+dir, "CASTDESK_CRASH_CHILD_PORT="+strconv.Itoa(s.Port))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	queued := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "QUEUED") {
				queued <- true
			}
		}
		queued <- false
	}()
	select {
	case ok := <-queued:
		if !ok {
			cmd.Wait()
			t.Fatal("the child ended before queueing")
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the child did not queue in time")
	}
	// Let its worker fail and claim a few rows, then kill -9 mid-flight.
	time.Sleep(400 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	store, p := openPanel(t, dir)
	defer store.Close()
	var attempted int
	queryInt(t, dir, `SELECT count(*) FROM mail_outbox WHERE attempts > 0`, &attempted)
	var claimed int
	queryInt(t, dir, `SELECT count(*) FROM mail_outbox WHERE state = 'sending'`, &claimed)
	t.Logf("after kill -9: %d of 100 rows tried while the server was down, %d left claimed (sending) by the dead process", attempted, claimed)

	s.Up()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); p.Mail.Run(ctx) }()
	s.WaitFor(t, 100, 30*time.Second)
	// Longer than a lease and a back-off: a second delivery would show by now.
	time.Sleep(crashMail.Lease + crashMail.BackoffMax + 300*time.Millisecond)
	cancel()
	<-done

	seen := map[string]int{}
	subjects := map[string]bool{}
	for _, m := range s.Messages() {
		seen[m.MessageID]++
		subjects[m.Subject] = true
	}
	if n := len(s.Messages()); n != 100 || len(seen) != 100 || len(subjects) != 100 {
		t.Fatalf("delivered %d messages, %d distinct ids, %d distinct subjects; want 100 each", n, len(seen), len(subjects))
	}
	var sent int
	queryInt(t, dir, `SELECT count(*) FROM mail_outbox WHERE state = 'sent'`, &sent)
	if sent != 100 {
		t.Fatalf("%d rows sent, want 100", sent)
	}
}
