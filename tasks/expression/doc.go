// Package expression is the Expression Task (SSIS 2012 and later): one
// expression, persisted as the Expression attribute of its ExpressionTask
// element, that assigns a value to a variable:
//
//	@[User::Counter] = @[User::Counter] + 1
//
// The task splits the assignment itself (ParseAssignment), evaluates the
// right side in the task's scope through tasks.RunEnv.Eval and stores the
// value with tasks.RunEnv.SetVariable, which converts it to the variable's
// type. It does not depend on the expression engine beyond its Value type.
//
// An expression that is not an assignment (real packages use
// "@[System::ContainerStartTime]" as a do-nothing placeholder) is
// evaluated and its value dropped; Validate warns about it.
package expression
