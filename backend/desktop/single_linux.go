//go:build linux && desktop

package desktop

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/wailsapp/wails/v2/pkg/options"
)

// AlreadyOpen tells whether a window is already open on dataDir and, if so,
// asks it to come to the front. Wails' own lock (options.SingleInstanceLock,
// a D-Bus name on Linux) would stop this process too, but only once the
// window starts — after the data directory was opened and its start-up work
// (reconcile, media index) begun. Asking first, on the same D-Bus name,
// lets a second launch leave without touching the data directory.
func AlreadyOpen(dataDir string) bool {
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return false
	}
	defer conn.Close()
	// Wails v2's naming (internal/frontend/desktop/linux/single_instance.go).
	id := "wails_app_" + strings.NewReplacer("-", "_", ".", "_").Replace(InstanceID(dataDir))
	name, path := "org."+id+".SingleInstance", dbus.ObjectPath("/org/"+id+"/SingleInstance")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	var owned bool
	if err := conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, name).Store(&owned); err != nil || !owned {
		return false
	}
	wd, _ := os.Getwd()
	msg, _ := json.Marshal(options.SecondInstanceData{Args: os.Args[1:], WorkingDirectory: wd})
	return conn.Object(name, path).CallWithContext(ctx, name+".SendMessage", 0, string(msg)).Err == nil
}
