package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// server is a `redress serve` process under test.
type server struct {
	cmd     *exec.Cmd
	base    string // http://127.0.0.1:port
	metrics string // http://127.0.0.1:port of /metrics and /debug/pprof/
	log     *os.File
	done    chan error
}

// startServer runs `redress serve` on the database dsn, with the key file
// in dataDir, on a free loopback port, and waits until it answers
// /healthz. The deadline sweep runs once at start and then only daily, so
// that it stays out of the measurements after the server has settled.
func startServer(ctx context.Context, bin, dataDir, dsn string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	metricsPort, err := freePort()
	if err != nil {
		return nil, err
	}
	metrics := "127.0.0.1:" + strconv.Itoa(metricsPort)
	log, err := os.Create(filepath.Join(dataDir, "server.log"))
	if err != nil {
		return nil, fmt.Errorf("server log: %w", err)
	}
	cmd := exec.Command(bin, "serve", "--addr", addr, "--metrics-addr", metrics, "--data", dataDir, "--db", dsn, "--sweep-interval", "24h",
		"--signins-per-address", "0", "--signins-per-login", "0") // the sign-in measurement signs in 100 times a minute
	cmd.Stdout, cmd.Stderr = log, log
	cmd.Env = serverEnv()
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, fmt.Errorf("start %s serve: %w", bin, err)
	}
	s := &server{cmd: cmd, base: "http://" + addr, metrics: "http://" + metrics, log: log, done: make(chan error, 1)}
	go func() { s.done <- cmd.Wait() }()
	deadline := time.Now().Add(10 * time.Minute)
	for {
		select {
		case err := <-s.done:
			s.done <- err
			log.Close()
			return nil, fmt.Errorf("redress serve exited before answering (%v); its log: %s", err, tail(log.Name(), 20))
		case <-ctx.Done():
			s.stop()
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
		resp, err := http.Get(s.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, errors.New("redress serve did not answer /healthz within 10 minutes")
		}
	}
}

// serverEnv is the environment of the server: ours without the REDRESS_*
// settings, which would change what is measured.
func serverEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "REDRESS_") {
			env = append(env, kv)
		}
	}
	return env
}

// freePort returns a loopback TCP port that nothing listens on now.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// settle waits until the server has been idle — almost no CPU time, almost
// nothing written — for two seconds in a row: its start-up work (the first
// deadline sweep, a search reindex after a migration) is then done. It
// returns how long that took.
func (s *server) settle(ctx context.Context, limit time.Duration) (time.Duration, error) {
	start := time.Now()
	pid := s.cmd.Process.Pid
	cpu, written := procCPU(pid), procWritten(pid)
	quiet := 0
	for quiet < 2 {
		select {
		case <-ctx.Done():
			return time.Since(start), ctx.Err()
		case err := <-s.done:
			s.done <- err
			return time.Since(start), fmt.Errorf("redress serve exited: %v", err)
		case <-time.After(time.Second):
		}
		c, w := procCPU(pid), procWritten(pid)
		if c-cpu <= 3 && w-written <= 256<<10 {
			quiet++
		} else {
			quiet = 0
		}
		cpu, written = c, w
		if time.Since(start) > limit {
			return time.Since(start), fmt.Errorf("the server was still busy after %s", limit)
		}
	}
	return time.Since(start) - 2*time.Second, nil
}

// clockTicks is the unit of the CPU times in /proc (USER_HZ), 100 on Linux.
const clockTicks = 100

// procCPU returns the user and system time of a process in clock ticks.
func procCPU(pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name may hold spaces: fields count from after its ')'.
	s := string(data)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return utime + stime
}

// machineBusy returns the CPU time the whole machine has spent busy, in
// clock ticks, from the first line of /proc/stat.
func machineBusy() int64 {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(data), "\n")
	fields := strings.Fields(line)
	var busy int64
	for i, f := range fields[1:] {
		if i == 3 || i == 4 { // idle, iowait
			continue
		}
		if i >= 8 { // guest time is already in user time
			break
		}
		n, _ := strconv.ParseInt(f, 10, 64)
		busy += n
	}
	return busy
}

// watch measures how many cores other processes kept busy: the machine's
// busy time less that of the server (pid; 0 for none) and of this process.
type watch struct {
	pid                   int
	start                 time.Time
	machine, server, self int64
}

func startWatch(pid int) *watch {
	return &watch{pid: pid, start: time.Now(), machine: machineBusy(), server: procCPU(pid), self: procCPU(os.Getpid())}
}

// others returns the cores other processes kept busy since the watch began.
func (w *watch) others() float64 {
	elapsed := time.Since(w.start).Seconds()
	if elapsed <= 0 {
		return 0
	}
	ticks := (machineBusy() - w.machine) - (procCPU(w.pid) - w.server) - (procCPU(os.Getpid()) - w.self)
	return max(float64(ticks)/clockTicks/elapsed, 0)
}

// waitQuiet waits, up to limit, until other processes than the server
// (pid; 0 for none) and this one keep less than a fifth of a core busy over
// three seconds, and returns how busy they were at the end.
func waitQuiet(ctx context.Context, pid int, limit time.Duration) float64 {
	deadline := time.Now().Add(limit)
	logged := false
	for {
		w := startWatch(pid)
		select {
		case <-ctx.Done():
			return 0
		case <-time.After(3 * time.Second):
		}
		others := w.others()
		if others < 0.2 || time.Now().After(deadline) {
			return others
		}
		if !logged {
			logf("other processes keep %.1f cores busy: waiting up to %s for them to finish", others, limit)
			logged = true
		}
	}
}

// procWritten returns the bytes a process has caused to be written to storage.
func procWritten(pid int) int64 {
	return procField(fmt.Sprintf("/proc/%d/io", pid), "write_bytes:")
}

// peakRSS returns the peak resident set size of the server, in bytes
// (VmHWM).
func (s *server) peakRSS() int64 {
	return procField(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid), "VmHWM:") * 1024
}

// procField reads a "name: number" line of a /proc file.
func procField(path, name string) int64 {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, name); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				n, _ := strconv.ParseInt(f[0], 10, 64)
				return n
			}
		}
	}
	return 0
}

// stop ends the server with SIGTERM, and kills it if it has not stopped
// after 30 seconds.
func (s *server) stop() {
	if s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		s.done <- err
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		err := <-s.done
		s.done <- err
	}
	s.log.Close()
}

// createToken issues an API token for login with `redress token create`.
func createToken(ctx context.Context, bin, dataDir, dsn, login string) (string, error) {
	cmd := exec.CommandContext(ctx, bin, "token", "create", "--login", login, "--label", "bench", "--data", dataDir, "--db", dsn)
	cmd.Env = serverEnv()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("token create --login %s: %v: %s", login, err, strings.TrimSpace(stderr.String()))
	}
	token := strings.TrimSpace(stdout.String())
	if token == "" {
		return "", fmt.Errorf("token create --login %s printed no token", login)
	}
	return token, nil
}

// sweepLine returns what the first deadline sweep logged (notices,
// escalations), or "" when it had nothing to do.
func sweepLine(log string) string {
	data, err := os.ReadFile(log)
	if err != nil {
		return ""
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if _, rest, ok := strings.Cut(line, `msg="deadline sweep" `); ok {
			var parts []string
			for _, kv := range strings.Fields(rest) {
				k, v, _ := strings.Cut(kv, "=")
				switch k {
				case "due_soon", "overdue", "escalated", "notifications":
					parts = append(parts, strings.ReplaceAll(k, "_", "-")+" "+v)
				}
			}
			return strings.Join(parts, ", ")
		}
	}
	return ""
}

// tail returns the last n lines of a file.
func tail(path string, n int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return "(unreadable: " + err.Error() + ")"
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// profile fetches a CPU profile of the server over the next seconds from
// its operators' address (net/http/pprof, to an admin's token) into path.
func (s *server) profile(ctx context.Context, token, path string, seconds int) error {
	req, err := http.NewRequestWithContext(ctx, "GET", s.metrics+"/debug/pprof/profile?seconds="+strconv.Itoa(seconds), nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("profile: %s answers %d", s.metrics, resp.StatusCode)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return fmt.Errorf("profile: %w", err)
	}
	return f.Close()
}
