package httpapi_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"castdesk/backend/proc"
	"castdesk/backend/testkit"
)

// TestBenchPocketBase is `make bench`, not `make test`: Castdesk beside
// PocketBase (scripts/bench/pocketbase: PocketBase embedded as a library, its
// own Go module, built here and cached under .cache/bench keyed by the
// hash of its go.mod, go.sum and main.go) in the same run, both as server
// processes on loopback, both holding the same 100,000 records:
//
//   - Castdesk: seedAccounts (the loader of TestBenchAccountsList: the
//     store's InsertAccount, 5,000 a transaction), then `castdesk serve`
//     (the root package built with -tags sqlite_fts5: no GTK) on that data
//     directory, until /health says "ok" (100,000 folders made, media
//     index done);
//   - PocketBase: `pocketbase seed` (a base collection with the same
//     fields and values, same-purpose indexes, inserted through its Go API
//     5,000 a transaction), then `pocketbase serve`.
//
// One HTTP client (one keep-alive transport) asks both, alternately (A B A
// B ...), the same question with the same random records (one seed), as
// the admin (Castdesk's session cookie) and as a superuser (PocketBase's
// token): one record by ID, the first page sorted by name, an email search
// by substring and by the exact address. It prints p50/p99 of each side,
// the Castdesk/PocketBase ratio, each server's CPU time per request
// (/proc/PID/stat) and the idle VmRSS of each server 5 s after the load,
// then again 5 s after the queries. It asserts nothing about time.
func TestBenchPocketBase(t *testing.T) {
	if os.Getenv("CASTDESK_BENCH") == "" {
		t.Skip("set CASTDESK_BENCH=1 (make bench)")
	}
	const accounts = 100_000
	seed := uint64(20261130)
	if s := os.Getenv("CASTDESK_BENCH_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	root, _ := filepath.Abs("../..")
	began := time.Now()
	step := func(format string, args ...any) {
		fmt.Printf("    [%5.1f s] %s\n", time.Since(began).Seconds(), fmt.Sprintf(format, args...))
	}

	pbBin, pbVersion := pbBuild(t, root, step)
	cdBin := filepath.Join(t.TempDir(), "castdesk")
	build := exec.Command("go", "build", "-tags", "sqlite_fts5", "-o", cdBin, ".")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build castdesk: %v\n%s", err, out)
	}
	step("castdesk built (go build -tags sqlite_fts5: serve without GTK)")

	// Castdesk: the same loader as TestBenchAccountsList.
	e := newServer(t)
	admin := e.client(t)
	admin.do("POST", "/api/v1/setup", setupBody).expect(t, 201, "")
	seedAccounts(t, e, accounts)
	step("castdesk: %d accounts inserted through the store", accounts)

	// PocketBase: the same records through its Go API.
	pbDir := t.TempDir()
	const pbEmail, pbPassword = "admin@example.org", "bench-" + testkit.StrongPassword
	out, err := exec.Command(pbBin, "seed", "--dir", pbDir, "--n", strconv.Itoa(accounts),
		"--superuser", pbEmail, "--password", pbPassword).CombinedOutput()
	if err != nil {
		t.Fatalf("pocketbase seed: %v\n%s", err, out)
	}
	step("pocketbase: %s", strings.TrimSpace(string(out)))

	cd := pbStart(t, "castdesk", exec.Command(cdBin, "serve", "--data", e.Dir, "--addr", "127.0.0.1:0"), "")
	pbPort := pbFreePort(t)
	pb := pbStart(t, "pocketbase", exec.Command(pbBin, "serve", "--dir", pbDir, "--http", "127.0.0.1:"+pbPort),
		"http://127.0.0.1:"+pbPort+"/")

	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2, DisableCompression: true}}
	cd.waitReady(t, hc, "api/v1/health", func(b []byte) bool {
		var h struct{ Status string }
		return json.Unmarshal(b, &h) == nil && h.Status == "ok"
	})
	step("castdesk serve: /health \"ok\" (folders made, media index done) after %.1f s", time.Since(cd.started).Seconds())
	pb.waitReady(t, hc, "api/health", func([]byte) bool { return true })
	step("pocketbase serve: /api/health 200 after %.1f s", time.Since(pb.started).Seconds())

	// Log in: the admin's session cookie; the superuser's token.
	cd.login(t, hc, "api/v1/auth/login", map[string]string{"username": "admin", "password": testkit.StrongPassword},
		func(res *http.Response, body []byte) {
			for _, c := range res.Cookies() {
				if c.Name == "castdesk_session" {
					cd.auth = [2]string{"Cookie", c.Name + "=" + c.Value}
				}
			}
		})
	pb.login(t, hc, "api/collections/_superusers/auth-with-password", map[string]string{"identity": pbEmail, "password": pbPassword},
		func(res *http.Response, body []byte) {
			var tok struct{ Token string }
			json.Unmarshal(body, &tok)
			pb.auth = [2]string{"Authorization", tok.Token}
		})
	if cd.auth[1] == "" || pb.auth[1] == "" {
		t.Fatal("no session cookie or no superuser token")
	}

	time.Sleep(5 * time.Second)
	rssLoaded := [2]int{cd.rss(t), pb.rss(t)}
	step("both idle 5 s after the load: VmRSS read")

	// Record i (0-based, in load order) is Castdesk account i+2 (1 is the
	// admin) and PocketBase record "c" + i in 14 digits; checked below.
	cdID := func(i int) string { return strconv.Itoa(i + 2) }
	pbID := func(i int) string { return fmt.Sprintf("c%014d", i) }
	email := func(i int) string { return fmt.Sprintf("u%d@host%d.example.org", i, i%50) }
	rng := rand.New(rand.NewPCG(seed, seed))
	pick := func(n int) []int {
		out := make([]int, n)
		for k := range out {
			out[k] = rng.IntN(accounts)
		}
		return out
	}
	for _, i := range pick(5) {
		var c struct {
			Account struct{ Username string }
		}
		var p struct{ Username string }
		json.Unmarshal(cd.get(t, hc, "api/v1/customers/"+cdID(i)), &c)
		json.Unmarshal(pb.get(t, hc, "api/collections/customers/records/"+pbID(i)), &p)
		if want := fmt.Sprintf("user%06d", i); c.Account.Username != want || p.Username != want {
			t.Fatalf("record %d: castdesk %q, pocketbase %q, want %q", i, c.Account.Username, p.Username, want)
		}
	}

	type row struct {
		name   string
		n      int
		cd, pb func(i int) string // the path of sample i's request
		check  func(cd, pb []byte, i int) error
	}
	one := func(b []byte, total string) error {
		var v map[string]any
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		if n, _ := v[total].(float64); n != 1 {
			return fmt.Errorf("%s = %v, want 1", total, v[total])
		}
		return nil
	}
	rows := []row{
		{"one record by ID", 2000,
			func(i int) string { return "api/v1/customers/" + cdID(i) },
			func(i int) string { return "api/collections/customers/records/" + pbID(i) }, nil},
		{"list, first page by name (50)", 300,
			func(int) string { return "api/v1/customers?sort=name&limit=50" },
			func(int) string { return "api/collections/customers/records?sort=name&perPage=50" }, nil},
		// The same, PocketBase told not to count (skipTotal=1): what its
		// total costs. Castdesk always counts.
		{"list, first page by name, PB skipTotal", 300,
			func(int) string { return "api/v1/customers?sort=name&limit=50" },
			func(int) string { return "api/collections/customers/records?sort=name&perPage=50&skipTotal=1" }, nil},
		{"search email, exact address", 300,
			func(i int) string { return "api/v1/customers?limit=50&q=" + url.QueryEscape(email(i)) },
			func(i int) string {
				return "api/collections/customers/records?perPage=50&filter=" + url.QueryEscape("email='"+email(i)+"'")
			},
			func(c, p []byte, i int) error {
				if err := one(c, "total"); err != nil {
					return err
				}
				return one(p, "totalItems")
			}},
		{"search email substring (u<i>@host)", 100,
			func(i int) string {
				return "api/v1/customers?limit=50&q=" + url.QueryEscape(fmt.Sprintf("u%d@host", i))
			},
			func(i int) string {
				return "api/collections/customers/records?perPage=50&filter=" + url.QueryEscape(fmt.Sprintf("email~'u%d@host'", i))
			}, nil},
	}

	fmt.Printf("\nCastdesk beside PocketBase %s, %d records, same run, alternately (seed %d; load average %s)\n", pbVersion, accounts, seed, pbLoad())
	fmt.Printf("%-40s %10s %10s %10s %10s %8s %8s %11s %11s\n", "", "Castdesk", "", "PocketBase", "", "p50", "p99", "CPU/req", "CPU/req")
	fmt.Printf("%-40s %10s %10s %10s %10s %8s %8s %11s %11s\n", "", "p50", "p99", "p50", "p99", "CD/PB", "CD/PB", "Castdesk", "PocketBase")
	for _, r := range rows {
		// Warm both the same way: 50 calls each, not timed.
		for _, i := range pick(50) {
			cd.get(t, hc, r.cd(i))
			pb.get(t, hc, r.pb(i))
		}
		ids := pick(r.n)
		dc, dp := make([]time.Duration, r.n), make([]time.Duration, r.n)
		cpu0 := [2]time.Duration{cd.cpu(t), pb.cpu(t)}
		var bytesCD, bytesPB int
		for k, i := range ids {
			start := time.Now()
			bc := cd.get(t, hc, r.cd(i))
			dc[k] = time.Since(start)
			start = time.Now()
			bp := pb.get(t, hc, r.pb(i))
			dp[k] = time.Since(start)
			bytesCD, bytesPB = bytesCD+len(bc), bytesPB+len(bp)
			if r.check != nil {
				if err := r.check(bc, bp, i); err != nil {
					t.Fatalf("%s, record %d: %v\ncastdesk: %s\npocketbase: %s", r.name, i, err, bc, bp)
				}
			}
		}
		cpuCD, cpuPB := (cd.cpu(t)-cpu0[0])/time.Duration(r.n), (pb.cpu(t)-cpu0[1])/time.Duration(r.n)
		c50, c99 := pbPercentiles(dc)
		p50, p99 := pbPercentiles(dp)
		fmt.Printf("%-40s %8.3fms %8.3fms %8.3fms %8.3fms %7.2fx %7.2fx %8.3f ms %8.3f ms   (%d pairs; %d / %d bytes a reply)\n",
			r.name, pbMs(c50), pbMs(c99), pbMs(p50), pbMs(p99), float64(c50)/float64(p50), float64(c99)/float64(p99),
			pbMs(cpuCD), pbMs(cpuPB), r.n, bytesCD/r.n, bytesPB/r.n)
	}
	step("queries done")
	time.Sleep(5 * time.Second)
	rssAfter := [2]int{cd.rss(t), pb.rss(t)}
	fmt.Printf("\n%-40s %10s %10s %8s\n", "idle VmRSS, 100,000 records", "Castdesk", "PocketBase", "CD/PB")
	fmt.Printf("%-40s %6.1f MiB %6.1f MiB %7.2fx\n", "5 s after the load (before queries)",
		float64(rssLoaded[0])/1024, float64(rssLoaded[1])/1024, float64(rssLoaded[0])/float64(rssLoaded[1]))
	fmt.Printf("%-40s %6.1f MiB %6.1f MiB %7.2fx\n", "5 s after the queries",
		float64(rssAfter[0])/1024, float64(rssAfter[1])/1024, float64(rssAfter[0])/float64(rssAfter[1]))
	fmt.Printf("%-40s %6.1f MiB %6.1f MiB\n", "database file(s) on disk", pbMiB(pbFilesSize(e.Dir, "castdesk.db")),
		pbMiB(pbFilesSize(pbDir, "data.db")+pbFilesSize(pbDir, "auxiliary.db")))
	step("done (load average %s)", pbLoad())
}

// pbLoad is the 1-minute load average: this machine is shared.
func pbLoad() string {
	b, _ := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); len(f) > 0 {
		return f[0]
	}
	return "?"
}

// pbBuild builds scripts/bench/pocketbase once per content of its go.mod,
// go.sum and main.go, into .cache/bench (git-ignored), and returns the
// binary and the PocketBase version it reports.
func pbBuild(t *testing.T, root string, step func(string, ...any)) (string, string) {
	src := filepath.Join(root, "scripts", "bench", "pocketbase")
	h := sha256.New()
	for _, f := range []string{"go.mod", "go.sum", "main.go"} {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		h.Write(b)
	}
	cache := os.Getenv("CASTDESK_BENCH_CACHE")
	if cache == "" {
		cache = filepath.Join(root, ".cache", "bench")
	}
	bin := filepath.Join(cache, "pocketbase-"+hex.EncodeToString(h.Sum(nil))[:16], "pocketbase")
	if _, err := os.Stat(bin); err != nil {
		if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		tmp := bin + ".tmp"
		build := exec.Command("go", "build", "-o", tmp, ".")
		build.Dir = src
		build.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=readonly -buildvcs=false")
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("go build scripts/bench/pocketbase: %v\n%s", err, out)
		}
		if err := os.Rename(tmp, bin); err != nil {
			t.Fatal(err)
		}
		step("pocketbase built in %.0f s (cached: %s)", time.Since(start).Seconds(), bin)
	} else {
		step("pocketbase binary cached: %s", bin)
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(out))
	return bin, f[len(f)-1]
}

// pbServer is a server child process: its base URL and the header that
// authenticates the bench's requests.
type pbServer struct {
	name    string
	cmd     *exec.Cmd
	base    string
	auth    [2]string
	started time.Time
}

// pbStart starts cmd. base empty: read it from the first URL printed
// (castdesk serve prints its address).
func pbStart(t *testing.T, name string, cmd *exec.Cmd, base string) *pbServer {
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	s := &pbServer{name: name, cmd: cmd, base: base, started: time.Now()}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() })
	sc := bufio.NewScanner(out)
	for s.base == "" && sc.Scan() {
		s.base = regexp.MustCompile(`http://[^/ ]+/`).FindString(sc.Text())
	}
	go func() {
		for sc.Scan() {
		}
	}()
	if s.base == "" {
		t.Fatalf("%s printed no address", name)
	}
	return s
}

func (s *pbServer) waitReady(t *testing.T, hc *http.Client, path string, ok func([]byte) bool) {
	for {
		res, err := hc.Get(s.base + path)
		if err == nil {
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode == 200 && ok(b) {
				return
			}
		}
		if time.Since(s.started) > 5*time.Minute {
			t.Fatalf("%s: not ready after 5 minutes", s.name)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (s *pbServer) login(t *testing.T, hc *http.Client, path string, body any, got func(*http.Response, []byte)) {
	j, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", s.base+path, bytes.NewReader(j))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Requested-With", "castdesk")
	res, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("%s login: %d %s", s.name, res.StatusCode, b)
	}
	got(res, b)
}

// get sends an authenticated GET, reads the whole answer (so the
// connection is kept alive) and fails on anything but 200.
func (s *pbServer) get(t *testing.T, hc *http.Client, path string) []byte {
	req, _ := http.NewRequest("GET", s.base+path, nil)
	req.Header.Set(s.auth[0], s.auth[1])
	res, err := hc.Do(req)
	if err != nil {
		t.Fatalf("%s GET %s: %v", s.name, path, err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("%s GET %s: %d %s", s.name, path, res.StatusCode, b)
	}
	return b
}

// rss is the child's VmRSS in KiB.
func (s *pbServer) rss(t *testing.T) int {
	n, err := proc.StatusKiB(s.cmd.Process.Pid, "VmRSS")
	if err != nil {
		t.Skip(err)
	}
	return n
}

// cpu is the child's user + system CPU time so far (clock ticks of 10 ms).
func (s *pbServer) cpu(t *testing.T) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		t.Skip("no /proc")
	}
	// The fields after the command name (in parentheses): utime and stime
	// are the 12th and 13th of them.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	u, _ := strconv.ParseInt(f[11], 10, 64)
	k, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+k) * 10 * time.Millisecond
}

func pbFreePort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

func pbPercentiles(d []time.Duration) (p50, p99 time.Duration) {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2], s[len(s)*99/100]
}

func pbMs(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }

func pbMiB(n int64) float64 { return float64(n) / (1 << 20) }

// pbFilesSize is the size of a SQLite database with its -wal file.
func pbFilesSize(dir, name string) int64 {
	var n int64
	for _, f := range []string{name, name + "-wal"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err == nil {
			n += st.Size()
		}
	}
	return n
}
