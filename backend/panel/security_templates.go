package panel

// The emails of account security (docs/spec.md §1.4), editable per language
// like every template: a sign-in from a new device or address, and an
// administrator's removal of the second factor. They join the template
// lists here, before any caller reads them (package initialisation).

const (
	// TemplateNewSignIn tells the owner of a sign-in from a new device.
	TemplateNewSignIn = "new_sign_in"
	// TemplateTwoFactorRemoved tells the owner that an administrator removed
	// the account's second factor.
	TemplateTwoFactorRemoved = "two_factor_removed"
)

func init() {
	// Before "custom", which stays last in the editor.
	names := make([]string, 0, len(TemplateNames)+2)
	for _, n := range TemplateNames {
		if n == TemplateCustom {
			names = append(names, TemplateNewSignIn, TemplateTwoFactorRemoved)
		}
		names = append(names, n)
	}
	TemplateNames = names
	TemplatePlaceholders[TemplateNewSignIn] = []string{"name", "username", "login_url", "panel_name", "device", "address", "time"}
	TemplatePlaceholders[TemplateTwoFactorRemoved] = []string{"name", "username", "login_url", "panel_name"}
	for k, v := range securityTemplates {
		defaultTemplates[k] = v
	}
}

var securityTemplates = map[string]templateText{
	"new_sign_in.en": {"New sign-in to your {{panel_name}} account",
		`<p>Hello {{name}},</p>
<p>Someone signed in to <strong>{{username}}</strong> from a device or address not used before:</p>
<ul><li>Device: {{device}}</li><li>Address: {{address}}</li><li>Time: {{time}}</li></ul>
<p>If it was you, there is nothing to do. If not, change your password at once at <a href="{{login_url}}">{{login_url}}</a>, sign out the other sessions and turn on two-factor sign-in.</p>
<p>— {{panel_name}}</p>`},
	"new_sign_in.es": {"Nuevo inicio de sesión en tu cuenta de {{panel_name}}",
		`<p>Hola {{name}}:</p>
<p>Alguien inició sesión en <strong>{{username}}</strong> desde un dispositivo o una dirección que no se había usado antes:</p>
<ul><li>Dispositivo: {{device}}</li><li>Dirección: {{address}}</li><li>Hora: {{time}}</li></ul>
<p>Si fuiste tú, no hace falta hacer nada. Si no, cambia tu contraseña de inmediato en <a href="{{login_url}}">{{login_url}}</a>, cierra las otras sesiones y activa el inicio de sesión en dos pasos.</p>
<p>— {{panel_name}}</p>`},
	"two_factor_removed.en": {"Two-factor sign-in was turned off for your {{panel_name}} account",
		`<p>Hello {{name}},</p>
<p>An administrator removed the second factor of <strong>{{username}}</strong>: from now on your password alone signs you in.</p>
<p>Turn two-factor sign-in on again from your security page at <a href="{{login_url}}">{{login_url}}</a>. If you did not ask for this, contact your administrator at once.</p>
<p>— {{panel_name}}</p>`},
	"two_factor_removed.es": {"Se desactivó el inicio de sesión en dos pasos de tu cuenta de {{panel_name}}",
		`<p>Hola {{name}}:</p>
<p>Un administrador quitó el segundo factor de <strong>{{username}}</strong>: desde ahora basta tu contraseña para iniciar sesión.</p>
<p>Vuelve a activar el inicio de sesión en dos pasos desde tu página de seguridad en <a href="{{login_url}}">{{login_url}}</a>. Si no lo pediste, avisa a tu administrador de inmediato.</p>
<p>— {{panel_name}}</p>`},
}
