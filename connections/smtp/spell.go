package smtp

import "fmt"

// option formats a hint's clause recommending a dtsx option, in the running
// command's spelling (Options.Spell); "" when the command has no such
// option.
func (o Options) option(format, dtsxOption string) string {
	opt := dtsxOption
	if o.Spell != nil {
		opt = o.Spell(dtsxOption)
	}
	if opt == "" {
		return ""
	}
	return fmt.Sprintf(format, opt)
}
