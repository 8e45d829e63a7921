package main

import (
	"context"
	"fmt"
	"io"

	"castdesk/backend/panel"
)

// adminReset2FA is `castdesk admin reset-2fa USERNAME`: the offline admin
// who lost the phone (and has no SMTP) removes the account's second factor
// from the server's console. Audited as "console"; the account is emailed a
// notice through the outbox, sent when email works.
func adminReset2FA(args []string, stdout, stderr io.Writer) int {
	fl := newFlags("castdesk admin reset-2fa", stderr)
	dataDir := fl.String("data", "", "data directory")
	username, code, ok := parseWithUsername(fl, args, stdout, stderr, "say whose second factor")
	if !ok {
		return code
	}
	ctx := panel.Operator(context.Background())
	a, err := openApp(ctx, *dataDir, false)
	if err != nil {
		fmt.Fprintln(stderr, "castdesk:", err)
		return 1
	}
	defer a.close()
	if err := a.panel.Accounts.ResetTwoFactorByUsername(ctx, username); err != nil {
		printPanelError(stderr, err)
		return 1
	}
	fmt.Fprintf(stdout, "Two-factor sign-in of %q is off: its password alone signs in now.\n", username)
	return 0
}
