// Command openapigen prints the OpenAPI document of the JSON API, as
// GET /api/v1/openapi.json serves it (the test run lints it).
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"castdesk/backend/httpapi"
)

func main() {
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(httpapi.OpenAPI()); err != nil {
		fmt.Fprintln(os.Stderr, "openapigen:", err)
		os.Exit(1)
	}
}
