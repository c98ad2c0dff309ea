// Package expr is the SSIS expression language: its lexer, parser, type
// checker and evaluator, and the conversions between the values packages
// persist and the values expressions compute.
//
// It owns everything between an expression's text and its typed result:
// variable expressions, property expressions, precedence constraint
// expressions and the Expression Task's and For Loop's assignments. It does
// not own variables (an Env supplies them, System variables included) nor
// data flow rows (a Columns environment describes them), and it does not
// know where expressions sit in a package: of the document model it uses only the data types of
// variables and parameters (dtsx.DataType: FromDataType, ConvertTo,
// TypeOfVariant). Finding a package's expressions, the scopes they are
// evaluated in and the values SSIS cached for them is the runtime's
// (runtime.Check, runtime.Evaluator).
//
//	e, err := expr.Parse(`"Package " + @[System::PackageName] + " started"`)
//	v, err := e.Eval(env)   // a typed Value: v.Type() == expr.TypeWStr
//	v, err = v.ConvertTo(dtsx.TypeString) // as assigned to a String variable
//
// # Data flow expressions
//
// A Derived Column or Conditional Split expression names input columns
// ("Identifiers (SSIS Expressions)"): Name, [Name], Source.Name,
// [Source].[Name], and in the persisted Expression property by lineage,
// #123 (formats 2 and 3) or
// #{Package\Task\Component.Outputs[Output].Columns[Name]} (format 8),
// with bracketed function names ([UPPER](#12)). Expr.Compile resolves
// them against a Columns environment once, reporting an unknown or
// ambiguous column (DTS_E_EXPREVALSTATIC_AMBIGUOUSINPUTCOLUMNNAME) at its
// position, and checks types; the Program then evaluates row after row:
//
//	cols, err := expr.NewColumns([]expr.FlowColumn{{Name: "Amount", Lineage: "12", Spec: spec}})
//	p, err := e.Compile(cols, vars)
//	v, err := p.Assign(row, out)       // Derived Column
//	ok, err := p.Condition(row, "Big") // Conditional Split
//
// Failures are typed for the component's row dispositions: a
// *ConversionError (error disposition: an overflow, a bad conversion, a
// NULL condition) or a *TruncationError (truncation disposition: a string
// longer than its output column) naming the column. Data flow types come
// from the columns' metadata (ColumnSpec, PipelineType), values of them
// from Value.Cast.
//
// # Language
//
// The grammar, the 13 precedence levels, literals, casts, three-valued NULL
// logic and the 39 functions are those of the SSIS docs (MicrosoftDocs
// sql-docs, docs/integration-services/expressions). Functions, type names,
// TRUE, FALSE and NULL are case-insensitive; variable names are
// case-sensitive. TRUE and FALSE need no surrounding spaces, although the
// literals page asks for them (the corpus has "? true: false"). An
// expression may start with "@[User::X] =", the assignment form of the
// Expression Task and the For Loop (Expr.Target).
//
// Types are checked when an expression is evaluated, because they depend on
// the variables': a type error is found before anything runs, even in a
// branch that would not be taken, as SSIS validates. The checked form is
// cached per set of variable types. &&, || and ?: evaluate only what
// decides the result.
//
// # Rules decided where the docs are silent or contradict themselves
//
// The oracle for these is the corpus of real packages: every variable with
// EvaluateAsExpression keeps the value SSDT computed when the package was
// saved, and every one the corpus can check matches (runtime.Check over the
// corpus, in the runtime's tests).
//
//   - Strings are Go strings; lengths and positions (LEN, SUBSTRING,
//     FINDSTRING, (DT_WSTR,n)) count UTF-16 code units, as SSIS does.
//     Comparison is ordinal on UTF-16 code units: case-, accent- and
//     width-sensitive, without padding ("a " != "a", "B" < "a").
//   - + concatenates strings only; "x" + 1 and "x" + GETDATE() are type
//     errors that ask for a cast (erratum A.11 #4). Inside an expression
//     DT_STR is DT_WSTR; a cast to DT_STR yields DT_STR only at the root,
//     where characters outside its code page (1252, 20127, 28591) become
//     "?". Casts to strings truncate silently, as at SSIS run time.
//   - An integer literal that does not fit the type its suffix names is a
//     syntax error (DTS_E_EXPREVALLITERALOVERFLOW); -2147483648 is a DT_I4.
//     An exponent without a suffix is DT_R8; a decimal point without one is
//     DT_NUMERIC with the written scale (5.80 is NUMERIC(3,2)).
//   - Integer overflow, in arithmetic, unary minus, ABS and conversions, is
//     an error wrapping ErrOverflow, never a wrap-around
//     (DTS_E_EXPREVALBINARYOPOVERFLOW). Division and modulo by zero are
//     errors for every numeric type. Integer division truncates toward
//     zero; % takes the sign of the dividend.
//   - Binary numeric operations use the implicit conversion chart
//     (Promote); DT_UI8 with a signed integer needs a cast. DT_NUMERIC
//     results take SQL Server's precision and scale rules (+ and -: scale
//     max(s1,s2); *: s1+s2; /: max(6, s1+p2+1)), capped at 38 digits.
//     Rounding is half away from zero everywhere (ROUND, casts to fewer
//     decimals, and casts of reals and decimals to integers:
//     (DT_I4)3.5 is 4 — not confirmed against SSIS).
//   - Casts follow the legality chart (CastLegal), except that strings cast
//     to DT_DBTIME2, DT_DBTIMESTAMP2 and DT_DBTIMESTAMPOFFSET as the cast
//     page's own examples do (erratum A.11 #5). TRUE is -1 as a signed
//     integer, 1 as an unsigned one, "True" as a string.
//   - Dates cast to strings as follows (verified on the corpus for DT_DATE,
//     DT_DBTIMESTAMP without a fraction and DT_DBDATE):
//     DT_DATE "4/2/2020 4:37:17 PM" (en-US VARIANT form; the time is left
//     out at midnight: "6/15/2013"; erratum A.11 #8),
//     DT_DBTIMESTAMP "2013-03-03 14:10:49" with ".123000000" (nine digits)
//     only when there is a fraction (GETDATE's 29 characters),
//     DT_DBDATE "yyyy-mm-dd", DT_DBTIME "hh:mm:ss", DT_DBTIME2 and
//     DT_DBTIMESTAMP2 with their scale's digits, DT_DBTIMESTAMPOFFSET
//     adding " +hh:mm", DT_FILETIME "yyyy-mm-dd hh:mm:ss:fff". Strings cast
//     to dates in ISO form or en-US ("8/6/2003 2:10:49 PM").
//   - Reals cast to strings with 16 significant digits for DT_R8 and 7 for
//     DT_R4, as the docs print them (1.988291341907488,
//     1.373382979540176E+32).
//   - A date literal compared with a date needs a cast ("7/4/2003" ==
//     GETDATE() is a type error; erratum A.11 #7), as in the date functions.
//   - TOKEN past the last token returns "" (the example), not NULL (the
//     remark) (erratum A.11 #1). Runs of delimiters count as one, as
//     strtok does. TOKENCOUNT of NULL is 0. An empty delimiter set is an
//     error.
//   - REPLACENULL(a, b) has the type of a; b is converted to it; the result
//     is NULL only when both are (erratum A.11 #2).
//   - ~ is two's complement: ~170 is -171, not the page's -170 (erratum
//     A.11 #3). LN(42) is 3.737669618283368, not the page's transposed
//     digits (erratum A.11 #6).
//   - SUBSTRING's start must be at least 1 and its length not negative
//     (DTS_E_EXPREVALFNSUBSTRINGINVALID*); a start past the end gives "".
//     FINDSTRING counts overlapping occurrences. LN and LOG of zero or less
//     and indeterminate POWERs are NULL; SQRT of a negative number and
//     POWER(0, negative) are errors.
//   - DATEPART and DATEDIFF follow T-SQL under us_english: weekday 1 is
//     Sunday, week 1 holds January 1, DATEDIFF counts boundaries crossed
//     (a week boundary is a Sunday), offsets compare in UTC. DATEADD clamps
//     the day to the month's last.
//   - GETDATE and GETUTCDATE read Env.Now once per evaluation, to the
//     millisecond, as DT_DBTIMESTAMP.
//   - String results are limited to 4 MiB (of UTF-8), so that REPLICATE
//     cannot exhaust memory.
//
// Errors are a *SyntaxError for text that does not parse and an *EvalError
// for everything else; both carry the line and column and render the
// expression line with a caret under the fault. Their causes are the
// sentinels ErrType, ErrCast, ErrConversion, ErrOverflow, ErrDivideByZero,
// ErrArgument, ErrUnknownVariable, ErrAmbiguous, ErrColumn (a column
// outside a data flow), ErrUnknownColumn and ErrAmbiguousColumn.
package expr
