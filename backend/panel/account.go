package panel

import (
	"net/mail"
	"strings"
	"time"
	_ "time/tzdata" // timezone validation must not depend on the host's zoneinfo
	"unicode/utf8"
)

type Level string

const (
	LevelCustomer Level = "customer"
	LevelAdmin    Level = "admin"
)

type Status string

const (
	StatusEnabled  Status = "enabled"
	StatusDisabled Status = "disabled"
)

// Languages the interface and the emails speak.
var Languages = []string{"en", "es"}

// Account is everybody: customers, resellers (accounts with a reseller plan)
// and administrators (docs/spec.md §1).
type Account struct {
	ID                 int64      `json:"id"`
	Username           string     `json:"username"`
	Name               string     `json:"name"`
	ContactNumber      string     `json:"contact_number"`
	Email              string     `json:"email"`
	Level              Level      `json:"level"`
	Status             Status     `json:"status"`
	APIAccess          bool       `json:"api_access"`
	Accessibility      bool       `json:"accessibility"`
	Timezone           string     `json:"timezone"`
	Language           string     `json:"language"`
	ResellerPlanID     *int64     `json:"reseller_plan_id"`
	ResellerPlanName   string     `json:"reseller_plan_name"`
	OwnerID            *int64     `json:"owner_id"`
	MustChangePassword bool       `json:"must_change_password"`
	CreatedAt          time.Time  `json:"created_at"`
	UpdatedAt          time.Time  `json:"updated_at"`
	LastLoginAt        *time.Time `json:"last_login_at"`
	ServicesCount      int        `json:"services_count"`
	// StorageQuotaMB is the account's media storage quota; nil takes the
	// System Settings default (default_storage_quota_mb).
	StorageQuotaMB *int `json:"storage_quota_mb"`

	PasswordHash string `json:"-"`
}

func (a *Account) IsAdmin() bool    { return a.Level == LevelAdmin }
func (a *Account) IsReseller() bool { return a.ResellerPlanID != nil }
func (a *Account) IsEnabled() bool  { return a.Status == StatusEnabled }

// UsernameKey and NormalizeUsername are in textguard.go.

const (
	usernameMin = 3
	usernameMax = 100
	nameMax     = 200
	emailMax    = 254
	contactMax  = 50
)

// validateUsername allows what logins usually are, including email addresses.
func validateUsername(u string, fields *Problems) {
	switch {
	case u == "":
		fields.Add("username", ReasonRequired)
	case checkText("username", u, fields):
	case utf8.RuneCountInString(u) < usernameMin:
		fields.TooShort("username", usernameMin)
	case utf8.RuneCountInString(u) > usernameMax:
		fields.TooLong("username", usernameMax)
	default:
		for _, r := range u {
			ok := r == '.' || r == '_' || r == '-' || r == '@' || r == '+' ||
				(r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
			if !ok {
				fields.Add("username", ReasonInvalid)
				return
			}
		}
	}
}

func validateEmail(e string, fields *Problems) {
	if e == "" {
		fields.Add("email", ReasonRequired)
		return
	}
	if len(e) > emailMax {
		fields.TooLong("email", emailMax)
		return
	}
	addr, err := mail.ParseAddress(e)
	// A bare address only: "Name <a@b>" or anything the parser rewrote is refused,
	// and the domain must look like one (a@b is legal RFC 5322 but never deliverable here).
	if err != nil || addr.Address != e || !strings.Contains(e[strings.LastIndex(e, "@"):], ".") {
		fields.Add("email", ReasonInvalidEmail)
	}
}

func validateName(n string, fields *Problems) {
	switch {
	case n == "":
		fields.Add("name", ReasonRequired)
	case checkText("name", n, fields):
	case utf8.RuneCountInString(n) > nameMax:
		fields.TooLong("name", nameMax)
	}
}

func validateContact(c string, fields *Problems) {
	if checkText("contact_number", c, fields) {
		return
	}
	if utf8.RuneCountInString(c) > contactMax {
		fields.TooLong("contact_number", contactMax)
	}
}

// ValidTimezone tells whether tz is empty (system default) or an IANA name.
func ValidTimezone(tz string) bool {
	if tz == "" {
		return true
	}
	if tz == "Local" || strings.HasPrefix(tz, "/") {
		return false
	}
	_, err := time.LoadLocation(tz)
	return err == nil
}

func validateTimezone(field, tz string, fields *Problems) {
	if !ValidTimezone(tz) {
		fields.Add(field, ReasonUnknownTimezone)
	}
}

func validateLanguage(l string, fields *Problems) {
	for _, ok := range Languages {
		if l == ok {
			return
		}
	}
	fields.Add("language", ReasonInvalid)
}

func validateLevel(l Level, fields *Problems) {
	if l != LevelCustomer && l != LevelAdmin {
		fields.Add("level", ReasonInvalid)
	}
}

func validateStatus(s Status, fields *Problems) {
	if s != StatusEnabled && s != StatusDisabled {
		fields.Add("status", ReasonInvalid)
	}
}
