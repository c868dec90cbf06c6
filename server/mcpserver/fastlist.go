package mcpserver

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"runtime"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
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

// unknownTool answers a call of a tool that is not listed with the inventory's explanation
// (hidden because writes are off, a module is not enabled, ... or the closest names), as a
// tool error the model can act on; mcp-go would only say "tool not found". It returns nil for
// a listed tool.
func (s *Server) unknownTool(id, rawName json.RawMessage) []byte {
	var name string
	if json.Unmarshal(rawName, &name) != nil || s.surface.Load().listed[name] {
		return nil
	}
	msg := "there is no tool named " + name
	if _, err := s.d.Inventory().Lookup(name); err != nil {
		msg = err.Error()
	}
	resp, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "result": mcp.NewToolResultError(msg)})
	if err != nil {
		return nil
	}
	return append(resp, '\n')
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
// the rest goes to mcp-go (after registration, except the handshake).
func (s *Server) route(in io.Reader, toMCP io.Writer, out io.Writer) error {
	r := bufio.NewReaderSize(in, 64<<10)
	for {
		line, err := r.ReadBytes('\n')
		if len(line) > 0 {
			var msg struct {
				ID     json.RawMessage            `json:"id"`
				Method string                     `json:"method"`
				Params map[string]json.RawMessage `json:"params"`
			}
			_ = json.Unmarshal(line, &msg)
			switch {
			case !s.paged && msg.Method == string(mcp.MethodToolsList) && len(msg.ID) > 0 && msg.Params["cursor"] == nil && msg.Params["_meta"] == nil:
				list := s.surface.Load().list.result()
				resp := make([]byte, 0, len(list)+64)
				resp = append(resp, `{"jsonrpc":"2.0","id":`...)
				resp = append(resp, msg.ID...)
				resp = append(resp, `,"result":`...)
				resp = append(resp, list...)
				resp = append(resp, "}\n"...)
				if _, werr := out.Write(resp); werr != nil {
					return werr
				}
				continue
			case msg.Method == string(mcp.MethodToolsCall) && len(msg.ID) > 0:
				if resp := s.unknownTool(msg.ID, msg.Params["name"]); resp != nil {
					if _, werr := out.Write(resp); werr != nil {
						return werr
					}
					continue
				}
				<-s.registered
			case !handshake[msg.Method]:
				<-s.registered
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
