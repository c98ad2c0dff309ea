package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/dtsx-run/dtsx/connections"
	"github.com/dtsx-run/dtsx/connections/fence"
	"github.com/dtsx-run/dtsx/connections/smtp"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/runner"
	"github.com/dtsx-run/dtsx/runtime"
)

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

// smtpProbeFlags are dtsx smtp probe's flags.
type smtpProbeFlags struct {
	conn, pkgPath, name, project, credFile, allowed, caFile string
	json                                                    bool
}

// newSMTPCmd is dtsx smtp, the parent of probe.
func newSMTPCmd() *cobra.Command {
	return parentCmd("smtp COMMAND", "SMTP connection managers: probe", newSMTPProbeCmd())
}

// newSMTPProbeCmd is dtsx smtp probe: connect as a connection manager
// would, send nothing.
func newSMTPProbeCmd() *cobra.Command {
	var f smtpProbeFlags
	cmd := &cobra.Command{
		Use:   "probe (--conn 'SmtpServer=…;…' | --package FILE --connection NAME) [flags]",
		Short: "connect as the SMTP connection manager would (TLS, authentication); send nothing",
		Long: `Connects as the connection manager would (TLS, authentication), shows what
the server offers and what worked, says QUIT and sends nothing.

Kerberos (UseWindowsAuthentication=True with a Kerberos credential, or
AuthMechanism=GSSAPI): a keytab (Keytab= or $KRB5_KTNAME) with UserName=
user@REALM, or the ticket cache of kinit ($KRB5CCNAME); $KRB5_CONFIG names
the krb5.conf (default /etc/krb5.conf). The service principal is
smtp/<server>; set ServicePrincipalName= when the server is named by address.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch {
			case (f.conn == "") == (f.pkgPath == ""):
				return errors.New("give either --conn or --package with --connection")
			case f.pkgPath != "" && f.name == "":
				return errors.New("--package needs --connection NAME")
			}
			return exit(smtpProbe(f, cmd.OutOrStdout(), cmd.ErrOrStderr()))
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&f.conn, "conn", "", "an SMTP connection `STRING`")
	fs.StringVar(&f.pkgPath, "package", "", "a package (or .ispac) `FILE` whose connection manager to probe")
	fs.StringVar(&f.name, "connection", "", "the connection manager's `NAME` or DTSID (with --package)")
	projectFlag(fs, &f.project)
	fs.StringVar(&f.credFile, "credentials", "", "credentials `FILE` (YAML or JSON, keyed by connection name)")
	fs.StringVar(&f.allowed, "allowed-hosts", "", "fence: the `LIST` of hosts, addresses and CIDRs that may be reached (default: $DTSX_ALLOWED_HOSTS and $DTSX_SMTP_ALLOWED_HOSTS)")
	fs.StringVar(&f.caFile, "ca-file", "", "PEM certificates `FILE` to trust besides the system's")
	fs.BoolVar(&f.json, "json", false, "print the result as JSON")
	return cmd
}

// smtpProbe probes the connection of the flags: exit 0 when it worked, 1
// when it did not, 3 when cancelled.
func smtpProbe(f smtpProbeFlags, stdout, stderr io.Writer) int {
	connName, cfg, code := probeConfig(f.conn, f.pkgPath, f.name, f.project, stderr)
	if cfg == nil {
		return code
	}
	if f.caFile != "" {
		cfg.CAFile = f.caFile
	}
	creds, err := smtp.DefaultCredentials(nil, f.credFile)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return runner.ExitSyntax
	}
	opts := smtp.Options{Credentials: creds}
	if f.allowed != "" {
		if opts.Fence, err = fence.ParseFrom("--allowed-hosts", f.allowed); err != nil {
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
	if f.json {
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
