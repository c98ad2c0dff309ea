// Package tasks owns the Task interface, the Registry that maps a persisted
// ExecutableType to the factory of its task, and the small Env interface
// through which a task reaches what the runtime holds (connections now;
// variables and events as the executor grows). Tasks never import the
// runtime: it implements Env.
//
// Each executable task lives in a sub-package (tasks/sendmail, ...); the
// builtin sub-package lists them all. Stock tasks this runtime does not
// execute yet are recognised as Generic tasks.
//
// It also owns the skeleton those tasks share: Base (the definition, the
// kind their messages name, the Problems of persisted values, setting a
// property at run time, the Validation that collects diagnostics) and
// Reader, which reads a task's payload attributes into its properties
// (ParseEnum and EnumName read and name the values SSIS persists;
// dtsx.ParseBool reads its Booleans).
package tasks
