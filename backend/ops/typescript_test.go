package ops

import (
	"os"
	"path/filepath"
	"testing"
)

// The committed TypeScript is what the declarations generate: nothing in
// the SPA mirrors a Go type by hand.
func TestGeneratedTypeScriptIsFresh(t *testing.T) {
	committed, err := os.ReadFile(filepath.Join("..", "..", GeneratedTSPath))
	if err != nil {
		t.Fatalf("%s: %v (run make bindings)", GeneratedTSPath, err)
	}
	if string(committed) != TypeScript() {
		t.Fatalf("%s is stale: run `make bindings` and commit the result", GeneratedTSPath)
	}
}
