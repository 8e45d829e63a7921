package media

import (
	"os"
	"path/filepath"
)

// existingParent is path, or its nearest ancestor that exists: a content
// root not created yet lies on the volume of the folder that will hold it.
func existingParent(path string) string {
	for {
		if _, err := os.Stat(path); err == nil {
			return path
		}
		parent := filepath.Dir(path)
		if parent == path {
			return path
		}
		path = parent
	}
}
