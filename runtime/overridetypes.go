package runtime

import (
	connbuiltin "github.com/dtsx-run/dtsx/connections/builtin"
	"github.com/dtsx-run/dtsx/runtime/override"
	"github.com/dtsx-run/dtsx/tasks/builtin"
)

// OverrideTypes returns the types whose properties configurations and
// /Set can change in a package built with opts: opts' registries, or the
// built-in ones where they are nil, as Build takes them.
func OverrideTypes(opts Options) override.Types {
	if opts.Connections == nil {
		opts.Connections = connbuiltin.Connections()
	}
	if opts.Tasks == nil {
		opts.Tasks = builtin.Tasks()
	}
	return override.Types{Connections: opts.Connections, Tasks: opts.Tasks}
}
