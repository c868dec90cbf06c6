package pfclient

import (
	"fmt"
	"strings"
)

// APIError: the firewall answered, with an error.
type APIError struct {
	Method, Path string
	HTTPStatus   int
	ResponseID   string // e.g. MODEL_OBJECT_NOT_FOUND; "" when the answer was not a REST API envelope.
	Message      string
	RetryAfter   string // the Retry-After header, when the firewall sent one.
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "pfSense answered HTTP %d", e.HTTPStatus)
	if e.ResponseID != "" {
		b.WriteString(" " + e.ResponseID)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.RetryAfter != "" {
		b.WriteString(" (retry after " + e.RetryAfter + " s)")
	}
	fmt.Fprintf(&b, " [%s %s]", e.Method, e.Path)
	return b.String()
}

// BlockedError: the request has a dangerous effect the configuration does not allow; it was
// not sent.
type BlockedError struct {
	Method, Path, Reason string
	Class                string // the risk class (code_execution, lockout, ...).
	Conditional          bool   // refused for the arguments given, not for the operation itself.
}

func (e *BlockedError) Error() string {
	what := "a dangerous operation"
	if e.Conditional {
		what = "these arguments have a dangerous effect"
	}
	return fmt.Sprintf("refused %s %s, %s (%s): %s Set PFSENSE_ALLOW_DANGEROUS=true to allow dangerous effects", e.Method, e.Path, what, strings.ReplaceAll(e.Class, "_", " "), e.Reason)
}

// CredentialsError: the endpoint needs BasicAuth and none is configured.
type CredentialsError struct {
	Method, Path string
}

func (e *CredentialsError) Error() string {
	return fmt.Sprintf("%s %s accepts only BasicAuth: set PFSENSE_USERNAME and PFSENSE_PASSWORD (API keys are refused by this endpoint)", e.Method, e.Path)
}

// ConnectionError: no answer from the firewall (network, TLS, timeout).
type ConnectionError struct {
	Method, Path, Host string
	TLS, Timeout       bool
	Err                error
}

func (e *ConnectionError) Error() string {
	what := "could not reach"
	if e.Timeout {
		what = "timed out talking to"
	}
	return fmt.Sprintf("%s the firewall at %s (%s %s): %v", what, e.Host, e.Method, e.Path, e.Err)
}

func (e *ConnectionError) Unwrap() error { return e.Err }
