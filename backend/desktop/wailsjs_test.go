package desktop

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"testing"
)

// The SPA calls the committed frontend/wailsjs bindings' names; this fails
// when a bound method is added, removed or renamed without `make bindings`.
func TestCommittedBindingsMatchTheBoundMethods(t *testing.T) {
	declared := regexp.MustCompile(`(?m)^export function (\w+)\(`)
	for _, b := range Bindings(NewSession(nil)) {
		typ := reflect.TypeOf(b)
		name := typ.Elem().Name()
		var want []string
		for i := 0; i < typ.NumMethod(); i++ {
			want = append(want, typ.Method(i).Name)
		}
		src, err := os.ReadFile(filepath.Join("..", "..", "frontend", "wailsjs", "go", "desktop", name+".d.ts"))
		if err != nil {
			t.Errorf("%s: no committed bindings (run make bindings): %v", name, err)
			continue
		}
		var got []string
		for _, m := range declared.FindAllStringSubmatch(string(src), -1) {
			got = append(got, m[1])
		}
		sort.Strings(want)
		sort.Strings(got)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: committed bindings %v, bound methods %v (run make bindings)", name, got, want)
		}
	}
}
