package desktop

import (
	"os"
	"strings"
)

// Labels are the words of the window's own chrome — its menu and the
// native dialogs Go shows — in one language. The SPA's words live in
// frontend/src/i18n; these are the few the window needs before, or without,
// the page (the menu is built before the page loads).
type Labels struct {
	File, NewCustomer, OpenDataFolder, Quit          string
	Edit, Undo, Redo, Cut, Copy, Paste, SelectAll    string
	View, Reload, ActualSize, ZoomIn, ZoomOut        string
	Help, Documentation, Shortcuts, Licences, About  string
	QuitTitle, QuitMessage, QuitQuestion, OpenFailed string
	AlreadyOpen                                      string
}

// labels by language code; English is the fallback. A test checks that
// every language fills every label.
var labels = map[string]Labels{
	"en": {
		File: "File", NewCustomer: "New customer", OpenDataFolder: "Open data folder", Quit: "Quit",
		Edit: "Edit", Undo: "Undo", Redo: "Redo", Cut: "Cut", Copy: "Copy", Paste: "Paste", SelectAll: "Select all",
		View: "View", Reload: "Reload", ActualSize: "Actual size", ZoomIn: "Zoom in", ZoomOut: "Zoom out",
		Help: "Help", Documentation: "Documentation", Shortcuts: "Keyboard shortcuts", Licences: "Third-party licences",
		About:        "About Castdesk",
		QuitTitle:    "Quit Castdesk?",
		QuitMessage:  "Quitting now would interrupt:",
		QuitQuestion: "Quit anyway?",
		OpenFailed:   "The folder could not be opened in the file manager:",
		AlreadyOpen:  "Castdesk is already open for this data folder: its window was brought to the front.",
	},
	"es": {
		File: "Archivo", NewCustomer: "Nuevo cliente", OpenDataFolder: "Abrir carpeta de datos", Quit: "Salir",
		Edit: "Editar", Undo: "Deshacer", Redo: "Rehacer", Cut: "Cortar", Copy: "Copiar", Paste: "Pegar",
		SelectAll: "Seleccionar todo",
		View:      "Ver", Reload: "Recargar", ActualSize: "Tamaño real", ZoomIn: "Ampliar", ZoomOut: "Reducir",
		Help: "Ayuda", Documentation: "Documentación", Shortcuts: "Atajos de teclado", Licences: "Licencias de terceros",
		About:        "Acerca de Castdesk",
		QuitTitle:    "¿Salir de Castdesk?",
		QuitMessage:  "Salir ahora interrumpiría:",
		QuitQuestion: "¿Salir de todos modos?",
		OpenFailed:   "No se pudo abrir la carpeta en el gestor de archivos:",
		AlreadyOpen:  "Castdesk ya está abierto para esta carpeta de datos: se ha traído su ventana al frente.",
	},
}

// Languages are the codes the window knows.
func Languages() []string { return []string{"en", "es"} }

// LabelsFor returns the labels of a language code ("es", "es-MX", "es_ES.UTF-8"),
// English when it is not known.
func LabelsFor(lang string) Labels {
	if l, ok := labels[baseLanguage(lang)]; ok {
		return l
	}
	return labels["en"]
}

// SupportedLanguage is lang's base code if the window knows it, else "".
func SupportedLanguage(lang string) string {
	b := baseLanguage(lang)
	if _, ok := labels[b]; ok {
		return b
	}
	return ""
}

func baseLanguage(lang string) string {
	lang = strings.ToLower(strings.TrimSpace(lang))
	if i := strings.IndexAny(lang, "-_.@"); i >= 0 {
		lang = lang[:i]
	}
	return lang
}

// SystemLanguage is the first known language of the environment, as GTK and
// WebKit read it (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), so the menu starts
// in the language the page will pick when the user has not chosen one.
func SystemLanguage(getenv func(string) string) string {
	if getenv == nil {
		getenv = os.Getenv
	}
	for _, v := range []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"} {
		for _, part := range strings.Split(getenv(v), ":") {
			if l := SupportedLanguage(part); l != "" {
				return l
			}
		}
	}
	return "en"
}
