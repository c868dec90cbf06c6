// Package prompt holds the tester prompt: the rules every AI consumer follows and the report
// format the bank tester parses (tester.md).
package prompt

import _ "embed"

// Tester is the system prompt appended for every task.
//
//go:embed tester.md
var Tester string
