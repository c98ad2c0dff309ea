package mdexamples

import (
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Command is one simple command an example holds.
type Command struct {
	Line int      // of the document, from 1
	Argv []string // the words, unexpanded
}

// Commands returns the simple commands of a block, read as its info string
// says: sh, bash, shell, console: shell lines; cron: the command of each
// crontab entry; ini: the Exec lines (ExecStart=, ExecStop=, …) of a
// systemd unit; yaml: the command and args of each container (sh -c
// SCRIPT is read as a script); python: every string literal, as a shell
// line. Other blocks hold no commands.
func Commands(b Block) ([]Command, error) {
	first := b.Line + 1
	switch b.Info {
	case "sh", "bash", "shell", "console":
		return simpleCommands(b.Text, first)
	case "cron":
		entries, err := Crontab(b.Text, first)
		if err != nil {
			return nil, err
		}
		var out []Command
		for _, e := range entries {
			cs, err := simpleCommands(e.Command, e.Line)
			if err != nil {
				return nil, err
			}
			out = append(out, cs...)
		}
		return out, nil
	case "ini":
		return execLines(b.Text, first)
	case "yaml", "yml":
		return yamlCommands(b.Text, first)
	case "python", "py":
		var out []Command
		for _, s := range pythonStrings(b.Text, first) {
			cs, err := simpleCommands(s.text, s.line)
			if err != nil {
				continue // a string that is not shell: not a command
			}
			out = append(out, cs...)
		}
		return out, nil
	}
	return nil, nil
}

// Program returns the arguments of c when it runs the program prog: its
// first word, after variable assignments and exec or env, is prog or an
// absolute path ending in /prog, or it is go run ./cmd/prog.
func Program(c Command, prog string) ([]string, bool) {
	argv := c.Argv
	for len(argv) > 0 {
		switch {
		case argv[0] == "exec" || argv[0] == "env":
			argv = argv[1:]
			continue
		case isAssignment(argv[0]):
			argv = argv[1:]
			continue
		}
		break
	}
	if len(argv) >= 3 && argv[0] == "go" && argv[1] == "run" && argv[2] == "./cmd/"+prog {
		return argv[3:], true
	}
	if len(argv) == 0 || path.Base(argv[0]) != prog || (argv[0] != prog && !strings.HasPrefix(argv[0], "/")) {
		return nil, false
	}
	return argv[1:], true
}

// isAssignment reports a NAME=value word.
func isAssignment(w string) bool {
	name, _, ok := strings.Cut(w, "=")
	if !ok || name == "" {
		return false
	}
	for i, r := range name {
		if !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// execLines returns the commands of a systemd unit's Exec lines, without
// systemd's prefixes (-, @, :, +, !).
func execLines(text string, first int) ([]Command, error) {
	unit, err := ParseUnit(text, first)
	if err != nil {
		return nil, err
	}
	var out []Command
	for _, s := range unit {
		for _, kv := range s.Keys {
			if !strings.HasPrefix(kv.Key, "Exec") {
				continue
			}
			cs, err := simpleCommands(strings.TrimLeft(kv.Value, "-@:+!"), kv.Line)
			if err != nil {
				return nil, err
			}
			out = append(out, cs...)
		}
	}
	return out, nil
}

// yamlCommands returns the command and args of every mapping of the YAML
// documents that has them (a container), or the commands of the script
// of sh -c SCRIPT.
func yamlCommands(text string, first int) ([]Command, error) {
	dec := yaml.NewDecoder(strings.NewReader(text))
	var out []Command
	for {
		var doc yaml.Node
		if err := dec.Decode(&doc); err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return nil, fmt.Errorf("line %d: %w", first, err)
		}
		cs, err := containerCommands(&doc, first)
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
	}
}

// containerCommands walks n for mappings with command or args.
func containerCommands(n *yaml.Node, first int) ([]Command, error) {
	var out []Command
	if n.Kind == yaml.MappingNode {
		var argv []string
		line := 0
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if (k.Value == "command" || k.Value == "args") && v.Kind == yaml.SequenceNode {
				if line == 0 {
					line = first + k.Line - 1
				}
				for _, s := range v.Content {
					argv = append(argv, s.Value)
				}
			}
		}
		if len(argv) >= 3 && (path.Base(argv[0]) == "sh" || path.Base(argv[0]) == "bash") && argv[1] == "-c" {
			cs, err := simpleCommands(argv[2], line)
			if err != nil {
				return nil, err
			}
			out = append(out, cs...)
		} else if len(argv) > 0 {
			out = append(out, Command{Line: line, Argv: argv})
		}
	}
	for _, c := range n.Content {
		cs, err := containerCommands(c, first)
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
	}
	return out, nil
}

// pyString is a Python string literal's text (escapes of quotes and
// backslashes undone) and line.
type pyString struct {
	text string
	line int
}

// pythonStrings returns the string literals of Python source: '…', "…"
// and their triple-quoted forms, with any prefix (r, f, b); comments are
// skipped.
func pythonStrings(src string, first int) []pyString {
	var out []pyString
	line := first
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\n':
			line++
		case c == '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			i--
		case c == '\'' || c == '"':
			q := string(c)
			if strings.HasPrefix(src[i:], q+q+q) {
				q = q + q + q
			}
			start, startLine := i+len(q), line
			var b strings.Builder
			j := start
			for ; j < len(src) && !strings.HasPrefix(src[j:], q); j++ {
				if src[j] == '\n' {
					line++
				}
				if src[j] == '\\' && j+1 < len(src) && strings.IndexByte("'\"\\", src[j+1]) >= 0 {
					j++
				}
				b.WriteByte(src[j])
			}
			out = append(out, pyString{text: b.String(), line: startLine})
			i = j + len(q) - 1
		}
	}
	return out
}

// Use is one command line of a document that runs a program.
type Use struct {
	Info string   // the info string of its block
	Line int      // of the document, from 1
	Args []string // after the program's name
}

// Uses returns every command line of the document's blocks that runs
// prog (as Program has it). A block whose commands do not read is an
// error naming its line.
func Uses(src, prog string) ([]Use, error) {
	var out []Use
	for _, b := range Blocks(src) {
		cs, err := Commands(b)
		if err != nil {
			return nil, fmt.Errorf("line %d: ```%s block: %w", b.Line, b.Info, err)
		}
		for _, c := range cs {
			if args, ok := Program(c, prog); ok {
				out = append(out, Use{Info: b.Info, Line: c.Line, Args: args})
			}
		}
	}
	return out, nil
}
