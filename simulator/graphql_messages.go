package simulator

// graphql-php's wording of the validation and syntax errors gqlparser also finds. gqlparser
// follows graphql-js 16; graphql-php (webonyx/graphql-php v15.29.4, the version the package's
// composer.lock pins) words several rules as older graphql-js did. Each rewrite names the PHP
// rule it follows (src/Validator/Rules/*.php); messages gqlparser has and graphql-php never
// produces are dropped.

import (
	"encoding/json"
	"fmt"
	"regexp"

	"github.com/vektah/gqlparser/v2/ast"
)

var gqlValidationRewrites = []struct {
	re   *regexp.Regexp
	repl string
}{
	// KnownArgumentNames::unknownArgMessage.
	{regexp.MustCompile(`^Unknown argument "([^"]*)" on field "([_A-Za-z][_0-9A-Za-z]*)\.([_A-Za-z][_0-9A-Za-z]*)"\.`), `Unknown argument "${1}" on field "${3}" of type "${2}".`},
	// KnownDirectives::misplacedDirectiveMessage.
	{regexp.MustCompile(`^Directive "@([_A-Za-z][_0-9A-Za-z]*)" may not be used on ([A-Z_]+)\.$`), `Directive "${1}" may not be used on "${2}".`},
	// NoUndefinedVariables::undefinedVarMessage (its condition is inverted in graphql-php).
	{regexp.MustCompile(`^Variable "(\$[_A-Za-z][_0-9A-Za-z]*)" is not defined\.$`), `Variable "${1}" is not defined by operation "".`},
	{regexp.MustCompile(`^Variable "(\$[_A-Za-z][_0-9A-Za-z]*)" is not defined by operation "[^"]+"\.$`), `Variable "${1}" is not defined.`},
	// NoFragmentCycles::cycleErrorMessage: the fragments of the path are not quoted.
	{regexp.MustCompile(`^Cannot spread fragment "([^"]*)" within itself via "([^"]*)"\.$`), `Cannot spread fragment "${1}" within itself via ${2}.`},
	{regexp.MustCompile(`^Cannot spread fragment "([^"]*)" within itself via "([^"]*)", "([^"]*)"\.$`), `Cannot spread fragment "${1}" within itself via ${2}, ${3}.`},
	{regexp.MustCompile(`^Cannot spread fragment "([^"]*)" within itself via "([^"]*)", "([^"]*)", "([^"]*)"\.$`), `Cannot spread fragment "${1}" within itself via ${2}, ${3}, ${4}.`},
	// OverlappingFieldsCanBeMerged::reasonMessage: names are not quoted.
	{regexp.MustCompile(`(they return conflicting types )?"([^"]*)" and "([^"]*)"( are different fields)?`), `${1}${2} and ${3}${4}`},
	// ProvidedRequiredArguments::missingFieldArgMessage.
	{regexp.MustCompile(`^((?:Field|Directive) "[^"]*" argument "[^"]*" of type "[^"]*") is required, but it was not provided\.$`), `${1} is required but not provided.`},
	// ScalarLeafs::noSubselectionAllowedMessage, requiredSubselectionMessage.
	{regexp.MustCompile(`^Field "([^"]*)" must not have a selection since type "([^"]*)" has no subfields\.$`), `Field "${1}" of type "${2}" must not have a sub selection.`},
	{regexp.MustCompile(`^Field "([^"]*)" of type "([^"]*)" must have a selection of subfields\.(?: Did you mean "[^"]*"\?)?$`), `Field "${1}" of type "${2}" must have a sub selection.`},
	// UniqueDirectivesPerLocation, UniqueVariableNames.
	{regexp.MustCompile(`^The directive "@([^"]*)" can only be used once at this location\.$`), `The directive "${1}" can only be used once at this location.`},
	{regexp.MustCompile(`^There can be only one variable named "\$([^"]*)"\.$`), `There can be only one variable named "${1}".`},
	// ValuesOfCorrectType::requiredFieldMessage, the scalars' parseLiteral, EnumType.
	{regexp.MustCompile(`^Field "([_A-Za-z][_0-9A-Za-z]*)\.([_A-Za-z][_0-9A-Za-z]*)" of required type "([^"]*)" was not provided\.$`), `Field ${1}.${2} of required type ${3} was not provided.`},
	{regexp.MustCompile(`^Int cannot represent non 32-bit signed integer value: (.*)$`), `Int cannot represent non-integer value: ${1}`},
	{regexp.MustCompile(`^Enum "\[*([_A-Za-z][_0-9A-Za-z]*)[\]!]*" cannot represent non-enum value: (.*)$`), `Enum "${1}" cannot represent non-enum value: ${2}`},
	{regexp.MustCompile(`^Value "([^"]*)" does not exist in "\[*([_A-Za-z][_0-9A-Za-z]*)[\]!]*" enum\.(.*)$`), `Value "${1}" does not exist in "${2}" enum.${3}`},
	{regexp.MustCompile(`^Expected value of type "[\[\]!]*Int[\]!]*", found (null.+|nul[^l].*|nu[^l].*|n[^u].*|[^n].*)\.$`), `Int cannot represent non-integer value: ${1}`},
	{regexp.MustCompile(`^Expected value of type "[\[\]!]*Float[\]!]*", found (null.+|nul[^l].*|nu[^l].*|n[^u].*|[^n].*)\.$`), `Float cannot represent non numeric value: ${1}`},
	{regexp.MustCompile(`^Expected value of type "[\[\]!]*String[\]!]*", found (null.+|nul[^l].*|nu[^l].*|n[^u].*|[^n].*)\.$`), `String cannot represent a non string value: ${1}`},
	{regexp.MustCompile(`^Expected value of type "[\[\]!]*Boolean[\]!]*", found (null.+|nul[^l].*|nu[^l].*|n[^u].*|[^n].*)\.$`), `Boolean cannot represent a non boolean value: ${1}`},
	{regexp.MustCompile(`^Expected value of type "\[*([_A-Za-z][_0-9A-Za-z]*)[\]!]+", found (null.+|nul[^l].*|nu[^l].*|n[^u].*|[^n].*)\.$`), `Expected value of type "${1}", found ${2}.`},
	// ReferenceExecutor::getOperationRootType (an execution error in graphql-php).
	{regexp.MustCompile(`^Schema does not support operation type "subscription"$`), `Schema is not configured for subscriptions.`},
}

// gqlValidationDrops are gqlparser errors graphql-php never reports.
var gqlValidationDrops = []*regexp.Regexp{
	regexp.MustCompile(`^There can be only one operation named ""\.$`),
	regexp.MustCompile(` must not select an introspection top level field\.$`),
	regexp.MustCompile(`^Maximum introspection depth exceeded$`),
}

// phpValidationMessage rewrites one message (once: two rewrites swap each other's output), or
// reports that graphql-php has no such error.
func phpValidationMessage(msg string) (string, bool) {
	for _, d := range gqlValidationDrops {
		if d.MatchString(msg) {
			return "", false
		}
	}
	for _, r := range gqlValidationRewrites {
		if r.re.MatchString(msg) {
			return r.re.ReplaceAllString(msg, r.repl), true
		}
	}
	return msg, true
}

// phpSyntaxMessage is Error/SyntaxError.php's "Syntax Error: " and Parser.php's wording.
func phpSyntaxMessage(msg string) string {
	if m := regexp.MustCompile(`^expected at least one definition, found (.*)$`).FindStringSubmatch(msg); m != nil {
		return "Syntax Error: Expected Name, found " + m[1]
	}
	return "Syntax Error: " + msg
}

// phpVariableErrors is Executor/Values.php getVariableValues for what can be told from the
// operation's definitions alone: every variable is checked, and each error points at its `$`.
// A required variable not given, null for a non-null one, and a scalar of the wrong kind get
// graphql-php's messages; other coercion errors are left to gqlparser.
func phpVariableErrors(op *ast.OperationDefinition, vars map[string]any) []gqlError {
	var out []gqlError
	for _, d := range op.VariableDefinitions {
		loc := []gqlLocation{}
		if d.Position != nil {
			loc = append(loc, gqlLocation{Line: d.Position.Line, Column: d.Position.Column})
		}
		v, has := vars[d.Variable]
		t := d.Type.String()
		switch {
		case !has && d.DefaultValue == nil && d.Type.NonNull:
			out = append(out, gqlError{Message: fmt.Sprintf("Variable \"$%s\" of required type \"%s\" was not provided.", d.Variable, t), Locations: loc})
		case has && v == nil && d.Type.NonNull:
			out = append(out, gqlError{Message: fmt.Sprintf("Variable \"$%s\" of non-null type \"%s\" must not be null.", d.Variable, t), Locations: loc})
		case has && v != nil && d.Type.Elem == nil:
			if msg := phpScalarInput(d.Type.NamedType, v); msg != "" {
				out = append(out, gqlError{Message: fmt.Sprintf("Variable \"$%s\" got invalid value %s; %s", d.Variable, phpPrintSafe(v), msg), Locations: loc})
			}
		}
	}
	return out
}

// phpScalarInput is the built-in scalars' parseValue (src/Type/Definition/*Type.php): "" when
// the value is accepted.
func phpScalarInput(name string, v any) string {
	switch name {
	case "Int":
		switch x := v.(type) {
		case int64:
			if x >= -1<<31 && x < 1<<31 {
				return ""
			}
			return "Int cannot represent non 32-bit signed integer value: " + phpPrintSafe(v)
		case float64:
			if x == float64(int64(x)) && x >= -1<<31 && x < 1<<31 {
				return ""
			}
		}
		return "Int cannot represent non-integer value: " + phpPrintSafe(v)
	case "Float":
		switch v.(type) {
		case int64, float64:
			return ""
		}
		return "Float cannot represent non numeric value: " + phpPrintSafe(v)
	case "String":
		if _, ok := v.(string); ok {
			return ""
		}
		return "String cannot represent a non string value: " + phpPrintSafe(v)
	case "Boolean":
		if _, ok := v.(bool); ok {
			return ""
		}
		return "Boolean cannot represent a non boolean value: " + phpPrintSafe(v)
	}
	return ""
}

// phpPrintSafe is Utils::printSafeJson.
func phpPrintSafe(v any) string {
	switch x := v.(type) {
	case string:
		if x == "" {
			return "(empty string)"
		}
		return `"` + x + `"`
	case nil:
		return "null"
	case bool:
		if x {
			return "true"
		}
		return "false"
	case int64, float64:
		return strval(x)
	}
	b, _ := json.Marshal(v)
	return string(b)
}
