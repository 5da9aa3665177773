package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// site is one Redress installation under drill: a data directory (the key
// file, and for SQLite the database) and, for PostgreSQL, the database's URL.
type site struct {
	engine string // "sqlite" or "postgres"
	data   string
	dsn    string // empty for SQLite: <data>/redress.db
}

// env is the environment the redress commands of s run with: the caller's,
// the database of s, and no admin password (the first server generates one).
func (s site) env() []string {
	env := append(os.Environ(), "REDRESS_ADMIN_PASSWORD=")
	if s.dsn != "" {
		env = append(env, "REDRESS_DB="+s.dsn)
	} else {
		env = append(env, "REDRESS_DB=")
	}
	return env
}

// cli runs one redress command on s and returns its standard output; a
// non-zero exit is an error that carries both outputs.
func (d *drill) cli(ctx context.Context, s site, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, d.bin, append(args, "--data", s.data)...)
	cmd.Env = s.env()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("redress %s: %w\n%s%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String(), nil
}

// server is a running `redress serve`.
type server struct {
	cmd    *exec.Cmd
	base   string // http://127.0.0.1:PORT
	log    string // the file its output goes to
	exited chan struct{}
}

// start runs `redress serve` on s, its output appended to serve.log in the
// data directory, and waits until it answers /healthz.
func (d *drill) start(ctx context.Context, s site) (*server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	logPath := filepath.Join(s.data, "serve.log")
	logFile, err := os.OpenFile(logPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("server log: %w", err)
	}
	defer logFile.Close() // the child keeps its own descriptor
	cmd := exec.Command(d.bin, "serve", "--addr", addr, "--data", s.data)
	cmd.Env = s.env()
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start redress serve: %w", err)
	}
	srv := &server{cmd: cmd, base: "http://" + addr, log: logPath, exited: make(chan struct{})}
	go func() { cmd.Wait(); close(srv.exited) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case <-srv.exited:
			return nil, fmt.Errorf("redress serve exited before it answered: %s", srv.tail())
		case <-ctx.Done():
			srv.kill()
			return nil, ctx.Err()
		default:
		}
		resp, err := http.Get(srv.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return srv, nil
			}
		}
		if time.Now().After(deadline) {
			srv.kill()
			return nil, fmt.Errorf("redress serve did not answer /healthz within 30 s: %s", srv.tail())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kill ends the server with SIGKILL, as a crash would: no shutdown, no
// final flush, and waits until it is gone.
func (srv *server) kill() {
	srv.cmd.Process.Signal(syscall.SIGKILL)
	<-srv.exited
}

// stop asks the server to shut down (SIGTERM) and kills it after 15 s.
func (srv *server) stop() {
	srv.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-srv.exited:
	case <-time.After(15 * time.Second):
		srv.kill()
	}
}

// tail returns the end of the server's log, for an error message.
func (srv *server) tail() string {
	raw, err := os.ReadFile(srv.log)
	if err != nil {
		return err.Error()
	}
	if len(raw) > 2000 {
		raw = raw[len(raw)-2000:]
	}
	return string(raw)
}

// freeAddr returns a loopback address with a port nothing listens on.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("free port: %w", err)
	}
	defer l.Close()
	return l.Addr().String(), nil
}

var errDrillFailed = errors.New("drill failed")
