package expr

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Sentinel errors. Evaluation errors are *EvalError values that wrap one of
// these, so callers can test the kind with errors.Is.
var (
	// ErrSyntax is wrapped by every *SyntaxError.
	ErrSyntax = errors.New("expr: syntax error")
	// ErrType means the operands or arguments have types the operator or
	// function does not accept (DT_WSTR + DT_I4, UPPER of a number, ...).
	ErrType = errors.New("expr: incompatible data types")
	// ErrCast means the cast is not legal between the two types.
	ErrCast = errors.New("expr: illegal cast")
	// ErrConversion means a value could not be converted ("abc" to DT_I4).
	ErrConversion = errors.New("expr: conversion failed")
	// ErrOverflow means a result does not fit its type.
	ErrOverflow = errors.New("expr: overflow")
	// ErrDivideByZero is division or modulo by zero.
	ErrDivideByZero = errors.New("expr: division by zero")
	// ErrArgument means a function argument has a value the function rejects
	// (a negative length, an occurrence of 0, an empty delimiter, ...).
	ErrArgument = errors.New("expr: invalid argument")
	// ErrUnknownVariable means a variable or parameter does not exist.
	ErrUnknownVariable = errors.New("expr: unknown variable")
	// ErrAmbiguous means an unqualified variable name matches more than one
	// variable.
	ErrAmbiguous = errors.New("expr: ambiguous variable")
	// ErrColumn means the expression names a data flow column, which only a
	// data flow can resolve.
	ErrColumn = errors.New("expr: column references need a data flow")
	// ErrUnknownColumn means a column reference matches no input column.
	ErrUnknownColumn = errors.New("expr: unknown column")
	// ErrAmbiguousColumn means an unqualified column name matches columns
	// of more than one source.
	ErrAmbiguousColumn = errors.New("expr: ambiguous column")
	// ErrColumnSet means a list of columns given to NewColumns is not a
	// valid column environment.
	ErrColumnSet = errors.New("expr: invalid columns")
	// ErrTruncation is wrapped by every *TruncationError.
	ErrTruncation = errors.New("expr: truncation")
	// ErrNull is returned by Value.Bool and Value.Int for a NULL value.
	ErrNull = errors.New("expr: value is NULL")
	// ErrCycle means expression variables depend on each other in a cycle.
	ErrCycle = errors.New("expr: circular variable reference")
)

// Pos is a position in an expression: Line and Col are 1-based, Col counts
// characters (not bytes) from the start of the line.
type Pos struct {
	Line, Col int
}

// position converts a byte offset in src into a Pos.
func position(src string, off int) Pos {
	if off > len(src) {
		off = len(src)
	}
	line := 1 + strings.Count(src[:off], "\n")
	start := strings.LastIndexByte(src[:off], '\n') + 1
	return Pos{Line: line, Col: 1 + utf8.RuneCountInString(src[start:off])}
}

// snippet renders the line of src holding off with a caret under it. Tabs
// before the caret are kept so that the caret lines up.
func snippet(src string, off int) string {
	if off > len(src) {
		off = len(src)
	}
	start := strings.LastIndexByte(src[:off], '\n') + 1
	end := strings.IndexByte(src[off:], '\n')
	if end < 0 {
		end = len(src)
	} else {
		end += off
	}
	line := strings.TrimRight(src[start:end], "\r")
	var caret strings.Builder
	for _, r := range src[start:off] {
		if r == '\t' {
			caret.WriteByte('\t')
		} else {
			caret.WriteByte(' ')
		}
	}
	caret.WriteByte('^')
	return "\t" + line + "\n\t" + caret.String()
}

func (p Pos) String() string {
	if p.Line > 1 {
		return "line " + strconv.Itoa(p.Line) + ", column " + strconv.Itoa(p.Col)
	}
	return "column " + strconv.Itoa(p.Col)
}

// SyntaxError is an expression that does not parse: a bad token, a missing
// parenthesis, an unknown function, a literal too large for its type.
type SyntaxError struct {
	// Expr is the whole expression text.
	Expr string
	// Offset is the byte offset of the fault in Expr.
	Offset int
	Pos
	Msg string
	// Err is a more specific cause (ErrOverflow for a literal out of range),
	// or nil.
	Err error
}

// Error renders the message, the expression line and a caret under the
// column.
func (e *SyntaxError) Error() string {
	return "expr: syntax error at " + e.Pos.String() + ": " + e.Msg + "\n" + snippet(e.Expr, e.Offset)
}

// Unwrap makes errors.Is(err, ErrSyntax) true, and also matches Err.
func (e *SyntaxError) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrSyntax, e.Err}
	}
	return []error{ErrSyntax}
}

// EvalError is an expression that parsed but could not be evaluated: a type
// error found when the variables' types became known, or a run-time error
// such as an overflow or a division by zero.
type EvalError struct {
	Expr   string
	Offset int
	Pos
	// Op names the operator, function or cast at fault ("+", "SUBSTRING",
	// "(DT_I4)"), or the variable that could not be read.
	Op  string
	Err error
}

// Error renders the message, the expression line and a caret under the
// operator or function.
func (e *EvalError) Error() string {
	msg := e.Err.Error()
	return msg + " (" + e.Op + " at " + e.Pos.String() + ")\n" + snippet(e.Expr, e.Offset)
}

// Unwrap returns the cause.
func (e *EvalError) Unwrap() error { return e.Err }

// opError is an evaluation error before it knows the expression text; Eval
// turns it into an *EvalError.
type opError struct {
	off int
	op  string
	err error
}

func (e *opError) Error() string { return e.err.Error() }
func (e *opError) Unwrap() error { return e.err }

func errAt(off int, op string, err error) error { return &opError{off: off, op: op, err: err} }

// failf wraps a sentinel with a message: failf(ErrType, "%s + %s", a, b).
func failf(kind error, format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{kind}, a...)...)
}

// ConversionError is a row whose value for a column could not be computed
// or converted: an overflow, a division by zero, a string that is not a
// number, a NULL condition. A data flow handles it with the column's error
// row disposition (errorRowDisposition: fail the component, ignore the
// failure or redirect the row).
type ConversionError struct {
	// Column is the output column the value was for, or the output of a
	// Conditional Split whose condition failed.
	Column string
	// Err is the cause: an *EvalError, or an error wrapping ErrConversion,
	// ErrOverflow, ErrCast or ErrNull.
	Err error
}

// Error names the column and the cause.
func (e *ConversionError) Error() string {
	return "expr: the value for " + strconv.Quote(e.Column) + " could not be computed: " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *ConversionError) Unwrap() error { return e.Err }

// TruncationError is a value longer than the column it is stored in (a
// string of more characters, or more bytes, than the column's length). A
// data flow handles it with the column's truncation row disposition
// (truncationRowDisposition); Column.Store returns the truncated value with
// it, for a disposition that ignores the truncation.
type TruncationError struct {
	Column string
	// Spec is the column's type.
	Spec TypeSpec
	// Length is the length the value needed, in the unit of Spec.Length:
	// UTF-16 code units for DT_WSTR and DT_STR, bytes for DT_BYTES and for
	// DT_STR in code page 65001.
	Length int
}

// Error names the column and both lengths.
func (e *TruncationError) Error() string {
	return fmt.Sprintf("expr: truncation: a value of length %d does not fit %q %s", e.Length, e.Column, e.Spec)
}

// Unwrap makes errors.Is(err, ErrTruncation) true.
func (e *TruncationError) Unwrap() error { return ErrTruncation }
