// Package expression is the Expression Task (SSIS 2012 and later): one
// expression, persisted as the Expression attribute of its ExpressionTask
// element, that assigns a value to a variable:
//
//	@[User::Counter] = @[User::Counter] + 1
//
// The task parses the expression with the expression engine (expr.Parse,
// whose Target is the assigned variable, as for the For Loop's
// assignments), evaluates it in the task's scope through
// tasks.RunEnv.Eval, which gives an assignment's right side, and stores the
// value with tasks.RunEnv.SetVariable, which converts it to the variable's
// type. An expression that does not parse is an error at validation.
//
// An expression that is not an assignment (real packages use
// "@[System::ContainerStartTime]" as a do-nothing placeholder) is
// evaluated and its value dropped; Validate warns about it.
package expression
