package runner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHTMLReportMasksSecrets: the HTML report of a run of a package whose
// connection string holds a password, with a sensitive parameter given on
// the command line and a variable holding a connection string, shows the
// mail, the variables and the parameter, and none of the secrets.
func TestHTMLReportMasksSecrets(t *testing.T) {
	src := strings.Replace(mustRead(t, helloMail), "<DTS:Variables>", `<DTS:PackageParameters>
    <DTS:PackageParameter DTS:CreationName="" DTS:DataType="8" DTS:DTSID="{00000000-0000-0000-0000-0000000000C2}" DTS:ObjectName="Pin" DTS:Sensitive="True">
      <DTS:Property DTS:DataType="8" DTS:Name="ParameterValue"></DTS:Property>
    </DTS:PackageParameter>
  </DTS:PackageParameters>
  <DTS:Variables>
    <DTS:Variable DTS:CreationName="" DTS:DTSID="{00000000-0000-0000-0000-0000000000C3}" DTS:Namespace="User" DTS:ObjectName="Target">
      <DTS:VariableValue DTS:DataType="8">Data Source=db;User ID=etl;Password=varsecret-1;</DTS:VariableValue>
    </DTS:Variable>`, 1)
	src = strings.Replace(src, "<DTS:ConnectionManagers>", `<DTS:ConnectionManagers>
    <DTS:ConnectionManager DTS:refId="Package.ConnectionManagers[Warehouse]" DTS:CreationName="OLEDB" DTS:DTSID="{00000000-0000-0000-0000-0000000000C4}" DTS:ObjectName="Warehouse"><DTS:ObjectData><DTS:ConnectionManager DTS:ConnectionString="Data Source=127.0.0.1;Initial Catalog=dw;Provider=SQLNCLI11.1;User ID=etl;Password=connsecret-3;" /></DTS:ObjectData></DTS:ConnectionManager>`, 1)
	pkg := writeFile(t, "secret.dtsx", src)
	dir := t.TempDir()
	html := filepath.Join(dir, "run.html")
	code, out := runJob(t, Job{File: pkg, Capture: filepath.Join(dir, "outbox"), HTML: html,
		Overrides: []Override{{Param: &Param{Name: "$Package::Pin", Value: "pinsecret-2"}}}})
	if code != ExitSuccess {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	b, err := os.ReadFile(html)
	if err != nil {
		t.Fatalf("no HTML report: %v", err)
	}
	page := string(b)
	for _, secret := range []string{"varsecret-1", "pinsecret-2", "connsecret-3"} {
		if strings.Contains(page, secret) {
			t.Errorf("the report holds the secret %q", secret)
		}
	}
	for _, want := range []string{"Hello from dtsx", "ops@example.com", "$Package::Pin", "User::Target",
		"Password=********;", `id="mails"`, "0001.eml"} {
		if !strings.Contains(page, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
}

// TestHTMLReportOnFailure: a run that fails still writes its report, the
// failed task marked so.
func TestHTMLReportOnFailure(t *testing.T) {
	html := filepath.Join(t.TempDir(), "run.html")
	code, out := runJob(t, Job{File: childLoad, HTML: html})
	if code != ExitFailure {
		t.Fatalf("exit %d, want %d:\n%s", code, ExitFailure, out)
	}
	b, err := os.ReadFile(html)
	if err != nil {
		t.Fatalf("no HTML report for a failed run: %v", err)
	}
	if !strings.Contains(string(b), `data-status="failure"`) {
		t.Errorf("no executable has data-status failure:\n%s", b)
	}
}

// TestHTMLReportDataFlow: the report of a sample data flow lists the rows
// of each of its paths.
func TestHTMLReportDataFlow(t *testing.T) {
	dir := t.TempDir()
	html := filepath.Join(dir, "run.html")
	code, out := runJob(t, Job{File: "../../samples/orders-load.dtsx", HTML: html, Capture: filepath.Join(dir, "outbox")})
	if code != ExitSuccess {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	page := mustRead(t, html)
	for _, want := range []string{`<td>Derived Column Output</td><td>Add tax</td><td>Big or small</td><td class="n">6</td>`,
		`<td>Lookup Match Output</td><td>Find region</td><td>Write orders</td><td class="n">4</td>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the report lacks the path row %s", want)
		}
	}
}

// TestProgressNotATerminal: a run given a writer that is not a terminal
// for its progress line writes nothing to it.
func TestProgressNotATerminal(t *testing.T) {
	var progress strings.Builder
	code, out := runJob(t, Job{File: helloMail, Capture: t.TempDir(), Progress: &progress})
	if code != ExitSuccess {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	if progress.Len() != 0 {
		t.Errorf("the progress line went to what is not a terminal: %q", progress.String())
	}
}
