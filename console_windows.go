//go:build windows

package main

import (
	"os"
	"syscall"
)

// The Windows release is linked with -H windowsgui (no console window opens
// behind the desktop window), so it starts without standard output. When it is
// started from a console (cmd, PowerShell) and its output is not redirected,
// write to that console instead, so `castdesk.exe --version`, `castdesk.exe
// serve` and `castdesk.exe admin ...` print what they print elsewhere.
// Started from the Start menu there is no parent console and nothing changes.
func init() {
	if validHandle(syscall.Stdout) && validHandle(syscall.Stderr) {
		return // redirected to a file or pipe, or a console program
	}
	const attachParentProcess = ^uintptr(0) // ATTACH_PARENT_PROCESS (DWORD -1)
	attach := syscall.NewLazyDLL("kernel32.dll").NewProc("AttachConsole")
	if attach.Find() != nil {
		return
	}
	if ok, _, _ := attach.Call(attachParentProcess); ok == 0 {
		return
	}
	out, err := syscall.CreateFile(syscall.StringToUTF16Ptr("CONOUT$"),
		syscall.GENERIC_READ|syscall.GENERIC_WRITE, syscall.FILE_SHARE_READ|syscall.FILE_SHARE_WRITE,
		nil, syscall.OPEN_EXISTING, 0, 0)
	if err != nil {
		return
	}
	if !validHandle(syscall.Stdout) {
		os.Stdout = os.NewFile(uintptr(out), "/dev/stdout")
	}
	if !validHandle(syscall.Stderr) {
		os.Stderr = os.NewFile(uintptr(out), "/dev/stderr")
	}
}

func validHandle(h syscall.Handle) bool {
	if h == 0 || h == syscall.InvalidHandle {
		return false
	}
	_, err := syscall.GetFileType(h)
	return err == nil
}
