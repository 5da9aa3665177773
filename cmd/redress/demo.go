package main

import (
	"context"
	"flag"
	"io"
)

func cmdDemo(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	cfg.bindStorage(fs)
	return parseFlags(fs, args, stderr)
}
