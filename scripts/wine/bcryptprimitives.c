/*
 * bcryptprimitives.c — a TEST-HARNESS SHIM for running castdesk.exe under
 * Wine 8.0 (Debian 12); never shipped in a package.
 *
 * Go 1.22 and later get their random bytes on Windows from ProcessPrng in
 * bcryptprimitives.dll, which Wine 8.0 does not have: the runtime stops with
 * "fatal error: bcryptprimitives.dll not found". Real Windows 10 and later
 * have it. This DLL exports ProcessPrng and fills the buffer from
 * RtlGenRandom (advapi32's SystemFunction036), the system's CSPRNG, which
 * Wine has. scripts/wine-smoke-test.sh builds it with mingw and copies it into
 * the test's own Wine prefix (drive_c/windows/system32), nowhere else.
 */
#include <windows.h>

typedef BOOLEAN(WINAPI *RtlGenRandomFn)(PVOID, ULONG);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    static RtlGenRandomFn gen;
    if (!gen) {
        HMODULE advapi = LoadLibraryA("advapi32.dll");
        if (!advapi)
            return FALSE;
        gen = (RtlGenRandomFn)(void *)GetProcAddress(advapi, "SystemFunction036");
        if (!gen)
            return FALSE;
    }
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!gen(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved)
{
    (void)inst;
    (void)reason;
    (void)reserved;
    return TRUE;
}
