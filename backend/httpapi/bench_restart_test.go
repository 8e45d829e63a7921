package httpapi_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"testing/fstest"
	"time"

	"castdesk/backend/httpapi"
)

// TestBenchRestart is `make bench`, not `make test`: a restart with 100,000
// accounts and no media folders yet (the first start after a bulk insert:
// the reconcile creates every folder). It times Start until /health answers
// (the app listens before the reconcile is done) against Start until the
// reconcile is done (what a restart waited for before), in the same run,
// then a second restart with every folder present. It asserts nothing about
// time.
func TestBenchRestart(t *testing.T) {
	if os.Getenv("CASTDESK_BENCH") == "" {
		t.Skip("set CASTDESK_BENCH=1 (make bench)")
	}
	const accounts = 100_000
	e := newServer(t)
	admin := e.client(t)
	admin.do("POST", "/api/v1/setup", setupBody).expect(t, 201, "")
	seedAccounts(t, e, accounts)
	assets := fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>Castdesk</title>")}}

	fmt.Printf("%-48s %14s %14s %8s\n", fmt.Sprintf("restart, %d accounts", accounts), "/health 200", "reconcile done", "ratio")
	for _, name := range []string{"first start after a bulk insert (no folders)", "next start (every folder present)"} {
		e.Reopen(t)
		srv := httptest.NewServer(httpapi.New(e.Panel, assets, slog.New(slog.NewTextHandler(io.Discard, nil))))
		start := time.Now()
		if err := e.Panel.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		res, err := http.Get(srv.URL + "/api/v1/health")
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("health: %v %v", res, err)
		}
		res.Body.Close()
		health := time.Since(start)
		<-e.Panel.StartDone()
		done := time.Since(start)
		srv.Close()
		fmt.Printf("%-48s %11.1f ms %11.1f ms %7.3fx\n", name, ms(health), ms(done), float64(health)/float64(done))
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
