// Package capture is the embedded SMTP server of `dtsx run --capture`: it
// offers STARTTLS (a throw-away certificate) and AUTH PLAIN, LOGIN and NTLM,
// accepts any credential, and writes each delivered message to
// DIR/NNNN.eml. Every SMTP connection manager is pointed at it before
// anything is resolved, so a package's own mail servers are never looked
// up, while the real client path (TLS, authentication, DATA) runs.
//
// Capture mode is private to the run. The server listens on no port: each
// connection is an unnamed in-process socket pair handed straight to the
// SMTP client, so no other process or user can reach the server and inject
// mail that would be listed as the run's own. The directory is created
// 0700; each message is created 0600, exclusively (O_CREATE|O_EXCL, so a
// planted file or symbolic link is never opened, let alone followed) inside
// the directory opened once at start (an os.Root), and a taken number is
// skipped, never overwritten: two runs into one directory lose nothing.
package capture
