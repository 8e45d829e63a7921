// Command tsgen writes the SPA's generated API module (`make bindings`).
package main

import (
	"fmt"
	"os"

	"castdesk/backend/ops"
)

func main() {
	path := ops.GeneratedTSPath
	if len(os.Args) > 1 {
		path = os.Args[1]
	}
	if err := os.WriteFile(path, []byte(ops.TypeScript()), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "tsgen:", err)
		os.Exit(1)
	}
	fmt.Println("wrote", path)
}
