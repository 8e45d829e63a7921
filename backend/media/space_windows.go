package media

import (
	"path/filepath"
	"strings"
	"syscall"
	"unsafe"

	"castdesk/backend/panel"
)

var getDiskFreeSpaceEx = syscall.NewLazyDLL("kernel32.dll").NewProc("GetDiskFreeSpaceExW")

// Space is the free and total space of the volume holding path (the bytes
// available to this user). Volume is the path's volume name.
func (f *Folders) Space(path string) (panel.DiskSpace, error) {
	path = existingParent(path)
	p, err := syscall.UTF16PtrFromString(path)
	if err != nil {
		return panel.DiskSpace{}, err
	}
	var free, total, totalFree uint64
	r, _, callErr := getDiskFreeSpaceEx.Call(uintptr(unsafe.Pointer(p)), uintptr(unsafe.Pointer(&free)),
		uintptr(unsafe.Pointer(&total)), uintptr(unsafe.Pointer(&totalFree)))
	if r == 0 {
		return panel.DiskSpace{}, callErr
	}
	volume := path
	if abs, err := filepath.Abs(path); err == nil {
		volume = strings.ToUpper(filepath.VolumeName(abs))
	}
	return panel.DiskSpace{Free: int64(free), Total: int64(total), Volume: volume}, nil
}
