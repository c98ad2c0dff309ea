package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/dtsx-run/dtsx/connections"
	"github.com/dtsx-run/dtsx/connections/fence"
	"github.com/dtsx-run/dtsx/connections/smtp"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/runner"
	"github.com/dtsx-run/dtsx/runtime"
)

const smtpUsage = `usage: dtsx smtp probe (--conn 'SmtpServer=…;…' | --package FILE --connection NAME) [options]

Connects as the connection manager would (TLS, authentication), shows what
the server offers and what worked, says QUIT and sends nothing.

options:
  --conn STRING         an SMTP connection string
  --package FILE        a package (or .ispac) whose connection manager to probe
  --connection NAME     the connection manager's name or DTSID (with --package)
  --project PATH        the package's project (.dtproj, .ispac or folder)
  --credentials FILE    credentials file (YAML or JSON, keyed by connection name)
  --allowed-hosts LIST  fence: hosts, addresses and CIDRs that may be reached
                        (default: $DTSX_ALLOWED_HOSTS and $DTSX_SMTP_ALLOWED_HOSTS)
  --ca-file FILE        PEM certificates to trust besides the system's
  --json                print the result as JSON

Kerberos (UseWindowsAuthentication=True with a Kerberos credential, or
AuthMechanism=GSSAPI): a keytab (Keytab= or $KRB5_KTNAME) with UserName=
user@REALM, or the ticket cache of kinit ($KRB5CCNAME); $KRB5_CONFIG names
the krb5.conf (default /etc/krb5.conf). The service principal is
smtp/<server>; set ServicePrincipalName= when the server is named by address.
`

// probeResult is the JSON of `dtsx smtp probe --json`.
type probeResult struct {
	Connection       string   `json:"connection"`
	Server           string   `json:"server"`
	ConnectionString string   `json:"connectionString"`
	Extensions       []string `json:"extensions"`
	TLS              *tlsJSON `json:"tls"`
	Mechanism        string   `json:"mechanism,omitempty"`
	User             string   `json:"user,omitempty"`
	CredentialSource string   `json:"credentialSource,omitempty"`
	ServicePrincipal string   `json:"servicePrincipal,omitempty"`
	OK               bool     `json:"ok"`
	Error            string   `json:"error,omitempty"`
}

type tlsJSON struct {
	Version     string `json:"version"`
	CipherSuite string `json:"cipherSuite"`
	Subject     string `json:"subject"`
	Issuer      string `json:"issuer"`
	Verified    bool   `json:"verified"`
}

func cmdSMTP(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "probe" {
		fmt.Fprint(stderr, smtpUsage)
		return runner.ExitSyntax
	}
	fs := flag.NewFlagSet("dtsx smtp probe", flag.ContinueOnError)
	fs.SetOutput(stderr)
	conn := fs.String("conn", "", "connection string")
	pkgPath := fs.String("package", "", "package file")
	name := fs.String("connection", "", "connection manager name or DTSID")
	project := fs.String("project", "", "project path")
	credFile := fs.String("credentials", "", "credentials file")
	allowed := fs.String("allowed-hosts", "", "allowed hosts")
	caFile := fs.String("ca-file", "", "CA file")
	asJSON := fs.Bool("json", false, "JSON output")
	fs.Usage = func() { fmt.Fprint(stderr, smtpUsage) }
	if err := fs.Parse(args[1:]); err != nil {
		return runner.ExitSyntax
	}
	if (*conn == "") == (*pkgPath == "") || (*pkgPath != "" && *name == "") || fs.NArg() > 0 {
		fmt.Fprint(stderr, smtpUsage)
		return runner.ExitSyntax
	}

	connName, cfg, code := probeConfig(*conn, *pkgPath, *name, *project, stderr)
	if cfg == nil {
		return code
	}
	if *caFile != "" {
		cfg.CAFile = *caFile
	}
	creds, err := smtp.DefaultCredentials(nil, *credFile)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return runner.ExitSyntax
	}
	opts := smtp.Options{Credentials: creds}
	if *allowed != "" {
		if opts.Fence, err = fence.ParseFrom("--allowed-hosts", *allowed); err != nil {
			fmt.Fprintln(stderr, err)
			return runner.ExitSyntax
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	res := probeResult{Connection: connName, Server: cfg.Address(), ConnectionString: cfg.String(), Extensions: []string{}}
	s, err := smtp.Dial(ctx, connName, cfg, opts)
	if err == nil {
		res.Extensions = s.Info.Extensions
		res.Mechanism, res.User, res.CredentialSource = s.Info.Mechanism, s.Info.User, s.Info.CredentialSource
		res.ServicePrincipal = s.Info.ServicePrincipal
		if st := s.Info.TLS; st != nil {
			res.TLS = &tlsJSON{Version: tls.VersionName(st.Version), CipherSuite: tls.CipherSuiteName(st.CipherSuite),
				Verified: !cfg.TrustServerCertificate}
			if len(st.PeerCertificates) > 0 {
				res.TLS.Subject = st.PeerCertificates[0].Subject.String()
				res.TLS.Issuer = st.PeerCertificates[0].Issuer.String()
			}
		}
		err = s.Close()
	}
	res.OK = err == nil
	if err != nil {
		res.Error = err.Error()
	}
	if *asJSON {
		writeJSON(stdout, res)
	} else {
		printProbe(stdout, res)
	}
	switch {
	case err == nil:
		return runner.ExitSuccess
	case errors.Is(err, context.Canceled):
		return runner.ExitCanceled
	}
	return runner.ExitFailure
}

// probeConfig returns the connection to probe: from --conn, or the named
// SMTP connection manager of a package.
func probeConfig(conn, pkgPath, name, project string, stderr io.Writer) (string, *smtp.Config, int) {
	if conn != "" {
		cfg, err := smtp.ParseConfig(conn)
		if err != nil {
			fmt.Fprintln(stderr, "dtsx smtp probe: --conn:", err)
			return "", nil, runner.ExitSyntax
		}
		return "", cfg, runner.ExitSuccess
	}
	pkgs, pr, err := runtime.Open(pkgPath, project, dtsx.Options{Password: passwordOrEnv("")})
	if err != nil {
		fmt.Fprintln(stderr, err)
		return "", nil, runner.LoadExitCode(err)
	}
	var cms []*connections.Collection
	for _, p := range pkgs {
		rp := runtime.Build(p, runtime.Options{Project: pr})
		cms = append(cms, rp.Connections)
	}
	for _, c := range cms {
		m, err := c.Resolve(name)
		if err != nil {
			continue
		}
		sm, ok := m.(*smtp.Manager)
		if !ok {
			fmt.Fprintf(stderr, "dtsx smtp probe: connection manager %q is of type %s, not SMTP\n", m.Definition().Name, m.Definition().CreationName)
			return "", nil, runner.ExitFailure
		}
		if sm.Err() != nil {
			fmt.Fprintf(stderr, "dtsx smtp probe: connection manager %q: %v\n", sm.Def.Name, sm.Err())
			return "", nil, runner.ExitFailure
		}
		return sm.Def.Name, sm.Config, runner.ExitSuccess
	}
	fmt.Fprintf(stderr, "dtsx smtp probe: %s has no connection manager %q\n", pkgPath, name)
	return "", nil, runner.ExitFailure
}

func printProbe(w io.Writer, r probeResult) {
	label := r.Server
	if r.Connection != "" {
		label += fmt.Sprintf(" (connection manager %q)", r.Connection)
	}
	fmt.Fprintf(w, "server        %s\n", label)
	fmt.Fprintf(w, "settings      %s\n", r.ConnectionString)
	if len(r.Extensions) > 0 {
		fmt.Fprintf(w, "capabilities  %s\n", strings.Join(r.Extensions, ", "))
	}
	if r.TLS != nil {
		v := "verified"
		if !r.TLS.Verified {
			v = "NOT verified (TrustServerCertificate=True)"
		}
		fmt.Fprintf(w, "tls           %s, %s, certificate %s (issuer %s), %s\n", r.TLS.Version, r.TLS.CipherSuite, r.TLS.Subject, r.TLS.Issuer, v)
	} else if r.OK {
		fmt.Fprintln(w, "tls           none (plain text)")
	}
	switch {
	case r.Mechanism != "" && r.ServicePrincipal != "":
		fmt.Fprintf(w, "auth          %s as %s for %s (credential from %s): accepted\n", r.Mechanism, r.User, r.ServicePrincipal, r.CredentialSource)
	case r.Mechanism != "":
		fmt.Fprintf(w, "auth          %s as %s (credential from %s): accepted\n", r.Mechanism, r.User, r.CredentialSource)
	case r.OK:
		fmt.Fprintln(w, "auth          anonymous")
	}
	if r.OK {
		fmt.Fprintln(w, "result        ok: connected, nothing sent, QUIT")
	} else {
		fmt.Fprintf(w, "result        failed: %s\n", r.Error)
	}
}
