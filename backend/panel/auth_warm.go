package panel

import (
	"context"
	"strings"
)

// The first login after a start should cost what any other does (README,
// "Memory": the first login). Besides its hash, which the start-up's dummy
// hash already paid the first-call costs of, a first login was the process's
// first use of a few things that every later login finds ready:
//
//   - its first commit started the WAL: SQLite deletes the -wal file when the
//     last connection closes, and the first commit into a new or restarted WAL
//     writes its header and fsyncs the WAL and its directory (strace: two
//     fsyncs, 0.3–5 ms by the disk's load), which no later commit does;
//   - the device token key read from the store (then cached) and the
//     login's statements compiled on a fresh reader connection.
//
// warmLogin, run by the start-up work after the dummy hash, does those
// first uses: it reads what a login reads (for nobody), and commits one
// transaction that writes a throttle row and deletes it again, so the
// database holds after it exactly what it held before. It keeps nothing in
// memory but the device key (32 bytes) and the connections' page caches,
// which the idle trim empties as before. A failure is only logged: the first
// login then pays as it did.

// warmThrottleKey is longer than any key a login throttles: Login refuses a
// username key over 4*usernameMax bytes before reading a throttle, and the
// client and device keys are short. The warm-up's row can therefore never be
// a real throttle state.
var warmThrottleKey = "start-up:" + strings.Repeat("w", 4*usernameMax+1)

func (a *Auth) warmLogin(ctx context.Context) error {
	st := a.deps.Store
	// The device key signs the device token of every right password
	// (device.go); it is read once, then cached. It is not created here:
	// a desk nobody logs in to needs none.
	if key, err := st.DeviceKey(ctx); err != nil {
		return err
	} else if key != nil {
		a.devices.mu.Lock()
		if a.devices.key == nil {
			a.devices.key = key
		}
		a.devices.mu.Unlock()
	}
	// A login's reads, for nobody: no account has ID 0 nor this key.
	if _, err := st.AccountByUsernameKey(ctx, warmThrottleKey); err != nil && !IsCode(err, CodeNotFound) {
		return err
	}
	if _, err := st.LoginThrottle(ctx, warmThrottleKey); err != nil {
		return err
	}
	if _, err := twoFactorEnabled(ctx, st, 0); err != nil {
		return err
	}
	if _, err := a.settings.current(ctx, st); err != nil {
		return err
	}
	// The first commit of the process: written and removed in one
	// transaction, nobody ever sees the row. It is not audited: nothing
	// changes.
	return st.Write(ctx, func(tx Tx) error {
		if err := tx.SaveLoginThrottle(ctx, warmThrottleKey, Throttle{}); err != nil {
			return err
		}
		if _, err := tx.LoginEvents(ctx, 0, loginHistoryKeep); err != nil {
			return err
		}
		return tx.ClearLoginThrottle(ctx, warmThrottleKey)
	})
}
