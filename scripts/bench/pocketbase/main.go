// Command pocketbase is PocketBase embedded as a library (pocketbase.New,
// app.Start), for `make bench` only: backend/httpapi's TestBenchPocketBase
// builds it, seeds it and times it beside `castdesk serve` in the same run.
// It is its own Go module (go.mod pins the PocketBase version) so that
// nothing of it enters Castdesk's module, build or shipped notices.
//
// Besides PocketBase's own commands (serve, superuser, ...) it has one:
//
//	pocketbase seed --dir DIR --n 100000 --superuser EMAIL --password PASS
//
// which creates the superuser and a base collection "customers" with the
// fields of a Castdesk account that its list shows (username, name, email,
// level, status, language; created and updated), a hidden password_hash of
// the same length as Castdesk's, and the indexes Castdesk has for them
// (username unique, name, email). Then it inserts n records with the same
// values as Castdesk's bench loader (backend/httpapi/bench_accounts_test.go,
// seedAccounts): record i is user%06d, "Name i Smith(i%977)",
// u<i>@host(i%50).example.org, and its ID is "c" followed by i in 14 digits,
// so that the bench picks the same records on both sides. The records go
// through PocketBase's Go API (core.NewRecord, SaveNoValidate: the model
// hooks, the autodate fields, its own INSERT) in transactions of 5,000 rows,
// as Castdesk's loader goes through its store's InsertAccount in
// transactions of 5,000: neither validates a form nor hashes a password.
package main

import (
	"fmt"
	"log"
	"os"
	"runtime/debug"
	"time"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"
)

// Collection is the collection the bench queries.
const Collection = "customers"

// passwordHash has the shape and length of a Castdesk argon2id hash; it
// only makes the rows the same size on both sides.
const passwordHash = "$argon2id$v=19$m=19456,t=2,p=1$YmVuY2hzYWx0YmVuY2hzYQ$dGhpcyBpcyBub3QgYSBoYXNoIG9mIGFueXRoaW5nIQ"

func main() {
	// pocketbase.New() with dev mode off: New turns it on when the binary
	// lies under the temp dir (it takes that for `go run`), and dev mode
	// prints every SQL statement, which would be timed too.
	app := pocketbase.NewWithConfig(pocketbase.Config{DefaultDev: false})
	app.RootCmd.Version = pocketbaseVersion() // `--version` names the module version go.mod pins
	var n int
	var email, password string
	seedCmd := &cobra.Command{
		Use:   "seed",
		Short: "create the bench superuser and collection and insert --n records",
		RunE: func(cmd *cobra.Command, args []string) error {
			return seed(app, n, email, password)
		},
	}
	seedCmd.Flags().IntVar(&n, "n", 100_000, "records to insert")
	seedCmd.Flags().StringVar(&email, "superuser", "", "superuser email")
	seedCmd.Flags().StringVar(&password, "password", "", "superuser password")
	app.RootCmd.AddCommand(seedCmd)
	if err := app.Start(); err != nil {
		log.Fatal(err)
	}
}

func seed(app core.App, n int, email, password string) error {
	if email == "" || password == "" {
		return fmt.Errorf("seed: --superuser and --password are required")
	}
	start := time.Now()
	superusers, err := app.FindCollectionByNameOrId(core.CollectionNameSuperusers)
	if err != nil {
		return err
	}
	su := core.NewRecord(superusers)
	su.SetEmail(email)
	su.SetPassword(password)
	if err := app.Save(su); err != nil {
		return fmt.Errorf("superuser: %w", err)
	}

	c := core.NewBaseCollection(Collection)
	c.Fields.Add(
		&core.TextField{Name: "username", Required: true, Max: 64},
		&core.TextField{Name: "name", Max: 200},
		&core.EmailField{Name: "email"},
		&core.TextField{Name: "level", Max: 20},
		&core.TextField{Name: "status", Max: 20},
		&core.TextField{Name: "language", Max: 10},
		&core.TextField{Name: "password_hash", Hidden: true},
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	c.AddIndex("idx_customers_username", true, "username", "")
	c.AddIndex("idx_customers_name", false, "name", "")
	c.AddIndex("idx_customers_email", false, "email", "")
	// Only superusers may list or read (nil rules): what the bench uses.
	if err := app.Save(c); err != nil {
		return fmt.Errorf("collection: %w", err)
	}

	const batch = 5000
	for from := 0; from < n; from += batch {
		err := app.RunInTransaction(func(tx core.App) error {
			for i := from; i < from+batch && i < n; i++ {
				r := core.NewRecord(c)
				r.Id = RecordID(i)
				r.Set("username", fmt.Sprintf("user%06d", i))
				r.Set("name", fmt.Sprintf("Name %d Smith%d", i, i%977))
				r.Set("email", fmt.Sprintf("u%d@host%d.example.org", i, i%50))
				r.Set("level", "customer")
				r.Set("status", "enabled")
				r.Set("language", "en")
				r.Set("password_hash", passwordHash)
				if err := tx.SaveNoValidate(r); err != nil {
					return fmt.Errorf("record %d: %w", i, err)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stdout, "seeded %d records in %.1f s\n", n, time.Since(start).Seconds())
	return nil
}

// pocketbaseVersion is the version of the PocketBase module in this binary.
func pocketbaseVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == "github.com/pocketbase/pocketbase" {
				return dep.Version
			}
		}
	}
	return "unknown"
}

// RecordID is the ID of the i-th seeded record (15 characters of [a-z0-9],
// PocketBase's default ID pattern).
func RecordID(i int) string { return fmt.Sprintf("c%014d", i) }
