package process_test

import (
	"testing"

	"github.com/dtsx-run/dtsx/tasks/process"
)

func TestMaskArguments(t *testing.T) {
	tests := []struct{ in, want string }{
		{`-pw S3cret user@host`, `-pw ******** user@host`},
		{`-S db -U sa -P S3cret -Q "select 1"`, `-S db -U sa -P ******** -Q "select 1"`},
		{`-p 2222 host`, `-p 2222 host`},
		{`"Server=x;Password=S3cret;Db=y"`, `Server=x;Password=********;Db=y`},
		{`--password=S3cret`, `--password=********`},
		{`e -y archive.zip`, `e -y archive.zip`},
	}
	for _, tt := range tests {
		got := process.JoinCommandLine(process.MaskArguments(process.SplitCommandLine(tt.in)))
		if got != tt.want {
			t.Errorf("MaskArguments(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
