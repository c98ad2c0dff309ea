// Package smtp is the SMTP connection manager of dtsx: the connection string
// SSIS persists for it (SmtpServer, UseWindowsAuthentication, EnableSsl,
// Timeout) and the opt-in dtsx extension keys (Port, TlsMode, AuthMechanism,
// credentials, certificates, retries), its run-time properties, and, in the
// files that will join this one, dialing, TLS, authentication and the
// credential sources.
//
// Compatibility comes first: a connection string saved by SSIS means here
// what it meant on Windows. EnableSsl=True asks for STARTTLS and fails when
// the server does not offer it; the default port is 25 and the default
// timeout 100 seconds, as with .NET's SmtpClient. Every extension is opt-in,
// and a secret (Password) is never printed: String and every Problem mask it.
//
// The client follows RFC 5321 (SMTP), RFC 3207 (STARTTLS), RFC 4954 (SMTP
// AUTH), RFC 8314 (implicit TLS on submission ports) and MS-SMTPNTLM (NTLM
// over SMTP, for UseWindowsAuthentication). The package builds no messages
// (tasks/sendmail does) and knows nothing of packages or tasks.
//
// A broken or hostile server can neither fill memory nor hang a run: every
// reply is read within MaxReplyLine, MaxReplyLines and MaxReplyBytes, and an
// AUTH exchange within MaxAuthChallenges, or the session fails with a
// *ProtocolError (limits.go); Timeout bounds each command, each write of a
// message and, with what is left of it, the QUIT after a failure
// (deadline.go). Classify says what a failure means for another try, and
// ErrDeliveryUnknown marks one after the message was sent (outcome.go).
//
// So far the package holds Config: ParseConfig reads a connection string and
// reports every problem it finds at once, as a *ConfigError whose Problems
// carry stable codes (smtp-unknown-key, smtp-bad-boolean, ...) for
// diagnostics.
package smtp
