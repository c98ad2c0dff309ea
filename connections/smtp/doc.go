// Package smtp is the SMTP connection manager of dtsx (CreationName
// "SMTP") and the SMTP client it sends mail with. It owns the connection
// string SSIS persists for it (SmtpServer, UseWindowsAuthentication,
// EnableSsl, Timeout) and the opt-in dtsx extension keys (Port, TlsMode,
// AuthMechanism, credentials, certificates, retries), its run-time
// properties, and the client's work: dialing, TLS, authentication, sending
// and trying again, with credentials from the connection string or from
// the sources a command hands it.
//
// Compatibility comes first: a connection string saved by SSIS means here
// what it meant on Windows. EnableSsl=True asks for STARTTLS and fails when
// the server does not offer it; the default port is 25 and the default
// timeout 100 seconds, as with .NET's SmtpClient. Every extension is opt-in,
// and a secret (Password) is never printed: String and every Problem mask it.
//
// The client follows RFC 5321 (SMTP), RFC 3207 (STARTTLS), RFC 8314
// (implicit TLS on submission ports), RFC 4954 (SMTP AUTH), RFC 2920
// (PIPELINING, when the server offers it) and RFC 6152 (BODY=8BITMIME, when
// offered). Its SASL mechanisms are NTLM as MS-SMTPNTLM describes it (for
// UseWindowsAuthentication=True), GSSAPI (RFC 4752, over Kerberos V5 as RFC
// 4121 has it; preferred by UseWindowsAuthentication=True when a Kerberos
// credential is configured), PLAIN (RFC 4616), LOGIN and XOAUTH2. It does
// not ask for SMTPUTF8 (RFC 6531). The package builds no messages
// (tasks/sendmail does) and knows nothing of tasks.
//
// A broken or hostile server can neither fill memory nor hang a run: every
// reply is read within MaxReplyLine, MaxReplyLines and MaxReplyBytes, and an
// AUTH exchange within MaxAuthChallenges, or the session fails with a
// *ProtocolError; Timeout bounds each command, each write of a message and,
// with what is left of it, the QUIT after a failure. Classify says what a
// failure means for another try, and ErrDeliveryUnknown marks one after the
// message was sent (RFC 1047).
//
// The files, by role:
//
//   - manager.go: Manager, built from the persisted definition, its
//     run-time properties (SetProperty) and Acquire, which keeps a session
//     between tasks with RetainSameConnection=True; settable.go the
//     properties SetProperty takes; retry.go: SendRetry.
//   - config.go: Config, ParseConfig, Set and the effective values;
//     keys.go the key names and the suggestion for an unknown one;
//     values.go how each key's value is read; validate.go the checks of a
//     whole Config; problems.go Problem, its stable codes
//     (smtp-unknown-key, smtp-bad-boolean, ...) and ConfigError.
//   - client.go: Options, Info and Dial; dial.go the connection, TLS,
//     EHLO and AUTH; auth.go the choice of mechanism and credential and the
//     NTLM and XOAUTH2 clients; gssapi.go the Kerberos login, with
//     gssapi_credential.go (which credential and principal), gssapi_kdc.go
//     (the KDC exchange) and gssapi_sasl.go (the GSSAPI exchange).
//   - session.go: Session, Send, Reset and Close; pipeline.go the
//     pipelined envelope; wire.go the connection go-smtp talks through;
//     limits.go and deadline.go the bounds above.
//   - errors.go: Error and its kinds, refused recipients; outcome.go
//     Classify and ErrDeliveryUnknown.
//   - credentials.go: SMTP's names of connections/credentials: Credential, the
//     CredentialSource chain (StaticCredentials, EnvCredentials,
//     CredentialsFile) and the errors of a credentials file.
//   - fence.go: the hosts a run may reach (package fence: DTSX_ALLOWED_HOSTS,
//     and DTSX_SMTP_ALLOWED_HOSTS as its alias);
//     spell.go the spelling of an option in hints.
//
// Package smtptest holds the in-process servers the tests talk to.
package smtp
