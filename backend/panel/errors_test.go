package panel_test

import (
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"castdesk/backend/mailer/mailertest"
	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

// constsOfType reads errors.go and returns the values of the constants
// declared with the given type name, in order.
func constsOfType(t *testing.T, typeName string) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "errors.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			id, ok := vs.Type.(*ast.Ident)
			if !ok {
				t.Fatalf("errors.go: constant %s has no type: declare it as Code or Reason", vs.Names[0])
			}
			if id.Name != typeName {
				continue
			}
			for _, v := range vs.Values {
				lit, ok := v.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					t.Fatalf("errors.go: constant %s is not a string literal", vs.Names[0])
				}
				s, _ := strconv.Unquote(lit.Value)
				out = append(out, s)
			}
		}
	}
	return out
}

func sameSet[T ~string](t *testing.T, what string, declared []string, listed []T) {
	t.Helper()
	seen := map[string]bool{}
	for _, v := range listed {
		if seen[string(v)] {
			t.Errorf("%s lists %q twice", what, v)
		}
		seen[string(v)] = true
		if !slices.Contains(declared, string(v)) {
			t.Errorf("%s lists %q, which errors.go does not declare", what, v)
		}
	}
	for _, v := range declared {
		if !seen[v] {
			t.Errorf("errors.go declares %q but %s does not list it", v, what)
		}
	}
}

// Every Code and Reason constant is in ErrorCodes / FieldReasons: the SPA's
// lists (and its translations) are generated from them.
func TestEveryCodeAndReasonIsListed(t *testing.T) {
	var codes, reasons []string
	for _, v := range constsOfType(t, "Code") {
		codes = append(codes, v)
	}
	reasons = constsOfType(t, "Reason")
	if len(codes) < 9 || len(reasons) < 20 {
		t.Fatalf("parsed %d codes and %d reasons: the const blocks of errors.go changed shape", len(codes), len(reasons))
	}
	sameSet(t, "ErrorCodes", codes, panel.ErrorCodes)
	sameSet(t, "FieldReasons", reasons, panel.FieldReasons)
	for _, r := range panel.FieldReasons {
		if strings.ContainsAny(string(r), "0123456789:= ") {
			t.Errorf("reason %q carries a number or a separator: numbers go in params", r)
		}
	}
}

// No reason is spelled as a bare string where the backend builds an error:
// InvalidField, FieldError, Problems.Add and map[string]Reason literals take
// the constants, so the lists above stay the whole vocabulary.
func TestNoBareReasonStrings(t *testing.T) {
	isLit := func(e ast.Expr) bool {
		lit, ok := e.(*ast.BasicLit)
		return ok && lit.Kind == token.STRING
	}
	calleeName := func(c *ast.CallExpr) (recv, name string) {
		switch fn := c.Fun.(type) {
		case *ast.Ident:
			return "", fn.Name
		case *ast.SelectorExpr:
			if id, ok := fn.X.(*ast.Ident); ok {
				recv = id.Name
			}
			return recv, fn.Sel.Name
		}
		return "", ""
	}
	isReasonMap := func(e ast.Expr) bool {
		mt, ok := e.(*ast.MapType)
		if !ok {
			return false
		}
		switch v := mt.Value.(type) {
		case *ast.Ident:
			return v.Name == "Reason"
		case *ast.SelectorExpr:
			return v.Sel.Name == "Reason"
		}
		return false
	}
	files := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return nil // another engineer's file mid-edit: not this test's business
		}
		files++
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				recv, name := calleeName(n)
				bad := false
				switch {
				case name == "InvalidField" && len(n.Args) >= 2:
					bad = isLit(n.Args[1])
				case name == "FieldError" && len(n.Args) >= 4:
					bad = isLit(n.Args[3])
				case name == "Add" && recv == "fields" && len(n.Args) >= 2:
					bad = isLit(n.Args[1])
				case name == "newError" && len(n.Args) >= 1:
					// A conflict or a plan refusal without a field and reason
					// would leave the interface nothing to translate.
					if id, ok := n.Args[0].(*ast.Ident); ok && (id.Name == "CodeConflict" || id.Name == "CodeLimitExceeded") {
						t.Errorf("%s: %s without a field reason: use FieldError", fset.Position(n.Pos()), id.Name)
					}
				}
				if bad {
					t.Errorf("%s: %s called with a bare reason string: use a Reason constant", fset.Position(n.Pos()), name)
				}
			case *ast.CompositeLit:
				if isReasonMap(n.Type) {
					for _, el := range n.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok && isLit(kv.Value) {
							t.Errorf("%s: a bare reason string in a map of reasons: use a Reason constant", fset.Position(kv.Pos()))
						}
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 20 {
		t.Fatalf("walked only %d files", files)
	}
}

// A reason carries no number: the minimum travels in params under the same field.
func TestPasswordTooShortCarriesItsMinimum(t *testing.T) {
	env := testkit.New(t)
	_, err := env.Panel.Auth.Setup(context.Background(), panel.SetupInput{Username: "admin", Name: "Admin", Email: "admin@example.org",
		Password: "abc12", PasswordConfirm: "abc12"})
	pe := panel.AsError(err)
	if pe.Code != panel.CodeInvalid || pe.Fields["password"] != panel.ReasonTooShort {
		t.Fatalf("got %+v", pe)
	}
	body, _ := json.Marshal(pe)
	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"code":    "invalid",
		"message": "Some fields need attention.",
		"fields":  map[string]any{"password": "too_short"},
		"params":  map[string]any{"password": map[string]any{"min": float64(panel.PasswordMinDefault)}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("JSON:\n got %s\nwant %v", body, want)
	}

	// Without numbers behind any reason, params is left out.
	body, _ = json.Marshal(panel.InvalidField("email", panel.ReasonInvalidEmail))
	if string(body) != `{"code":"invalid","message":"Some fields need attention.","fields":{"email":"invalid_email"}}` {
		t.Fatalf("JSON without params: %s", body)
	}
}

func TestTextLimitsCarryTheirBounds(t *testing.T) {
	env := testkit.New(t)
	_, err := env.Panel.Auth.Setup(context.Background(), panel.SetupInput{Username: "ab", Name: strings.Repeat("n", 201),
		Email: "admin@example.org", Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword})
	pe := panel.AsError(err)
	if pe.Fields["username"] != panel.ReasonTooShort || !reflect.DeepEqual(pe.Params["username"], panel.Params{"min": 3}) {
		t.Fatalf("username: %+v", pe)
	}
	if pe.Fields["name"] != panel.ReasonTooLong || !reflect.DeepEqual(pe.Params["name"], panel.Params{"max": 200}) {
		t.Fatalf("name: %+v", pe)
	}
	adminCtx, _ := env.Setup(t)
	_, err = env.Panel.Plans.Create(adminCtx, panel.PlanInput{Name: ptr("Tiny"), MaxBitrateKbps: panel.Some(4)})
	if pe := panel.AsError(err); pe.Fields["max_bitrate_kbps"] != panel.ReasonTooSmall || !reflect.DeepEqual(pe.Params["max_bitrate_kbps"], panel.Params{"min": 8}) {
		t.Fatalf("plan bitrate: %+v", pe)
	}
}

func wantConflict(t *testing.T, what string, err error, field string, reason panel.Reason, params panel.Params) {
	t.Helper()
	pe := panel.AsError(err)
	if pe == nil || pe.Code != panel.CodeConflict || len(pe.Fields) != 1 || pe.Fields[field] != reason {
		t.Fatalf("%s: got %+v, want conflict %s=%s", what, pe, field, reason)
	}
	if !reflect.DeepEqual(pe.Params[field], params) {
		t.Fatalf("%s: params %v, want %v", what, pe.Params, params)
	}
}

// Conflicts the interface shows carry a reason it can translate.
func TestConflictsCarryAReason(t *testing.T) {
	e := newResellerEnv(t, panel.PlanInput{})
	wantConflict(t, "plan in use", e.Panel.Plans.Delete(e.admin, e.planID), "plan", panel.ReasonInUse, panel.Params{"count": 1})

	_, err := e.Panel.Auth.Setup(context.Background(), panel.SetupInput{Username: "other", Name: "O", Email: "o@example.org",
		Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword})
	wantConflict(t, "second setup", err, "setup", panel.ReasonAlreadyDone, nil)

	if _, err := e.Panel.Accounts.Update(e.admin, e.customerID, panel.UpdateAccountInput{Status: ptr(panel.StatusDisabled)}); err != nil {
		t.Fatal(err)
	}
	_, _, err = e.Panel.Auth.LoginAs(e.admin, e.customerID)
	wantConflict(t, "log in as a disabled account", err, "status", panel.ReasonDisabled, nil)

	// The last enabled administrator, keyed by what would take it away.
	me, err := e.Panel.Auth.Me(e.admin)
	if err != nil {
		t.Fatal(err)
	}
	op := panel.Operator(context.Background())
	_, err = e.Panel.Accounts.Update(op, me.Account.ID, panel.UpdateAccountInput{Status: ptr(panel.StatusDisabled)})
	wantConflict(t, "disable the last admin", err, "status", panel.ReasonLastAdmin, nil)
	_, err = e.Panel.Accounts.Update(op, me.Account.ID, panel.UpdateAccountInput{Level: ptr(panel.LevelCustomer)})
	wantConflict(t, "demote the last admin", err, "level", panel.ReasonLastAdmin, nil)
	err = e.Panel.Accounts.Delete(op, me.Account.ID, me.Account.Username)
	wantConflict(t, "delete the last admin", err, "account", panel.ReasonLastAdmin, nil)
}

// A failed test email names the settings to check, each with a reason from
// the list; the password's own trouble (nothing stored) points at the password.
func TestTestEmailFailureNamesTheSettingToCheck(t *testing.T) {
	k := newMailKit(t, testMail)
	cases := []struct {
		kind   panel.MailErrorKind
		fields map[string]panel.Reason
	}{
		{panel.MailErrDNS, map[string]panel.Reason{"smtp_host": panel.ReasonHostNotFound}},
		{panel.MailErrConnect, map[string]panel.Reason{"smtp_port": panel.ReasonConnectionFailed}},
		{panel.MailErrTimeout, map[string]panel.Reason{"smtp_port": panel.ReasonTimedOut}},
		{panel.MailErrTLS, map[string]panel.Reason{"smtp_encryption": panel.ReasonTLSFailed}},
		{panel.MailErrCertificate, map[string]panel.Reason{"smtp_encryption": panel.ReasonUntrustedCertificate}},
		{panel.MailErrDowngradeRefused, map[string]panel.Reason{"smtp_encryption": panel.ReasonDowngradeRefused}},
		{panel.MailErrAuth, map[string]panel.Reason{"smtp_username": panel.ReasonAuthFailed, "smtp_password": panel.ReasonAuthFailed}},
		{panel.MailErrRecipientRefused, map[string]panel.Reason{"to": panel.ReasonRecipientRefused}},
		{panel.MailErrRejected, map[string]panel.Reason{"smtp_from_address": panel.ReasonRejected}},
	}
	for _, c := range cases {
		k.mailer.Fail(mailertest.Permanent(c.kind, "It failed."))
		_, err := k.Panel.Mail.TestEmail(k.admin, panel.TestEmailInput{To: "me@example.org"})
		pe := panel.AsError(err)
		if pe == nil || pe.Code != panel.CodeUnavailable || !reflect.DeepEqual(pe.Fields, c.fields) {
			t.Fatalf("%s: got %+v, want fields %v", c.kind, pe, c.fields)
		}
	}
	k.mailer.Fail(nil)

	// A username without a stored password: the password is what to fix.
	user := "me@example.org"
	if _, err := k.Panel.Settings.Update(k.admin, panel.SettingsPatch{SMTPUsername: &user}); err != nil {
		t.Fatal(err)
	}
	_, err := k.Panel.Mail.TestEmail(k.admin, panel.TestEmailInput{To: "me@example.org"})
	if pe := panel.AsError(err); pe == nil || !reflect.DeepEqual(pe.Fields, map[string]panel.Reason{"smtp_password": panel.ReasonNotConfigured}) {
		t.Fatalf("no stored password: %+v", pe)
	}
}
