// Package smtptest provides an in-process SMTP server for tests, in the way
// net/http/httptest provides HTTP servers.
//
// NewServer starts a server on 127.0.0.1:0 built on github.com/emersion/go-smtp
// and stops it when the test ends. The server:
//
//   - speaks plain SMTP, STARTTLS (RFC 3207) or implicit TLS (RFC 8314) with a
//     throw-away ECDSA P-256 certificate that CertPool and CertPEM expose;
//   - authenticates (RFC 4954) with PLAIN (RFC 4616), LOGIN
//     (draft-murchison-sasl-login), XOAUTH2 (Google's SASL profile, with the
//     JSON error challenge Gmail sends) and NTLM (MS-SMTPNTLM over MS-NLMP),
//     where the NTLMv2 response is really verified against the password;
//   - injects faults: another reply code at each stage of a session, a dropped
//     connection, a stall, a block (no reading either), a flood of reply
//     lines or one endless line, endless AUTH challenges (see Fault), and
//     per-recipient rejections; Stalled tells a test when a stall began;
//   - records delivered messages, authentication attempts and a transcript of
//     the commands the clients sent, with every secret redacted.
//
// # How a connection is served
//
// go-smtp serves each connection through a wrapper that sits between the TCP
// connection and go-smtp. The wrapper terminates TLS itself (from the first
// byte for Implicit, on the STARTTLS command for StartTLS), so it always sees
// the plaintext command stream, before and after STARTTLS. It hands go-smtp
// one command line at a time, which lets it log the line, answer it instead of
// go-smtp (faults, STARTTLS, the Exchange-style bare NTLM reply) or stop
// answering. Because go-smtp never sees a *tls.Conn, the server enforces the
// "no AUTH before TLS" rule itself: see Options.AllowInsecureAuth.
//
// # Transcript
//
// Transcript returns one entry per event, in order, across connections:
//
//   - "<connect>" when a connection is accepted;
//   - "<tls>" when a TLS handshake completes (at once for Implicit, after the
//     220 reply to STARTTLS for StartTLS);
//   - each command line as the client sent it, without the CRLF, when the
//     server reads it (before any reply to it), except that the arguments
//     after the mechanism of AUTH are replaced by "<redacted>"
//     ("AUTH PLAIN <redacted>");
//   - "<redacted>" for each SASL continuation line (the client's answer to a
//     334 reply, including the line that follows "334 NTLM supported");
//   - "<close>" when the connection is closed, by either side.
//
// Message bodies (after DATA, and BDAT chunks) are not logged, so passwords
// and tokens never appear and the transcript is safe to print.
//
// # NTLM user names
//
// The NTLM AUTHENTICATE message carries a user and a domain. The server looks
// up the password in Options.Users under "DOMAIN\user" with the domain exactly
// as the client sent it, then under "user" alone; a UPN such as
// "user@example.test" arrives with an empty domain and is looked up as is.
// Cyrus SASL stores NTLM domains upper-cased, so a client that sends "corp"
// does not match a "CORP\bob" entry: the domain part of a key is compared
// case-sensitively here too, and tests should write keys the way Cyrus would.
package smtptest
