package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"

	"castdesk/backend/panel"
)

// compiles counts the authorizer's calls on connections of the counting
// driver: SQLite asks the authorizer while it compiles a statement (every
// table and column read), never while it runs one, so a statement served
// from the reader's cache adds nothing. BEGIN and ROLLBACK of a read
// transaction are left out: go-sqlite3 compiles those each time, and they
// cost next to nothing.
var compiles atomic.Int64

func init() {
	sql.Register("sqlite3-counting-compiles", &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		if err := planStably(c); err != nil {
			return err
		}
		c.RegisterAuthorizer(func(op int, _, _, _ string) int {
			if op != sqlite3.SQLITE_TRANSACTION {
				compiles.Add(1)
			}
			return sqlite3.SQLITE_OK
		})
		return nil
	}})
}

// TestNoStatementIsCompiledAtEveryCall calls each list of the store a few
// times with the same input and then once more: the last call must find
// every statement compiled in the reader's cache. Without the planner's
// stability guarantee (stable_plans.go) most of them fail: a LIMIT ?, a
// LIKE ? or an equality the plan only filters on made SQLite compile the
// statement again at each call.
func TestNoStatementIsCompiledAtEveryCall(t *testing.T) {
	driverName = "sqlite3-counting-compiles"
	t.Cleanup(func() { driverName = driverWithStablePlans })
	ctx := context.Background()
	s := openTempStore(t)
	now := time.Now()
	err := s.Write(ctx, func(tx panel.Tx) error {
		for _, u := range []string{"alice", "bob", "carol"} {
			if _, err := tx.InsertAccount(ctx, &panel.Account{Username: u, Name: "Name " + u, Email: u + "@example.org",
				Level: panel.LevelCustomer, Status: panel.StatusEnabled, Language: "en", CreatedAt: now, UpdatedAt: now}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	quota := 10
	calls := map[string]func() error{
		"accounts by name": func() error {
			_, err := s.ListAccounts(ctx, panel.AccountQuery{Sort: "name", Limit: 50})
			return err
		},
		"accounts search": func() error {
			_, err := s.ListAccounts(ctx, panel.AccountQuery{Q: "ali", Sort: "id", Limit: 50})
			return err
		},
		"accounts search address": func() error {
			_, err := s.ListAccounts(ctx, panel.AccountQuery{Q: "alice@example.org", Sort: "id", Limit: 50})
			return err
		},
		"accounts short search": func() error {
			_, err := s.ListAccounts(ctx, panel.AccountQuery{Q: "al", Sort: "-username", Limit: 20})
			return err
		},
		"services": func() error {
			_, err := s.ListServices(ctx, panel.ServiceQuery{ListServicesInput: panel.ListServicesInput{Limit: 50}})
			return err
		},
		"audit": func() error {
			_, err := s.ListAudit(ctx, panel.AuditQuery{Event: "login", Limit: 50})
			return err
		},
		"mail": func() error {
			_, err := s.ListMail(ctx, 1, 0, 20)
			return err
		},
		"outbox": func() error {
			_, err := s.ListOutbox(ctx, panel.OutboxQuery{Limit: 100})
			return err
		},
		"login events": func() error {
			_, err := s.LoginEvents(ctx, 1, 10)
			return err
		},
		"webhook deliveries": func() error {
			_, err := s.ListWebhookDeliveries(ctx, 1, 0, 20)
			return err
		},
		"over quota": func() error {
			_, _, err := s.AccountsOverQuota(ctx, &quota, 20)
			return err
		},
		"session check": func() error {
			if _, _, err := s.SessionWithAccount(ctx, "no-such-session"); !panel.IsCode(err, panel.CodeNotFound) {
				return fmt.Errorf("want not found, got %v", err)
			}
			return nil
		},
		"overview": func() error {
			_, err := s.AccountOverview(ctx, 1, &quota)
			return err
		},
		"account by id": func() error {
			_, err := s.AccountByID(ctx, 2)
			return err
		},
		"media": func() error {
			_, err := s.ListMedia(ctx, panel.MediaQuery{AccountID: 1, Q: "track", Sort: "-size", Limit: 50})
			return err
		},
	}
	for name, call := range calls {
		for range 3 {
			if err := call(); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		before := compiles.Load()
		if err := call(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if n := compiles.Load() - before; n != 0 {
			t.Errorf("%s: the same call compiled its statements again (%d authorizer calls)", name, n)
		}
	}
	if compiles.Load() == 0 {
		t.Fatal("the counting driver saw no compile at all: the test measures nothing")
	}
}
