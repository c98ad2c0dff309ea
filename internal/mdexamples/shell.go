package mdexamples

import (
	"fmt"
	"strings"
)

// word is a shell word, or an operator when op is set.
type word struct {
	text string
	op   bool
}

// operators are the control and redirection operators a command line is
// cut at, longest first.
var operators = []string{"&&", "||", ">>", "2>&1", "2>", "&>", ";", "|", "&", ">", "<"}

// lex splits one shell line into words and operators, as POSIX sh
// quotes them: '…' keeps everything, "…" and a bare \ escape the next
// character. A # that starts a word starts a comment. $(…) and `…` are
// kept as one word, unexpanded.
func lex(line string) ([]word, error) {
	var out []word
	var cur strings.Builder
	inWord := false
	flush := func() {
		if inWord {
			out = append(out, word{text: cur.String()})
			cur.Reset()
			inWord = false
		}
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t':
			flush()
		case c == '#' && !inWord:
			return out, nil
		case c == '\'':
			j := strings.IndexByte(line[i+1:], '\'')
			if j < 0 {
				return nil, fmt.Errorf("unclosed ' in %q", line)
			}
			cur.WriteString(line[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case c == '"':
			i++
			for ; i < len(line) && line[i] != '"'; i++ {
				if line[i] == '\\' && i+1 < len(line) && strings.IndexByte("\"\\$`", line[i+1]) >= 0 {
					i++
				}
				cur.WriteByte(line[i])
			}
			if i >= len(line) {
				return nil, fmt.Errorf("unclosed \" in %q", line)
			}
			inWord = true
		case c == '\\' && i+1 < len(line):
			i++
			cur.WriteByte(line[i])
			inWord = true
		case c == '$' && strings.HasPrefix(line[i:], "$("):
			depth, j := 0, i
			for ; j < len(line); j++ {
				if line[j] == '(' {
					depth++
				} else if line[j] == ')' {
					if depth--; depth == 0 {
						break
					}
				}
			}
			if j >= len(line) {
				return nil, fmt.Errorf("unclosed $( in %q", line)
			}
			cur.WriteString(line[i : j+1])
			i = j
			inWord = true
		default:
			if op := operatorAt(line[i:]); op != "" && (op != "2>" && op != "2>&1" || !inWord) {
				flush()
				out = append(out, word{text: op, op: true})
				i += len(op) - 1
				continue
			}
			cur.WriteByte(c)
			inWord = true
		}
	}
	flush()
	return out, nil
}

// operatorAt returns the operator s starts with, or "".
func operatorAt(s string) string {
	for _, op := range operators {
		if strings.HasPrefix(s, op) {
			return op
		}
	}
	return ""
}

// Split splits a shell command line into its words, as sh would before
// expansion. An operator (;, &&, |, >, …) is an error: Split is for one
// simple command.
func Split(line string) ([]string, error) {
	ws, err := lex(line)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		if w.op {
			return nil, fmt.Errorf("%q is not a simple command: it has %s", line, w.text)
		}
		out = append(out, w.text)
	}
	return out, nil
}

// logicalLines joins the lines continued with a final backslash, keeping
// the number of each logical line's first line (from first).
func logicalLines(text string, first int) (lines []string, nums []int) {
	var cur strings.Builder
	start := -1
	for i, l := range strings.Split(text, "\n") {
		if start < 0 {
			start = first + i
		}
		if strings.HasSuffix(l, `\`) && !strings.HasSuffix(l, `\\`) {
			cur.WriteString(strings.TrimSuffix(l, `\`))
			continue
		}
		cur.WriteString(l)
		lines, nums = append(lines, cur.String()), append(nums, start)
		cur.Reset()
		start = -1
	}
	return lines, nums
}

// simpleCommands returns the simple commands of a shell script: each
// line cut at its operators, a redirection's target dropped.
func simpleCommands(script string, first int) ([]Command, error) {
	var out []Command
	lines, nums := logicalLines(script, first)
	for k, line := range lines {
		ws, err := lex(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", nums[k], err)
		}
		var cur []string
		end := func() {
			if len(cur) > 0 {
				out = append(out, Command{Line: nums[k], Argv: cur})
			}
			cur = nil
		}
		for i := 0; i < len(ws); i++ {
			w := ws[i]
			switch {
			case !w.op:
				cur = append(cur, w.text)
			case w.text == ">" || w.text == ">>" || w.text == "<" || w.text == "2>" || w.text == "&>":
				i++ // the file
			case w.text == "2>&1":
			default:
				end()
			}
		}
		end()
	}
	return out, nil
}
