package mcpserver

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/pfsense-mcp/pfsense-mcp/server/toolcall"
)

// Start-up with all 677 tools is dominated by JSON work inside mcp-go: registering a tool
// re-parses its schema, and every tools/list re-marshals and re-compacts 1.5 MB of schemas.
// Tools change at most when the firewall's facts arrive (Server.Refresh renders a new listing),
// so the stdio transport
//   - registers the tools with mcp-go in the background while the handshake is answered,
//   - renders the tools/list result once, on all cores, byte for byte as mcp-go would, and
//   - answers tools/list from that rendering; every other request waits for registration.

// listing is the pre-rendered tools/list result.
type listing struct {
	tools []server.ServerTool
	once  sync.Once
	json  []byte
}

// result returns {"tools":[...]} exactly as mcp-go marshals a ListToolsResult without a cursor.
func (l *listing) result() []byte {
	l.once.Do(func() {
		parts := make([][]byte, len(l.tools))
		var wg sync.WaitGroup
		workers := runtime.GOMAXPROCS(0)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < len(l.tools); i += workers {
					b, err := renderTool(l.tools[i].Tool)
					if err != nil {
						panic("mcpserver: marshal tool " + l.tools[i].Tool.Name + ": " + err.Error())
					}
					parts[i] = b
				}
			}()
		}
		wg.Wait()
		var buf bytes.Buffer
		buf.WriteString(`{"tools":[`)
		buf.Write(bytes.Join(parts, []byte{','}))
		buf.WriteString(`]}`)
		l.json = buf.Bytes()
	})
	return l.json
}

// callUnlisted answers a call of a tool that is not listed through the dispatcher, as every
// call: a hidden or unknown tool gets the inventory's explanation (hidden because writes are
// off, a module is not enabled, ... or the closest names) as a tool error the model can act on,
// and the attempt is audited; mcp-go would only say "tool not found". Both transports use it.
// It returns nil for a listed tool.
func (s *Server) callUnlisted(ctx context.Context, id json.RawMessage, params map[string]json.RawMessage) []byte {
	var name string
	if json.Unmarshal(params["name"], &name) != nil {
		// No name, or not a string: a malformed request, answered (a client waits for it).
		return rpcError(id, codeInvalidParams, noToolNameMsg)
	}
	if s.surface.Load().listed[name] {
		return nil
	}
	var args map[string]any
	if raw := params["arguments"]; len(raw) > 0 && string(raw) != "null" {
		if err := json.Unmarshal(raw, &args); err != nil {
			return rpcResult(id, mcp.NewToolResultError(fmt.Sprintf("Invalid arguments for %s: they must be a JSON object", name)))
		}
	}
	r := s.d.Call(ctx, name, args)
	if r.IsError {
		return rpcResult(id, mcp.NewToolResultError(r.Text))
	}
	return rpcResult(id, mcp.NewToolResultText(r.Text))
}

func rpcResult(id json.RawMessage, result any) []byte {
	resp, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "result": result})
	if err != nil {
		return nil
	}
	return append(resp, '\n')
}

// rpcError is a JSON-RPC error answer (one line).
func rpcError(id json.RawMessage, code int, msg string) []byte {
	if len(id) == 0 {
		id = json.RawMessage("null")
	}
	resp, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "error": map[string]any{"code": code, "message": msg}})
	return append(resp, '\n')
}

// JSON-RPC error codes and the messages both transports answer with.
const (
	codeInvalidRequest = -32600
	codeMethodNotFound = -32601
	codeInvalidParams  = -32602

	noToolNameMsg = "tools/call needs params.name, the name of a tool as a string (tools/list shows them), and params.arguments, an object"

	notInitializedMsg = "the session is not initialized: send initialize first (MCP lifecycle); nothing else is served before it"
	statelessMsg      = "this server speaks the MCP revisions that start with initialize (up to " + mcp.LATEST_LEGACY_PROTOCOL_VERSION + "): " +
		"every session begins with an initialize handshake, so the stateless revision (2026-07-28, server/discover) is not served"
)

// stateless reports whether a message belongs to the stateless protocol revision: server/discover,
// or a request that carries its protocol version in _meta.
func stateless(method string, params map[string]json.RawMessage) bool {
	if method == string(mcp.MethodServerDiscover) {
		return true
	}
	var meta map[string]json.RawMessage
	if json.Unmarshal(params["_meta"], &meta) != nil {
		return false
	}
	var v string
	return json.Unmarshal(meta[mcp.MetaKeyProtocolVersion], &v) == nil && mcp.IsModernProtocol(v)
}

// renderTool writes a tool as mcp-go's Tool.MarshalJSON does (a map, so keys sorted; strings
// and the schema HTML-escaped like encoding/json), without building the map and compacting the
// schema again: the schemas are compact already. Tools using fields rendered here are not
// handled by this fast path and go to mcp-go. A test compares the result with mcp-go's on every
// tool of the real table.
func renderTool(t mcp.Tool) ([]byte, error) {
	if t.RawInputSchema == nil || t.Title != "" || t.RawOutputSchema != nil || t.OutputSchema.Type != "" ||
		t.DeferLoading || t.Meta != nil || t.Icons != nil || t.Execution != nil {
		return t.MarshalJSON()
	}
	ann, err := json.Marshal(t.Annotations)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.Grow(len(t.RawInputSchema) + len(t.Description) + len(ann) + 96)
	b.WriteString(`{"annotations":`)
	b.Write(ann)
	if t.Description != "" {
		b.WriteString(`,"description":`)
		writeString(&b, t.Description)
	}
	b.WriteString(`,"inputSchema":`)
	json.HTMLEscape(&b, t.RawInputSchema)
	b.WriteString(`,"name":`)
	writeString(&b, t.Name)
	b.WriteByte('}')
	return b.Bytes(), nil
}

func writeString(b *bytes.Buffer, s string) {
	enc, _ := json.Marshal(s) // a string always encodes
	b.Write(enc)
}

// handshake methods are answered before registration completes: they need no tools.
var handshake = map[string]bool{"initialize": true, "notifications/initialized": true, "ping": true}

// lockedWriter makes each Write atomic: mcp-go writes one whole line per Write. It passes
// mcp-go's notifications/tools/list_changed only as many times as Refresh caused one (announced):
// mcp-go also sends one when the tools are registered in the background at start, which changes
// nothing a client has seen. Notifications keep their order, so whichever passes comes after
// the listing changed.
type lockedWriter struct {
	mu        sync.Mutex
	w         io.Writer
	announced func() bool
}

var listChanged = []byte(`"method":"` + mcp.MethodNotificationToolsListChanged + `"`)

func (l *lockedWriter) Write(p []byte) (int, error) {
	if l.announced != nil && bytes.Contains(p, listChanged) && !l.announced() {
		return len(p), nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// serveStdio runs mcp-go's stdio server behind a reader that answers plain tools/list
// requests from the rendering and holds other requests until registered is closed.
func (s *Server) serveStdio(ctx context.Context, in io.Reader, out io.Writer) error {
	lw := &lockedWriter{w: out, announced: s.announced}
	pr, pw := io.Pipe()
	go func() {
		pw.CloseWithError(s.route(in, pw, lw))
	}()
	return server.NewStdioServer(s.mcp).Listen(ctx, pr, lw)
}

// route reads requests line by line: tools/list without a cursor or _meta is answered here;
// calls of unlisted tools go to the dispatcher; before initialize only initialize and ping are
// served; the rest goes to mcp-go (after registration, except the handshake).
func (s *Server) route(in io.Reader, toMCP io.Writer, out io.Writer) error {
	r := bufio.NewReaderSize(in, 64<<10)
	initialized := false
	caller := toolcall.Caller{Session: stdioSessionID, Transport: transportStdio}
	var calls sync.WaitGroup
	defer calls.Wait()
	for {
		line, err := r.ReadBytes('\n')
		if len(line) > 0 {
			var msg struct {
				ID     json.RawMessage            `json:"id"`
				Method string                     `json:"method"`
				Params map[string]json.RawMessage `json:"params"`
			}
			_ = json.Unmarshal(line, &msg)
			isRequest := len(msg.ID) > 0 && msg.Method != ""
			var answer []byte
			switch {
			case msg.Method == "":
				// A response (to an elicitation) or something mcp-go will reject.
				<-s.registered
			case stateless(msg.Method, msg.Params):
				answer = rpcError(msg.ID, codeMethodNotFound, statelessMsg)
			case !initialized && msg.Method != string(mcp.MethodInitialize) && msg.Method != string(mcp.MethodPing):
				if !isRequest {
					continue // notifications before initialize are dropped
				}
				answer = rpcError(msg.ID, codeInvalidRequest, notInitializedMsg)
			case msg.Method == string(mcp.MethodInitialize):
				initialized = true
				var p struct {
					ClientInfo mcp.Implementation `json:"clientInfo"`
				}
				_ = json.Unmarshal(msg.Params["clientInfo"], &p.ClientInfo)
				caller.Client = strings.TrimSpace(p.ClientInfo.Name + " " + p.ClientInfo.Version)
			case !s.paged && msg.Method == string(mcp.MethodToolsList) && len(msg.ID) > 0 && msg.Params["cursor"] == nil && msg.Params["_meta"] == nil:
				list := s.surface.Load().list.result()
				resp := make([]byte, 0, len(list)+64)
				resp = append(resp, `{"jsonrpc":"2.0","id":`...)
				resp = append(resp, msg.ID...)
				resp = append(resp, `,"result":`...)
				resp = append(resp, list...)
				resp = append(resp, "}\n"...)
				answer = resp
			case msg.Method == string(mcp.MethodToolsCall) && len(msg.ID) > 0 && !s.isListed(msg.Params["name"]):
				// Run it aside: a call may take long, and the reader must stay free.
				calls.Add(1)
				go func(id json.RawMessage, params map[string]json.RawMessage, c toolcall.Caller) {
					defer calls.Done()
					if resp := s.callUnlisted(toolcall.WithCaller(context.Background(), c), id, params); resp != nil {
						_, _ = out.Write(resp)
					}
				}(msg.ID, msg.Params, caller)
				continue
			case !handshake[msg.Method]:
				<-s.registered
			}
			if answer != nil {
				if _, werr := out.Write(answer); werr != nil {
					return werr
				}
				continue
			}
			if _, werr := toMCP.Write(line); werr != nil {
				return werr
			}
		}
		if err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}

// isListed reports whether a raw tool name is one of the listed tools.
func (s *Server) isListed(raw json.RawMessage) bool {
	var name string
	return json.Unmarshal(raw, &name) == nil && s.surface.Load().listed[name]
}
