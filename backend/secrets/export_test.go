package secrets

import "context"

// CallForTest runs fn under k's timeout, as every keyring call runs.
func CallForTest(k *Keyring, fn func() error) error {
	return k.call(context.Background(), "read", fn)
}
