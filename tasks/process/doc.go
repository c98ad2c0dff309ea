// Package process is the Execute Process task: it runs a program with the
// properties SSIS persists in the task's ExecuteProcessData element
// (Executable, Arguments, WorkingDirectory, RequireFullFileName,
// StandardInputVariable, StandardOutputVariable, StandardErrorVariable,
// FailTaskIfReturnCodeIsNotSuccessValue, SuccessValue, TimeOut,
// TerminateAfterTimeout, WindowStyle; formats 6 and 8 omit the defaults).
//
// On Linux:
//
//   - Executable given as a Windows path (C:\Tools\x.exe) is mapped by
//     tasks.RunEnv.LocalPath and must exist there; a bare name (psftp.exe)
//     is looked up in WorkingDirectory, then in PATH. A name ending in .exe
//     is also tried without it. cmd.exe, command.com and .bat/.cmd files
//     cannot run here: Validate and Execute say so and suggest running the
//     program directly or through /bin/sh.
//   - Arguments is one string, as in SSIS; it is split into arguments by
//     the rules of CommandLineToArgvW (SplitCommandLine), which is what the
//     Windows program would have done. There is no shell: no quoting other
//     than those rules, no variables, no redirection. Paths inside Arguments
//     are passed as written, not mapped.
//   - WorkingDirectory is mapped by LocalPath and must exist.
//   - StandardInputVariable is written to standard input, which is then
//     closed; StandardOutputVariable and StandardErrorVariable receive the
//     whole output as strings when the process exits.
//   - TimeOut (seconds, 0 = none): when it expires the process and its
//     process group are killed and the task fails; with
//     TerminateProcessAfterTimeOut False the task fails and the process is
//     left running (SSIS then refuses stream variables, and so does this
//     package).
//   - The end of the run's context (cancellation, dtexec interrupted)
//     kills the process and its process group.
//   - The exit code is compared with SuccessValue when
//     FailTaskIfReturnCodeIsNotSuccessValue, and stored in the task's
//     ExecValueVariable when it has one.
//   - WindowStyle has no meaning and is ignored.
package process
