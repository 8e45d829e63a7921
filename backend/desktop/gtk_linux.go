//go:build linux && desktop

package desktop

/*
#cgo linux pkg-config: gtk+-3.0
#cgo !webkit2_41 pkg-config: webkit2gtk-4.0
#cgo webkit2_41 pkg-config: webkit2gtk-4.1

#include <stdlib.h>
#include <string.h>
#include <gtk/gtk.h>
#include <webkit2/webkit2.h>

// The window's widgets are found from its toplevel: Wails v2 keeps them
// private. Everything here runs on the GTK main thread (g_idle_add).

static GtkWidget *castdesk_find(GtkWidget *w, GType type) {
	if (G_TYPE_CHECK_INSTANCE_TYPE(w, type)) return w;
	if (!GTK_IS_CONTAINER(w)) return NULL;
	GList *children = gtk_container_get_children(GTK_CONTAINER(w));
	GtkWidget *found = NULL;
	for (GList *l = children; l != NULL && found == NULL; l = l->next) {
		found = castdesk_find(GTK_WIDGET(l->data), type);
	}
	g_list_free(children);
	return found;
}

static GtkWidget *castdesk_find_in_toplevels(GType type, GtkWindow **window) {
	GList *tops = gtk_window_list_toplevels();
	GtkWidget *found = NULL;
	for (GList *l = tops; l != NULL && found == NULL; l = l->next) {
		GtkWindow *w = GTK_WINDOW(l->data);
		if (gtk_window_get_window_type(w) != GTK_WINDOW_TOPLEVEL) continue;
		found = castdesk_find(GTK_WIDGET(w), type);
		if (found != NULL && window != NULL) *window = w;
	}
	g_list_free(tops);
	return found;
}

// Relabel: entries are "label\x1eaccelerator" joined by \x1f, in the order
// Wails builds the menu (each top-level menu, then its items depth first;
// separators skipped). An accelerator ("<Control>c") is only displayed.
typedef struct { char *entries; char *cursor; } relabelArgs;

static char *castdesk_next(relabelArgs *a) {
	if (a->cursor == NULL) return NULL;
	char *start = a->cursor;
	char *end = strchr(start, '\x1f');
	if (end != NULL) { *end = 0; a->cursor = end + 1; } else { a->cursor = NULL; }
	return start;
}

static void castdesk_relabel_shell(GtkMenuShell *shell, relabelArgs *a) {
	GList *children = gtk_container_get_children(GTK_CONTAINER(shell));
	for (GList *l = children; l != NULL; l = l->next) {
		GtkWidget *item = GTK_WIDGET(l->data);
		if (GTK_IS_SEPARATOR_MENU_ITEM(item) || !GTK_IS_MENU_ITEM(item)) continue;
		char *entry = castdesk_next(a);
		if (entry == NULL) break;
		char *accel = strchr(entry, '\x1e');
		if (accel != NULL) { *accel = 0; accel++; }
		gtk_menu_item_set_label(GTK_MENU_ITEM(item), entry);
		if (accel != NULL && *accel) {
			guint key = 0; GdkModifierType mods = 0;
			gtk_accelerator_parse(accel, &key, &mods);
			GtkWidget *label = gtk_bin_get_child(GTK_BIN(item));
			if (key != 0 && GTK_IS_ACCEL_LABEL(label)) gtk_accel_label_set_accel(GTK_ACCEL_LABEL(label), key, mods);
		}
		GtkWidget *sub = gtk_menu_item_get_submenu(GTK_MENU_ITEM(item));
		if (sub != NULL && GTK_IS_MENU_SHELL(sub)) castdesk_relabel_shell(GTK_MENU_SHELL(sub), a);
	}
	g_list_free(children);
}

static gboolean castdesk_relabel_idle(gpointer data) {
	relabelArgs *a = (relabelArgs *)data;
	a->cursor = a->entries;
	GtkWidget *bar = castdesk_find_in_toplevels(GTK_TYPE_MENU_BAR, NULL);
	if (bar != NULL) castdesk_relabel_shell(GTK_MENU_SHELL(bar), a);
	free(a->entries);
	free(a);
	return G_SOURCE_REMOVE;
}

static void castdesk_relabel(char *entries) {
	relabelArgs *a = malloc(sizeof(relabelArgs));
	a->entries = entries;
	a->cursor = NULL;
	g_idle_add(castdesk_relabel_idle, a);
}

// Editing commands run by WebKit itself, as its context menu would.
static gboolean castdesk_edit_idle(gpointer data) {
	GtkWidget *view = castdesk_find_in_toplevels(WEBKIT_TYPE_WEB_VIEW, NULL);
	if (view != NULL) {
		gtk_widget_grab_focus(view);
		webkit_web_view_execute_editing_command(WEBKIT_WEB_VIEW(view), (const char *)data);
	}
	free(data);
	return G_SOURCE_REMOVE;
}

static void castdesk_edit(char *command) { g_idle_add(castdesk_edit_idle, command); }

// Raise the window (a second launch asked for it).
static gboolean castdesk_present_idle(gpointer data) {
	GtkWindow *window = NULL;
	castdesk_find_in_toplevels(WEBKIT_TYPE_WEB_VIEW, &window);
	if (window != NULL) {
		gtk_window_deiconify(window);
		gtk_window_present(window);
	}
	return G_SOURCE_REMOVE;
}

static void castdesk_present(void) { g_idle_add(castdesk_present_idle, NULL); }
*/
import "C"

import "strings"

// nativeMenuRelabel relabels the window's GTK menu bar in place (see
// relabelMenu in menu.go for why).
func nativeMenuRelabel(entries []menuEntry) bool {
	parts := make([]string, len(entries))
	for i, e := range entries {
		parts[i] = strings.NewReplacer("\x1e", " ", "\x1f", " ").Replace(e.Label) + "\x1e" + e.DisplayAccel
	}
	C.castdesk_relabel(C.CString(strings.Join(parts, "\x1f"))) // freed on the GTK thread
	return true
}

// nativeEdit runs a WebKit editing command ("Copy", "Paste", "SelectAll",
// "Undo", ...) in the page.
func nativeEdit(command string) bool {
	C.castdesk_edit(C.CString(command))
	return true
}

// nativePresent raises and focuses the window.
func nativePresent() bool {
	C.castdesk_present()
	return true
}
