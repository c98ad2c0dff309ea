package smtp

import (
	"github.com/dtsx-run/dtsx/connections/connstr"
	"github.com/dtsx-run/dtsx/dtsx"
)

// booleanKeys are the connection string keys whose values are booleans.
var booleanKeys = map[string]bool{
	KeyUseWindowsAuthentication: true, KeyEnableSsl: true, KeyTrustServerCertificate: true,
	KeyAllowInsecureAuth: true, KeyRetainSameConnection: true,
}

// Properties describes the connection string keys SetProperty takes, in
// the order String writes them: the four of SSIS, then the dtsx
// extensions. Each value is checked as Config.Set checks it.
func (m *Manager) Properties() []dtsx.Property {
	keys := allKeys()
	props := make([]dtsx.Property, len(keys))
	for i, k := range keys {
		props[i] = dtsx.Property{Name: k, Key: true, Boolean: booleanKeys[k], Sensitive: connstr.IsSensitiveKey(k),
			Type: "SMTP " + k, Check: func(value string) error { return (&Config{}).Set(k, value) }}
	}
	return props
}
