Unicode true
# A 64-bit installer for the 64-bit program (Debian's nsis has the amd64
# stubs and plugins): it sees the real Program Files and registry, and it runs
# under a 64-bit-only Wine in the smoke test.
Target amd64-unicode

####
## The Castdesk installer, after Wails v2's NSIS template (project.nsi and
## wails_tools.nsh of github.com/wailsapp/wails/v2 pkg/buildassets, MIT).
## scripts/dist.sh builds it with:
##
##   makensis -DINFO_PRODUCTVERSION=1.2.0+3.g1a2b3c4 -DINFO_FILEVERSION=1.2.0.3 \
##            -DARG_WAILS_AMD64_BINARY=/abs/castdesk.exe -DICON_FILE=/abs/icon.ico \
##            -DWEBVIEW2_BOOTSTRAPPER=/abs/MicrosoftEdgeWebview2Setup.exe \
##            -DOUTFILE=/abs/castdesk-...-installer.exe project.nsi
##
## It installs castdesk.exe (with LICENSE.txt and THIRD_PARTY_NOTICES.txt)
## for all users (Program Files\Castdesk), a Start
## menu entry and a desktop shortcut, an uninstaller (also in Apps & features),
## and the WebView2 runtime when it is missing (Microsoft's bootstrapper, which
## downloads it; Windows 11 and up-to-date Windows 10 have it already).
## The user's data (%AppData%\castdesk) stays on uninstall.
####
!define INFO_PROJECTNAME "castdesk"
!define INFO_COMPANYNAME "Castdesk"
!define INFO_PRODUCTNAME "Castdesk"
!define INFO_COPYRIGHT   "Copyright (C) Castdesk authors"
!define PRODUCT_EXECUTABLE "castdesk.exe"
!define UNINST_KEY_NAME "Castdesk"
!define REQUEST_EXECUTION_LEVEL "admin"

!ifndef INFO_PRODUCTVERSION
    !error "pass -DINFO_PRODUCTVERSION=..."
!endif
!ifndef INFO_FILEVERSION
    !error "pass -DINFO_FILEVERSION=a.b.c.d"
!endif
!ifndef OUTFILE
    !error "pass -DOUTFILE=..."
!endif
!ifndef ICON_FILE
    !error "pass -DICON_FILE=..."
!endif
!ifndef LICENSE_FILE
    !error "pass -DLICENSE_FILE=.../LICENSE"
!endif
!ifndef NOTICES_FILE
    !error "pass -DNOTICES_FILE=.../THIRD_PARTY_NOTICES.txt"
!endif
!ifndef WEBVIEW2_BOOTSTRAPPER
    !error "pass -DWEBVIEW2_BOOTSTRAPPER=.../MicrosoftEdgeWebview2Setup.exe"
!endif

!include "wails_tools.nsh"

VIProductVersion "${INFO_FILEVERSION}"
VIFileVersion    "${INFO_FILEVERSION}"

VIAddVersionKey "CompanyName"     "${INFO_COMPANYNAME}"
VIAddVersionKey "FileDescription" "${INFO_PRODUCTNAME} Installer"
VIAddVersionKey "ProductVersion"  "${INFO_PRODUCTVERSION}"
VIAddVersionKey "FileVersion"     "${INFO_PRODUCTVERSION}"
VIAddVersionKey "LegalCopyright"  "${INFO_COPYRIGHT}"
VIAddVersionKey "ProductName"     "${INFO_PRODUCTNAME}"

# Enable HiDPI support. https://nsis.sourceforge.io/Reference/ManifestDPIAware
ManifestDPIAware true

!include "MUI2.nsh"

!define MUI_ICON "${ICON_FILE}"
!define MUI_UNICON "${ICON_FILE}"
!define MUI_FINISHPAGE_NOAUTOCLOSE
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${PRODUCT_EXECUTABLE}"
!define MUI_FINISHPAGE_RUN_TEXT "Open Castdesk"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"

## To sign the installer and the uninstaller (see docs/packaging.md):
#!uninstfinalize 'osslsigncode sign ... -in "%1" -out "%1.signed" && mv "%1.signed" "%1"'
#!finalize 'osslsigncode sign ... -in "%1" -out "%1.signed" && mv "%1.signed" "%1"'

Name "${INFO_PRODUCTNAME}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${INFO_PRODUCTNAME}"
InstallDirRegKey HKLM "${UNINST_KEY}" "InstallLocation"
ShowInstDetails show
# Installed files get the time of installation, not of the build: the same
# source makes the same installer.
SetDateSave off

Function .onInit
   !insertmacro wails.checkArchitecture
   SetRegView 64
FunctionEnd

Function un.onInit
   SetRegView 64
FunctionEnd

Section
    !insertmacro wails.setShellContext

    !insertmacro wails.webview2runtime

    SetOutPath $INSTDIR

    !insertmacro wails.files
    File "/oname=LICENSE.txt" "${LICENSE_FILE}"
    File "/oname=THIRD_PARTY_NOTICES.txt" "${NOTICES_FILE}"

    CreateShortcut "$SMPROGRAMS\${INFO_PRODUCTNAME}.lnk" "$INSTDIR\${PRODUCT_EXECUTABLE}" "" "$INSTDIR\${PRODUCT_EXECUTABLE}" 0 SW_SHOWNORMAL "" "Customer accounts of a streaming-media hosting panel"
    CreateShortcut "$DESKTOP\${INFO_PRODUCTNAME}.lnk" "$INSTDIR\${PRODUCT_EXECUTABLE}"

    !insertmacro wails.writeUninstaller
    WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
SectionEnd

Section "uninstall"
    !insertmacro wails.setShellContext

    RMDir /r "$AppData\${PRODUCT_EXECUTABLE}" # the WebView2 data of the window, not Castdesk's data

    Delete "$INSTDIR\${PRODUCT_EXECUTABLE}"
    Delete "$INSTDIR\LICENSE.txt"
    Delete "$INSTDIR\THIRD_PARTY_NOTICES.txt"
    Delete "$SMPROGRAMS\${INFO_PRODUCTNAME}.lnk"
    Delete "$DESKTOP\${INFO_PRODUCTNAME}.lnk"

    !insertmacro wails.deleteUninstaller
    RMDir $INSTDIR
SectionEnd
