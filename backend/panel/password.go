package panel

import (
	"bufio"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	// x/crypto's argon2id with its memory outside the Go heap (see the
	// package): the same hashes.
	argon2 "castdesk/backend/panel/argon2id"
)

// Password policy (docs/spec.md §1): a minimum length set in System Settings with a
// floor of 5 (the manual's rule) and a default of 8, a generous maximum, no
// composition rules, and a list of common passwords refused.
const (
	PasswordMinFloor   = 5
	PasswordMinDefault = 8
	PasswordMax        = 256
	// passwordMinCeiling is the largest minimum length the settings accept.
	passwordMinCeiling = 64
)

// common_passwords.txt: the 10,000 most frequent passwords of zxcvbn's
// frequency list (MIT licence), lower-cased, one per line.
//
//go:embed common_passwords.txt
var commonPasswordsText string

var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 10000)
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsText))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" {
			set[strings.ToLower(w)] = struct{}{}
		}
	}
	return set
})

// IsCommonPassword tells whether pw is on the built-in list (case-insensitive).
func IsCommonPassword(pw string) bool {
	_, found := commonPasswords()[strings.ToLower(pw)]
	return found
}

// CheckPassword validates a new password and its confirmation, adding field
// errors under `field` and `field+"_confirm"`.
func CheckPassword(field, pw, confirm string, minLen int, fields *Problems) {
	n := utf8.RuneCountInString(pw)
	switch {
	case pw == "":
		fields.Add(field, ReasonRequired)
	case n < minLen:
		fields.TooShort(field, minLen)
	case n > PasswordMax:
		fields.TooLong(field, PasswordMax)
	case IsCommonPassword(pw):
		fields.Add(field, ReasonCommonPassword)
	}
	switch {
	case confirm == "":
		// Left empty: said as such, not as a mismatch (nor passed over when the password is empty too).
		fields.Add(field+"_confirm", ReasonRequired)
	case confirm != pw:
		fields.Add(field+"_confirm", ReasonMismatch)
	}
}

// argon2id parameters: OWASP's recommended minimum configuration is
// m=19 MiB, t=2, p=1; we use m=19 MiB, t=2, p=1 so a login stays well under
// 100 ms on a 2-core server while meeting it.
type argonParams struct {
	memoryKiB uint32
	time      uint32
	threads   uint8
	keyLen    uint32
	saltLen   int
}

var defaultArgon = argonParams{memoryKiB: 19 * 1024, time: 2, threads: 1, keyLen: 32, saltLen: 16}

// HashPassword returns an argon2id PHC string:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>
func HashPassword(pw string) (string, error) {
	p := defaultArgon
	salt := make([]byte, p.saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, p.time, p.memoryKiB, p.threads, p.keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.memoryKiB, p.time, p.threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var errBadHash = errors.New("malformed argon2id hash")

// VerifyPassword checks pw against a PHC string in constant time. The
// parameters come from the string, so raising them later keeps old hashes
// valid. A hash cheaper than today's parameters (a temporary password's,
// docs/spec.md §12, or one moved from another desk) is followed by a hash at
// today's cost, so a login takes about the same time whatever the account's
// hash (docs/spec.md §1.3).
func VerifyPassword(phc, pw string) (bool, error) { return verifyPasswordIn(nil, phc, pw) }

// verifyPasswordIn is VerifyPassword with the hash's memory taken from a
// when it fits (argon2id.IDKeyIn); the caller frees a.
func verifyPasswordIn(a *argon2.Arena, phc, pw string) (bool, error) {
	p, salt, want, err := parsePHC(phc)
	if err != nil {
		return false, err
	}
	got := argon2.IDKeyIn(a, []byte(pw), salt, p.time, p.memoryKiB, p.threads, uint32(len(want)))
	if uint64(p.memoryKiB)*uint64(p.time) < uint64(defaultArgon.memoryKiB)*uint64(defaultArgon.time) {
		argon2.IDKey([]byte(pw), salt, defaultArgon.time, defaultArgon.memoryKiB, defaultArgon.threads, defaultArgon.keyLen)
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// ValidPasswordHash tells whether phc is an argon2id PHC string this
// Castdesk can verify, with parameters a login can afford (at most 256 MiB,
// 10 passes, 16 lanes): what an import may store as an account's hash.
func ValidPasswordHash(phc string) bool {
	if len(phc) > 512 {
		return false
	}
	p, salt, want, err := parsePHC(phc)
	return err == nil && p.memoryKiB >= 8*uint32(p.threads) && p.memoryKiB <= 256<<10 && p.time >= 1 && p.time <= 10 &&
		p.threads >= 1 && p.threads <= 16 && len(salt) >= 8 && len(want) >= 16 && len(want) <= 64
}

func parsePHC(phc string) (p argonParams, salt, key []byte, err error) {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return p, nil, nil, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memoryKiB, &p.time, &p.threads); err != nil {
		return p, nil, nil, errBadHash
	}
	b64 := base64.RawStdEncoding
	if salt, err = b64.DecodeString(parts[4]); err != nil {
		return p, nil, nil, errBadHash
	}
	if key, err = b64.DecodeString(parts[5]); err != nil || len(key) == 0 {
		return p, nil, nil, errBadHash
	}
	return p, salt, key, nil
}

// dummyHash is verified against for unknown usernames, so a login attempt
// costs the same time whether or not the account exists.
var dummyHash = sync.OnceValue(func() string {
	h, err := HashPassword("castdesk-dummy-password-never-matches")
	if err != nil {
		panic(err)
	}
	return h
})
