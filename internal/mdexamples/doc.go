// Package mdexamples reads the examples of the project's Markdown docs so
// that tests can check them: the fenced code blocks with their info
// strings (Blocks), the inline code spans and the table cells they sit in
// (InlineCodes), and the command lines the blocks hold (Commands): shell
// lines, crontab entries, the Exec lines of systemd units, the command and
// args of Kubernetes containers and the strings of Python code. It only
// reads text; it runs nothing.
package mdexamples
