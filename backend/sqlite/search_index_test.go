package sqlite

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"castdesk/backend/panel"
)

// searchFixture writes accounts whose usernames, names and addresses share
// parts in the ways that matter to an address search: the same part before
// the @ under different domains, one address inside another, upper case,
// non-ASCII text, an @ in a name. Each account is its own transaction, so
// the search index ends up in many segments.
func searchFixture(t *testing.T) (*Store, []panel.Account) {
	t.Helper()
	ctx := context.Background()
	s := openTempStore(t)
	now := time.UnixMilli(time.Now().UnixMilli()).UTC()
	var all []panel.Account
	add := func(user, name, email string) {
		a := panel.Account{Username: user, Name: name, Email: email, Level: panel.LevelCustomer, Status: panel.StatusEnabled,
			Language: "en", PasswordHash: "x", CreatedAt: now, UpdatedAt: now}
		err := s.Write(ctx, func(tx panel.Tx) (err error) { a.ID, err = tx.InsertAccount(ctx, &a); return err })
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, a)
	}
	for i := range 300 {
		add(fmt.Sprintf("user%03d", i), fmt.Sprintf("Name %d", i), fmt.Sprintf("u%d@example.org", i))
	}
	add("info", "Info Desk", "info@example.org")
	add("info2", "Info Two", "INFO@Example.NET")
	add("xinfo", "Prefix", "xinfo@example.org.uk")
	add("ana", "Ana at home", "ana@exámple.org")
	add("mail", "me@example.org (old)", "other@radio.test")
	add("josé", "José", "JOSÉ@radio.test")
	return s, all
}

// contains is the search's rule: the ID exactly, or a case-insensitive
// substring of username, name or email (ASCII case here, as the queries).
func contains(a panel.Account, q string) bool {
	lq := strings.ToLower(q)
	return strconv.FormatInt(a.ID, 10) == q || strings.Contains(strings.ToLower(a.Username), lq) ||
		strings.Contains(strings.ToLower(a.Name), lq) || strings.Contains(strings.ToLower(a.Email), lq)
}

// An address search looks up the part up to one character past the @ and
// checks the rest on the few rows found: it must find exactly what the
// rule finds, the total included.
func TestAddressSearchFindsWhatTheWholeQueryMatches(t *testing.T) {
	s, all := searchFixture(t)
	ctx := context.Background()
	for _, q := range []string{
		"u7@example.org", "U7@EXAMPLE.ORG", "u7@e", "u7@ex", "info@example.org", "info@example", "info@example.net",
		"nfo@example.org", "me@example.org", "@example.org", "a@exámple.org", "josé@radio.test", "u1@example.org.uk",
		"other@radio.test", "u29@example.org", "x@y", "@@@", "u1@",
	} {
		var want []string
		for _, a := range all {
			if contains(a, q) {
				want = append(want, a.Username)
			}
		}
		page, err := s.ListAccounts(ctx, panel.AccountQuery{Q: q, Sort: "username", Limit: 1000})
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		var got []string
		for _, a := range page.Items {
			got = append(got, a.Username)
		}
		slices.Sort(want)
		slices.Sort(got)
		if strings.ContainsFunc(q, func(r rune) bool { return r >= 0x80 }) {
			// Not ASCII: the whole phrase, whose case folding is the
			// index's own; checked only to find what Go's rule finds.
			if !slices.Equal(got, want) {
				t.Errorf("%q: found %v, want %v", q, got, want)
			}
			continue
		}
		if !slices.Equal(got, want) || page.Total != len(want) {
			t.Errorf("%q: found %v (total %d), want %v", q, got, page.Total, want)
		}
	}
	if _, ok := addressHead("u7@example.org"); !ok {
		t.Error("an address is not looked up by its head")
	}
	for _, q := range []string{"u7@e", "@example.org", "josé@radio.test", "plain"} {
		if head, ok := addressHead(q); ok {
			t.Errorf("%q looked up by %q", q, head)
		}
	}
}

// The merge makes one segment of many, and searches find the same after it.
func TestSearchIndexIsMergedIntoOne(t *testing.T) {
	after := searchCompactAfter
	searchCompactAfter = 1 << 30 // no merge in the background here
	defer func() { searchCompactAfter = after }()
	s, _ := searchFixture(t)
	ctx := context.Background()
	before, err := s.ListAccounts(ctx, panel.AccountQuery{Q: "example", Sort: "username", Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := s.SearchIndexSegments(ctx); err != nil || n < 2 {
		t.Fatalf("%d segments (%v) after 306 single writes: nothing to merge, the test proves nothing", n, err)
	}
	if merged, err := s.CompactSearchIndex(ctx); err != nil || !merged {
		t.Fatalf("merged %v, %v", merged, err)
	}
	if n, err := s.SearchIndexSegments(ctx); err != nil || n != 1 {
		t.Fatalf("%d segments (%v) after the merge", n, err)
	}
	if merged, err := s.CompactSearchIndex(ctx); err != nil || merged {
		t.Fatalf("merged %v, %v: an index of one segment is merged already", merged, err)
	}
	got, err := s.ListAccounts(ctx, panel.AccountQuery{Q: "example", Sort: "username", Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if got.Total != before.Total || len(got.Items) != len(before.Items) || got.Total < 300 {
		t.Fatalf("before the merge %d found, after it %d", before.Total, got.Total)
	}
}

// Enough account writes wake the merge in the background once writing
// pauses.
func TestManyAccountWritesMergeTheSearchIndex(t *testing.T) {
	after, gap, quiet := searchCompactAfter, searchCompactGap, searchQuiet
	searchCompactAfter, searchCompactGap, searchQuiet = 100, 0, 10*time.Millisecond
	defer func() { searchCompactAfter, searchCompactGap, searchQuiet = after, gap, quiet }()
	s, _ := searchFixture(t) // 306 single writes
	deadline := time.Now().Add(30 * time.Second)
	for s.search.merges.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if s.search.merges.Load() == 0 {
		t.Fatal("306 account writes did not merge the search index")
	}
}
