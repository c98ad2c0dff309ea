package builtin

import "testing"

// TestAliases: formats 2, 3 and 6 persist assembly-qualified type names of
// every version; format 8 the short moniker. Each must find the same entry.
func TestAliases(t *testing.T) {
	r := Tasks()
	tests := map[string]string{
		"Microsoft.SendMailTask": "Microsoft.SendMailTask",
		"Microsoft.SqlServer.Dts.Tasks.SendMailTask.SendMailTask, Microsoft.SqlServer.SendMailTask, Version=9.0.242.0, Culture=neutral, PublicKeyToken=89845dcd8080cc91": "Microsoft.SendMailTask",
		"Microsoft.SqlServer.Dts.Tasks.SendMailTask.SendMailTask, Microsoft.SqlServer.SendMailTask, Version=10.0.0.0, Culture=neutral, PublicKeyToken=89845dcd8080cc91":  "Microsoft.SendMailTask",
		"Microsoft.SqlServer.Dts.Tasks.SendMailTask.SendMailTask, Microsoft.SqlServer.SendMailTask, Version=11.0.0.0, Culture=neutral, PublicKeyToken=89845dcd8080cc91":  "Microsoft.SendMailTask",
		"STOCK:SendMailTask":                     "Microsoft.SendMailTask",
		"SSIS.Pipeline.3":                        "Microsoft.Pipeline",
		"DTS.Pipeline.1":                         "Microsoft.Pipeline",
		"{5918251B-2970-45A4-AB5F-01C3C588FE5A}": "Microsoft.Pipeline",
		"{E3CFBEA8-1F48-40D8-91E1-2DEDC1EDDD56}": "Microsoft.Pipeline",
		"stock:sequence":                         "STOCK:SEQUENCE",
		"SSIS.ExecutePackageTask.2":              "Microsoft.ExecutePackageTask",
		"Microsoft.SqlServer.Dts.Tasks.ExecuteSQLTask.ExecuteSQLTask, Microsoft.SqlServer.SQLTask, Version=9.0.242.0, Culture=neutral, PublicKeyToken=89845dcd8080cc91": "Microsoft.ExecuteSQLTask",
	}
	for in, want := range tests {
		if got, err := r.Canonical(in); err != nil || got != want {
			t.Errorf("Canonical(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, unknown := range []string{"Microsoft.SendMailTask2", "KingswaySoft.SmtpTask", "SendMailTask"} {
		if got, err := r.Canonical(unknown); err == nil {
			t.Errorf("Canonical(%q) = %q, want an unknown-type error", unknown, got)
		}
	}
}
