package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"redress/sqldb"
	"redress/web"
)

func cmdServe(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "listen address (REDRESS_ADDR)")
	cfg.bindStorage(fs)
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	cfg.resolve()
	log := newLogger(stderr)
	db, err := openDB(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	password, err := db.Bootstrap(ctx, cfg.AdminPassword)
	if err != nil {
		return err
	}
	if password != "" && cfg.AdminPassword == "" {
		fmt.Fprintf(stdout, "Created user admin with password %s (shown once; change it after signing in)\n", password)
	}
	server := web.NewServer(web.Services{
		Cases:    sqldb.NewCaseService(db),
		Orgs:     sqldb.NewOrgService(db),
		Users:    sqldb.NewUserService(db),
		Tokens:   sqldb.NewTokenService(db),
		Sessions: sqldb.NewSessionService(db),
		Codes:    sqldb.NewCodeService(db),
		Audit:    sqldb.NewAuditService(db),
		Ping:     db.Ping,
	}, log)
	listener, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	httpServer := &http.Server{
		Handler:           server.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	go reloadKeysOnChange(ctx, db, cfg.KeyFile, log)
	fmt.Fprintf(stdout, "Redress is serving http://%s (database %s)\n", listener.Addr(), cfg.DB)
	errc := make(chan error, 1)
	go func() { errc <- httpServer.Serve(listener) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := httpServer.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	fmt.Fprintln(stdout, "Redress stopped")
	return nil
}

// reloadKeysOnChange reads the key file again whenever it changes, so that a
// server that only seals new data also moves to a key version added by
// `redress keys rotate` (a server that meets an unknown version reloads at once).
func reloadKeysOnChange(ctx context.Context, db *sqldb.DB, path string, log *slog.Logger) {
	modified := func() time.Time {
		info, err := os.Stat(path)
		if err != nil {
			return time.Time{}
		}
		return info.ModTime()
	}
	last := modified()
	ticker := time.NewTicker(10 * time.Second)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			if m := modified(); !m.Equal(last) {
				if err := db.ReloadKeys(); err != nil {
					log.Error("reload key file", "error", err.Error())
					continue
				}
				last = m
				log.Info("reloaded the key file", "path", path)
			}
		}
	}
}
