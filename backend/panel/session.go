package panel

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"
)

// Session is a logged-in door: a browser cookie or the desktop window. Only
// the hash of its token is stored, so a copy of the database opens no door.
type Session struct {
	Hash           string
	AccountID      int64
	ImpersonatorID *int64
	CreatedAt      time.Time
	ExpiresAt      time.Time
	LastSeenAt     time.Time
	// PublicID names the session in lists (sessions.go); Address and
	// UserAgent are the client it was opened from; MustEnrol restricts it to
	// enrolling a second factor (twofactor.go).
	PublicID  string
	Address   string
	UserAgent string
	MustEnrol bool
}

const (
	// sessionIdle ends a session nobody used for this long.
	sessionIdle = 12 * time.Hour
	// sessionMax ends any session this long after login, used or not.
	sessionMax = 7 * 24 * time.Hour
	// sessionTouchEvery limits how often a busy session writes its expiry.
	sessionTouchEvery = time.Minute
)

// NewToken returns a random 256-bit token for the client and the hash to store.
func NewToken() (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token), nil
}

// HashToken is how tokens are looked up: SHA-256 is enough for 256 random bits.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
