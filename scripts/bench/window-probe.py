#!/usr/bin/env python3
"""window-probe.py — one cold start of a desktop window, measured (scripts/bench-window.sh).

    window-probe.py --title T [--skip-top PX] [--min-colours N] [--idle S] [--log FILE] -- CMD [ARGS...]

On the X display in $DISPLAY (an Xvfb of the bench's own), it takes the root
window's picture (XGetImage through libX11, no subprocess: ~10 ms), starts
CMD, and from then on takes one every 50 ms:

  window_ms  the first picture that differs from the one before CMD started
             (the window is mapped, usually still blank);
  paint_ms   first paint: the first picture in which the window titled T,
             below its top PX pixels (Castdesk's menu bar: its text alone has
             enough shades to look painted), shows at least N colours — a
             blank or flat webview has 1-3, rendered text brings anti-aliasing
             shades. The time is when that picture was taken.

  complete_ms the first screen complete: the first picture (polled every
             200 ms after first paint) with at least 90 % of the colours of
             the last one (first paint may be a frame or a "Loading...");
  settled_ms the last change of the picture before the idle time is over.

Then it leaves the application idle for S seconds and sums Pss (and Rss) from
/proc/PID/smaps_rollup over CMD's whole process tree (the WebKit web and
network processes included), stops the tree, and prints one JSON line.
"""
import argparse
import ctypes
import ctypes.util
import json
import os
import signal
import subprocess
import sys
import time


class XImage(ctypes.Structure):
    _fields_ = [
        ("width", ctypes.c_int), ("height", ctypes.c_int), ("xoffset", ctypes.c_int),
        ("format", ctypes.c_int), ("data", ctypes.c_void_p), ("byte_order", ctypes.c_int),
        ("bitmap_unit", ctypes.c_int), ("bitmap_bit_order", ctypes.c_int), ("bitmap_pad", ctypes.c_int),
        ("depth", ctypes.c_int), ("bytes_per_line", ctypes.c_int), ("bits_per_pixel", ctypes.c_int),
    ]


x11 = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
x11.XOpenDisplay.restype = ctypes.c_void_p
x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
x11.XDefaultRootWindow.restype = ctypes.c_ulong
x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
x11.XDisplayWidth.argtypes = [ctypes.c_void_p, ctypes.c_int]
x11.XDisplayHeight.argtypes = [ctypes.c_void_p, ctypes.c_int]
x11.XGetImage.restype = ctypes.POINTER(XImage)
x11.XGetImage.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int,
                          ctypes.c_uint, ctypes.c_uint, ctypes.c_ulong, ctypes.c_int]
x11.XFree.argtypes = [ctypes.c_void_p]
ZPIXMAP = 2
ALL_PLANES = 0xFFFFFFFF


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--title", required=True)
    ap.add_argument("--skip-top", type=int, default=0)
    ap.add_argument("--min-colours", type=int, default=40)
    ap.add_argument("--idle", type=float, default=5.0)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--interval", type=float, default=0.05)
    ap.add_argument("--log", default=os.devnull)
    ap.add_argument("--frames", help="keep every distinct picture here (PPM, named by ms since exec)")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    if not cmd:
        ap.error("no command")

    dpy = x11.XOpenDisplay(None)
    if not dpy:
        sys.exit("window-probe: cannot open the display %r" % os.environ.get("DISPLAY"))
    root = x11.XDefaultRootWindow(dpy)
    sw, sh = x11.XDisplayWidth(dpy, 0), x11.XDisplayHeight(dpy, 0)

    def grab():
        img = x11.XGetImage(dpy, root, 0, 0, sw, sh, ALL_PLANES, ZPIXMAP)
        im = img.contents
        if im.bits_per_pixel != 32:
            sys.exit("window-probe: want a 32-bit screen (Xvfb -screen 0 WxHx24), got %d bpp" % im.bits_per_pixel)
        data = ctypes.string_at(im.data, im.bytes_per_line * im.height)
        bpl = im.bytes_per_line
        x11.XFree(ctypes.c_void_p(im.data))
        x11.XFree(img)
        return data, bpl

    def geometry():
        try:
            out = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^%s$" % a.title,
                                  "getwindowgeometry", "--shell", "%1"],
                                 capture_output=True, text=True, timeout=5).stdout
        except subprocess.TimeoutExpired:
            return None
        g = dict(l.split("=", 1) for l in out.split() if "=" in l)
        if "WIDTH" not in g:
            return None
        return int(g["X"]), int(g["Y"]), int(g["WIDTH"]), int(g["HEIGHT"])

    def colours(data, bpl, geom):
        x, y, w, h = geom
        x0, x1 = max(x, 0), min(x + w, sw)
        y0, y1 = max(y + a.skip_top, 0), min(y + h, sh)
        mv = memoryview(data).cast("I")
        stride = bpl // 4
        seen = set()
        for row in range(y0, y1):
            seen.update(mv[row * stride + x0: row * stride + x1])
        return len(seen)

    before, _ = grab()
    prev = hash(before)
    log = open(a.log, "wb")
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    window_ms = paint_ms = None
    geom = None
    cols = 0
    tick = t0
    while True:
        if proc.poll() is not None:
            sys.exit("window-probe: %s exited (status %s) before its first paint (see %s)" % (cmd[0], proc.returncode, a.log))
        taken = time.monotonic()
        if taken - t0 > a.timeout:
            stop(proc)
            sys.exit("window-probe: no first paint within %.0f s (last: %d colours)" % (a.timeout, cols))
        data, bpl = grab()
        h = hash(data)
        if h != prev:
            prev = h
            if a.frames:
                save_ppm(os.path.join(a.frames, "%06.0f.ppm" % ((taken - t0) * 1000)), data, bpl, sw, sh)
            if window_ms is None:
                window_ms = (taken - t0) * 1000
            # Asked again at each change: GTK may map the window in one
            # place and move it (Castdesk goes back to where it was left).
            geom = geometry()
            if geom is not None:
                cols = colours(data, bpl, geom)
                if cols >= a.min_colours:
                    paint_ms = (taken - t0) * 1000
                    break
        tick += a.interval
        time.sleep(max(0.0, tick - time.monotonic()))

    # Idle: still watching (every 200 ms) for the last change of the
    # picture — settled_ms, when the first screen was complete.
    settled_ms = paint_ms
    seen = [(paint_ms, cols)]
    end = time.monotonic() + a.idle
    while time.monotonic() < end:
        time.sleep(0.2)
        taken = time.monotonic()
        data, bpl = grab()
        h = hash(data)
        if h != prev:
            prev = h
            settled_ms = (taken - t0) * 1000
            geom = geometry() or geom
            seen.append((settled_ms, colours(data, bpl, geom)))
            if a.frames:
                save_ppm(os.path.join(a.frames, "%06.0f.ppm" % settled_ms), data, bpl, sw, sh)
    final = seen[-1][1]
    complete_ms = next(t for t, c in seen if c >= 0.9 * final)
    procs = tree(proc.pid)
    pss = rss = 0
    names, each = [], {}
    for pid in procs:
        try:
            p_pss = p_rss = 0
            with open("/proc/%d/smaps_rollup" % pid) as f:
                for line in f:
                    if line.startswith("Pss:"):
                        p_pss = int(line.split()[1])
                    elif line.startswith("Rss:"):
                        p_rss = int(line.split()[1])
            with open("/proc/%d/comm" % pid) as f:
                name = f.read().strip()
            pss, rss = pss + p_pss, rss + p_rss
            names.append(name)
            each[name] = round(each.get(name, 0) + p_pss / 1024, 1)
        except OSError:
            pass
    stop(proc, procs)
    print(json.dumps({"window_ms": round(window_ms, 1), "paint_ms": round(paint_ms, 1), "colours": cols,
                      "complete_ms": round(complete_ms, 1), "settled_ms": round(settled_ms, 1),
                      "pss_mib": round(pss / 1024, 1), "rss_mib": round(rss / 1024, 1),
                      "processes": names, "pss_mib_each": each}))


def save_ppm(path, data, bpl, w, h):
    out = bytearray()
    for row in range(h):
        line = data[row * bpl: row * bpl + w * 4]
        px = bytearray(w * 3)
        px[0::3], px[1::3], px[2::3] = line[2::4], line[1::4], line[0::4]  # BGRX -> RGB
        out += px
    with open(path, "wb") as f:
        f.write(b"P6 %d %d 255\n" % (w, h) + bytes(out))


def tree(pid):
    """pid and all its descendants, from each process's parent in /proc/*/stat."""
    children = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                st = f.read()
        except OSError:
            continue
        ppid = int(st[st.rindex(")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(d))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def stop(proc, procs=()):
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for p in [proc.pid, *procs]:
            try:
                os.kill(p, sig)
            except OSError:
                pass
        try:
            proc.wait(timeout=5)
            break
        except subprocess.TimeoutExpired:
            continue
    for p in procs:  # WebKit helpers that outlive their parent
        try:
            os.kill(p, signal.SIGKILL)
        except OSError:
            pass


if __name__ == "__main__":
    main()
