package simulator

import (
	"fmt"
	"strconv"
	"strings"
)

// The command prompt runs nothing: it reads a command line the way FreeBSD's /bin/sh does and
// answers a few read-only commands from the simulated state. What the caller sees follows the
// package: Core/Command.inc (v2.7.1) runs PHP's exec("<command> 2>&1"), so
//   - the redirect applies to the last simple command only: an earlier command's error message
//     goes to php-fpm's stderr and is lost;
//   - output is exec's array of lines joined with PHP_EOL: no trailing newline, and each line
//     loses its trailing whitespace;
//   - result_code is the exit status of the last command run (127 for an unknown one, with
//     sh's "sh: <name>: not found").

// shellWord is one word of a simple command; quoted words are never operators.
type shellWord struct {
	text   string
	quoted bool
}

// shellTokens splits a command line into words and the operators ; && || |, honouring single
// quotes, double quotes (with \" \\ \$ \` escapes) and backslashes. An unterminated quote is
// sh's syntax error.
func shellTokens(line string) ([]shellWord, error) {
	var out []shellWord
	var cur strings.Builder
	inWord, quoted := false, false
	flush := func() {
		if inWord {
			out = append(out, shellWord{text: cur.String(), quoted: quoted})
		}
		cur.Reset()
		inWord, quoted = false, false
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '\'':
			j := strings.IndexByte(line[i+1:], '\'')
			if j < 0 {
				return nil, fmt.Errorf("Syntax error: Unterminated quoted string")
			}
			cur.WriteString(line[i+1 : i+1+j])
			inWord, quoted = true, true
			i += j + 1
		case c == '"':
			i++
			for ; i < len(line) && line[i] != '"'; i++ {
				if line[i] == '\\' && i+1 < len(line) && strings.IndexByte("\"\\$`", line[i+1]) >= 0 {
					i++
				}
				cur.WriteByte(line[i])
			}
			if i >= len(line) {
				return nil, fmt.Errorf("Syntax error: Unterminated quoted string")
			}
			inWord, quoted = true, true
		case c == '\\' && i+1 < len(line):
			i++
			cur.WriteByte(line[i])
			inWord, quoted = true, true
		case c == ' ' || c == '\t' || c == '\n':
			flush()
		case c == '&' && strings.HasSuffix(cur.String(), ">"):
			cur.WriteByte(c) // 2>&1 is a redirect, not a background job
		case c == ';' || c == '|' || c == '&':
			flush()
			op := string(c)
			if (c == '|' || c == '&') && i+1 < len(line) && line[i+1] == c {
				op += string(c)
				i++
			}
			if op == "&" {
				// A background job: the simulator runs nothing, so it is a separator here.
				op = ";"
			}
			out = append(out, shellWord{text: op})
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	flush()
	return out, nil
}

func isShellOp(w shellWord) bool {
	return !w.quoted && (w.text == ";" || w.text == "&&" || w.text == "||" || w.text == "|")
}

// shellRun runs a command line and returns what PHP's exec would hand back.
func (sim *Simulator) shellRun(line string) (string, int64) {
	toks, err := shellTokens(line + " 2>&1")
	if err != nil {
		return "sh: " + err.Error(), 2
	}
	// Split into simple commands with the operator that follows each.
	type simple struct {
		words []string
		next  string
	}
	var cmds []simple
	var words []string
	for _, t := range toks {
		if isShellOp(t) {
			if len(words) == 0 {
				return fmt.Sprintf("sh: Syntax error: %q unexpected", t.text), 2
			}
			cmds = append(cmds, simple{words: words, next: t.text})
			words = nil
			continue
		}
		words = append(words, t.text)
	}
	if len(words) > 0 {
		cmds = append(cmds, simple{words: words})
	}

	var stdout strings.Builder
	status := int64(0)
	var pipeIn string
	skip := false
	for i, c := range cmds {
		if skip {
			skip = false
		} else {
			last := i == len(cmds)-1
			args, toNull, errToOut := shellRedirects(c.words)
			out, errText, st := sim.shellCommand(args, pipeIn)
			if !errToOut || !last {
				errText = "" // stderr not redirected: PHP's exec never sees it
			}
			text := out + errText
			if toNull {
				text = errText
			}
			if c.next == "|" {
				pipeIn = text
			} else {
				stdout.WriteString(text)
				pipeIn = ""
			}
			status = st
			if args != nil && args[0] == "exit" {
				break
			}
		}
		switch c.next {
		case "&&":
			skip = status != 0
		case "||":
			skip = status == 0
		}
	}
	return execLines(stdout.String()), status
}

// shellRedirects strips the redirections the emulation understands: 2>&1 (which Command.inc
// appends), >/dev/null and 2>/dev/null, with or without a space before the target.
func shellRedirects(words []string) (args []string, stdoutToNull, stderrToStdout bool) {
	for i := 0; i < len(words); i++ {
		w := words[i]
		if (w == ">" || w == "1>" || w == "2>") && i+1 < len(words) {
			w += words[i+1]
			i++
		}
		switch w {
		case "2>&1":
			stderrToStdout = true
		case ">/dev/null", "1>/dev/null":
			stdoutToNull = true
		case "2>/dev/null":
			stderrToStdout = false
		default:
			args = append(args, w)
		}
	}
	return args, stdoutToNull, stderrToStdout
}

// execLines is PHP's exec output joined with PHP_EOL: lines without trailing whitespace and no
// final newline.
func execLines(s string) string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return ""
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r\v\f")
	}
	return strings.Join(lines, "\n")
}

// shellCommand runs one simple command: stdout, stderr and the exit status.
func (sim *Simulator) shellCommand(args []string, stdin string) (string, string, int64) {
	if len(args) == 0 {
		return "", "", 0
	}
	host, _ := sim.st.Singles["SystemHostname"]["hostname"].(string)
	domain, _ := sim.st.Singles["SystemHostname"]["domain"].(string)
	fqdn := host + "." + domain
	switch args[0] {
	case "true", ":":
		return "", "", 0
	case "false":
		return "", "", 1
	case "exit":
		code := int64(0)
		if len(args) > 1 {
			n, err := strconv.ParseInt(args[1], 10, 64)
			if err != nil {
				return "", "sh: exit: Illegal number: " + args[1] + "\n", 2
			}
			code = n & 0xff
		}
		return "", "", code
	case "echo":
		rest, nl := args[1:], "\n"
		if len(rest) > 0 && rest[0] == "-n" {
			rest, nl = rest[1:], ""
		}
		return strings.Join(rest, " ") + nl, "", 0
	case "hostname":
		return fqdn + "\n", "", 0
	case "whoami":
		return "root\n", "", 0
	case "id":
		return "uid=0(root) gid=0(wheel) groups=0(wheel),5(operator)\n", "", 0
	case "uname":
		return unameOutput(args[1:], fqdn)
	case "uptime":
		return " " + sim.opts.Now().Format("3:04PM") + "  up 3 days,  4:12, 0 users, load averages: 0.12, 0.09, 0.08\n", "", 0
	case "date":
		return sim.opts.Now().UTC().Format("Mon Jan _2 15:04:05 MST 2006") + "\n", "", 0
	case "cat":
		var out, errs strings.Builder
		st := int64(0)
		if len(args) == 1 {
			return stdin, "", 0
		}
		for _, f := range args[1:] {
			if text, ok := sim.shellFile(f); ok {
				out.WriteString(text)
			} else {
				errs.WriteString("cat: " + f + ": No such file or directory\n")
				st = 1
			}
		}
		return out.String(), errs.String(), st
	case "wc":
		if len(args) == 2 && args[1] == "-l" {
			return fmt.Sprintf("%8d\n", strings.Count(stdin, "\n")), "", 0
		}
	case "head":
		n := 10
		if len(args) == 3 && args[1] == "-n" {
			n, _ = strconv.Atoi(args[2])
		}
		lines := strings.SplitAfter(stdin, "\n")
		if len(lines) > n {
			lines = lines[:n]
		}
		return strings.Join(lines, ""), "", 0
	}
	return "", "sh: " + args[0] + ": not found\n", 127
}

// shellFiles are the fixed files cat can read: what a pfSense CE 2.8.1 install holds (files.go
// adds those pfSense writes from its configuration).
var shellFiles = map[string]string{
	"/etc/version":           "2.8.1-RELEASE\n",
	"/etc/version.patch":     "0\n",
	"/etc/version.buildtime": "Wed Aug 27 14:52:23 UTC 2025\n",
	"/etc/platform":          "pfSense\n",
}

func unameOutput(flags []string, fqdn string) (string, string, int64) {
	const sys, rel, mach = "FreeBSD", "15.0-CURRENT", "amd64"
	if len(flags) == 0 {
		return sys + "\n", "", 0
	}
	var parts []string
	for _, f := range flags {
		if !strings.HasPrefix(f, "-") || len(f) < 2 {
			return "", "usage: uname [-abiKmnoprsUv]\n", 1
		}
		for _, c := range f[1:] {
			switch c {
			case 'a':
				parts = append(parts, sys, fqdn, rel, sys+" "+rel+" "+mach, mach)
			case 's', 'o':
				parts = append(parts, sys)
			case 'n':
				parts = append(parts, fqdn)
			case 'r':
				parts = append(parts, rel)
			case 'm', 'p':
				parts = append(parts, mach)
			default:
				return "", "uname: illegal option -- " + string(c) + "\nusage: uname [-abiKmnoprsUv]\n", 1
			}
		}
	}
	return strings.Join(parts, " ") + "\n", "", 0
}
