// Package sendmail is the Send Mail task: its properties as SSIS persists
// them (SendMailTask:SendMailTaskData), their validation, and, as the
// executor grows, the message it builds and delivers through the package's
// SMTP connection manager. It never dials a socket itself.
package sendmail
