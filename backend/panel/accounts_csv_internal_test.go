package panel

import "testing"

// A temporary password's cheap hash verifies like any other, and passes the
// bounds an imported hash must meet.
func TestCheapHashVerifies(t *testing.T) {
	h, err := cheapHash("ABCD-EFGH-JKMN-PQRS")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := VerifyPassword(h, "ABCD-EFGH-JKMN-PQRS"); !ok || err != nil {
		t.Errorf("the right password: %v %v", ok, err)
	}
	if ok, _ := VerifyPassword(h, "ABCD-EFGH-JKMN-PQRT"); ok {
		t.Error("a wrong password verified")
	}
	if !ValidPasswordHash(h) {
		t.Errorf("%s is not a valid hash", h)
	}
}
