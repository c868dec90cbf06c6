package toolcall

import (
	"context"
	"fmt"
)

// Caller identifies who a call comes from, for the audit log and to bind confirmation tokens
// to the session that previewed.
type Caller struct {
	Client    string // the MCP client's name and version, from initialize.
	Session   string // the MCP session: the HTTP session id, or "stdio".
	Transport string // stdio or http.
}

// Confirmer asks the human behind the client to approve a change, showing message (MCP
// elicitation). The transport provides one for a call when the client declared elicitation.
type Confirmer interface {
	// Confirm returns whether the user approved; an error when they could not be asked.
	Confirm(ctx context.Context, message string) (bool, error)
}

type callerKey struct{}

type confirmerKey struct{}

// WithCaller returns ctx carrying the caller of the calls made with it.
func WithCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerFrom returns the caller in ctx (the zero Caller when none).
func CallerFrom(ctx context.Context) Caller {
	c, _ := ctx.Value(callerKey{}).(Caller)
	return c
}

// WithConfirmer returns ctx carrying the way to ask the user; a nil c leaves ctx as it is.
func WithConfirmer(ctx context.Context, c Confirmer) context.Context {
	if c == nil {
		return ctx
	}
	return context.WithValue(ctx, confirmerKey{}, c)
}

func confirmerFrom(ctx context.Context) Confirmer {
	c, _ := ctx.Value(confirmerKey{}).(Confirmer)
	return c
}

type viaKey struct{}

// WithVia returns ctx for a call that reaches the tool through another (the discovery mode's
// pfsense_call_change_tool), so that answers tell the model which tool to call again.
func WithVia(ctx context.Context, tool string) context.Context {
	return context.WithValue(ctx, viaKey{}, tool)
}

// callAgain says how to call t again: directly, or through the tool the call came by.
func callAgain(ctx context.Context, t string) string {
	if via, _ := ctx.Value(viaKey{}).(string); via != "" {
		return fmt.Sprintf("call %s again with name %s and the same arguments,", via, t)
	}
	return fmt.Sprintf("call %s again with the same arguments", t)
}
