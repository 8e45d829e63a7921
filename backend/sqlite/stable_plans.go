package sqlite

/*
// SQLite's own function, compiled into the binary by mattn/go-sqlite3.
extern int sqlite3_db_config(void *db, int op, ...);

// SQLITE_DBCONFIG_ENABLE_QPSG (sqlite3.h): 1 turns the query planner
// stability guarantee on; *on says what the connection has now.
static int castdesk_enable_qpsg(void *db) {
	int on = 0;
	if (sqlite3_db_config(db, 1007, 1, &on) != 0) return -1;
	return on;
}
*/
import "C"

import (
	"database/sql"
	"errors"
	"reflect"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// The store's connections plan every statement without looking at the values
// bound to it (SQLite's "query planner stability guarantee", QPSG).
//
// Why: when SQLite's planner reads a bound value (a LIMIT ?, a LIKE ?
// pattern, or an equality it only filters on, which it weighs by whether
// the value is 0 or 1), it marks the statement to be compiled again once
// its bindings are cleared, and mattn/go-sqlite3 clears them every time a
// statement goes back to the connection's cache. So such statements were
// compiled at every call, cache or not: the accounts list, every search,
// the audit, mail and login-history pages (TestNoStatementIsCompiledAtEveryCall
// finds them). With QPSG a statement is planned once for any values; our
// statements' plans come from their indexes, not from the values.
//
// go-sqlite3 has no call for sqlite3_db_config, so the connection's handle
// is read from its (unexported) field; if a new go-sqlite3 renames it, the
// store refuses to open with this error rather than run slower unnoticed.
const driverWithStablePlans = "sqlite3-castdesk"

func init() {
	sql.Register(driverWithStablePlans, &sqlite3.SQLiteDriver{ConnectHook: planStably})
}

// planStably turns QPSG on for one new connection.
func planStably(c *sqlite3.SQLiteConn) error {
	field := reflect.ValueOf(c).Elem().FieldByName("db")
	if !field.IsValid() || field.Kind() != reflect.Pointer || field.IsNil() {
		return errQPSG
	}
	if C.castdesk_enable_qpsg(field.UnsafePointer()) != 1 {
		return errQPSG
	}
	return nil
}

var errQPSG = errors.New("sqlite: cannot turn on the query planner stability guarantee on this go-sqlite3 connection (its handle moved?): see stable_plans.go")
