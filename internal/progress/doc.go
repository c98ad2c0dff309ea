// Package progress draws the live progress line of a run on a terminal:
// the executables done of the total, the one running, the mails sent and
// the rows moved, redrawn in place with a carriage return at most ten
// times a second and cleared at the end. It draws nothing on a writer that
// is not a terminal (Terminal), so pipes, files and logs never see it.
package progress
