package qemu

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"
)

// qmpClient speaks the QEMU Machine Protocol over the VM's monitor socket: one command at
// a time, asynchronous events skipped.
type qmpClient struct {
	mu   sync.Mutex
	conn net.Conn
	r    *bufio.Reader
}

type qmpReply struct {
	Return json.RawMessage `json:"return"`
	Error  *struct {
		Class string `json:"class"`
		Desc  string `json:"desc"`
	} `json:"error"`
	Event string `json:"event"`
	QMP   any    `json:"QMP"`
}

// dialQMP connects once QEMU has created the socket; exited aborts the wait.
func dialQMP(ctx context.Context, path string, exited <-chan struct{}) (*qmpClient, error) {
	var conn net.Conn
	for {
		c, err := net.Dial("unix", path)
		if err == nil {
			conn = c
			break
		}
		select {
		case <-exited:
			return nil, errors.New("QEMU exited during start-up")
		case <-ctx.Done():
			return nil, fmt.Errorf("monitor socket %s: %w", path, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
	q := &qmpClient{conn: conn, r: bufio.NewReader(conn)}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	var greeting qmpReply
	if err := q.read(&greeting); err != nil || greeting.QMP == nil {
		conn.Close()
		return nil, fmt.Errorf("QMP greeting: %v", err)
	}
	_ = conn.SetDeadline(time.Time{})
	if err := q.execute(ctx, "qmp_capabilities", nil, nil); err != nil {
		conn.Close()
		return nil, err
	}
	return q, nil
}

func (q *qmpClient) read(v *qmpReply) error {
	line, err := q.r.ReadBytes('\n')
	if err != nil {
		return err
	}
	return json.Unmarshal(line, v)
}

// execute runs a QMP command and decodes its return value into out (when not nil).
func (q *qmpClient) execute(ctx context.Context, cmd string, args map[string]any, out any) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.conn == nil {
		return errors.New("QMP connection closed")
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = q.conn.SetDeadline(dl)
	} else {
		_ = q.conn.SetDeadline(time.Now().Add(2 * time.Minute))
	}
	req := map[string]any{"execute": cmd}
	if args != nil {
		req["arguments"] = args
	}
	b, _ := json.Marshal(req)
	if _, err := q.conn.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("QMP %s: %w", cmd, err)
	}
	for {
		var r qmpReply
		if err := q.read(&r); err != nil {
			return fmt.Errorf("QMP %s: %w", cmd, err)
		}
		if r.Event != "" {
			continue
		}
		if r.Error != nil {
			return fmt.Errorf("QMP %s: %s: %s", cmd, r.Error.Class, r.Error.Desc)
		}
		if out != nil && len(r.Return) > 0 {
			return json.Unmarshal(r.Return, out)
		}
		return nil
	}
}

func (q *qmpClient) close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.conn != nil {
		q.conn.Close()
		q.conn = nil
	}
}
